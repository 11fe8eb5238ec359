import type { Flow, Phase } from './flow-schema.js';
import { nodeById, type SessionState } from './session.js';

/** Choices that record that nothing was looked at (the step was skipped or could not be done). */
export const NOT_LOOKED = /^(skipped|skip|cannot|no-access|unknown|unsure)$/;

/**
 * Phases the responder or a check actually examined: a check that came back with an answer
 * (not unknown), or a question or step answered with something seen. Walking through a phase
 * on unknown checks and skipped steps does not count, so the header does not tick it.
 */
export function examinedPhases(flow: Flow, s: Pick<SessionState, 'answers' | 'checks'>): Set<Phase> {
  const out = new Set<Phase>();
  const phaseOf = (id: string): Phase | undefined => {
    try {
      return nodeById(flow, id).phase;
    } catch {
      return undefined;
    }
  };
  for (const c of s.checks) {
    const p = phaseOf(c.node);
    if (p && c.result.status !== 'unknown') out.add(p);
  }
  for (const a of s.answers) {
    const p = phaseOf(a.node);
    if (!p || a.label === '(skipped)' || NOT_LOOKED.test(a.value)) continue;
    out.add(p);
  }
  return out;
}
