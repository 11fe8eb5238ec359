import type { JournalEvent } from './events.js';
import { initialState, reduce, type SessionState } from './session.js';
import type { CheckResult, Facts } from './vocabulary.js';

/** Turns stored evidence back into a result (the check's own evaluate); undefined when the check is unknown. */
export type Evaluator = (check: string, evidence: unknown, ctx: { params: Record<string, string>; facts: Readonly<Facts> }) => CheckResult | undefined;

export interface Reevaluation {
  events: JournalEvent[];
  /** Checks whose outcome differs now: the walk after them followed the old one. */
  changed: { node: string; check: string; was: string; now: string }[];
  reevaluated: number;
  /** Checks that kept no evidence (they did not get that far, or it was too large). */
  skipped: { node: string; check: string; why: string }[];
}

function omitted(evidence: unknown): string | undefined {
  const o = evidence as { omitted?: unknown } | null;
  return o && typeof o === 'object' && typeof o.omitted === 'string' ? o.omitted : undefined;
}

/**
 * Re-runs every check's evaluate on the evidence its journal event kept, with the facts
 * the session had at that moment, and puts the new results and findings in place of the
 * old. The path is not re-walked: where an outcome changed, the result says so.
 */
export function reevaluateJournal(events: readonly JournalEvent[], evaluate: Evaluator): Reevaluation {
  const [first, ...rest] = events;
  if (!first || first.type !== 'start') throw new Error('a journal must begin with a start event');
  const out: JournalEvent[] = [first];
  const changed: Reevaluation['changed'] = [];
  const skipped: Reevaluation['skipped'] = [];
  let reevaluated = 0;
  let s: SessionState = initialState(first);
  let replacing: string | null = null;
  for (const e of rest) {
    if (replacing !== null && e.type === 'finding' && e.via === 'check' && e.node === replacing) continue;
    replacing = null;
    if (e.type !== 'check') {
      out.push(e);
      s = reduce(s, e);
      continue;
    }
    const why = e.evidence === undefined ? 'no evidence was kept (the check did not collect any)' : omitted(e.evidence);
    const result = why ? undefined : evaluate(e.check, e.evidence, { params: e.params, facts: s.facts });
    if (!result) {
      if (why) skipped.push({ node: e.node, check: e.check, why });
      out.push(e);
      s = reduce(s, e);
      continue;
    }
    reevaluated++;
    const was = e.result.outcome;
    const details = [...(result.details ?? [])];
    if (result.outcome !== was) {
      changed.push({ node: e.node, check: e.check, was, now: result.outcome });
      details.push(`Re-evaluated: the outcome was "${was}" when the session ran; the walk after this check followed that.`);
    }
    const next: JournalEvent = { ...e, result: { ...result, details, sources: e.result.sources } };
    out.push(next);
    s = reduce(s, next);
    for (const f of result.findings ?? []) {
      const finding: JournalEvent = { seq: e.seq, at: e.at, type: 'finding', node: e.node, cause: f.cause, confidence: f.confidence, evidence: f.evidence, via: 'check', strength: f.strength ?? 'measured' };
      out.push(finding);
      s = reduce(s, finding);
    }
    replacing = e.node;
  }
  // Renumbered: the rewritten journal is read, never appended to.
  return { events: out.map((e, i) => ({ ...e, seq: i + 1 })), changed, reevaluated, skipped };
}
