import { board, type BoardEntry } from './board.js';
import type { CauseRelations } from './causes.js';
import type { NewEvent } from './events.js';
import type { Flow, Mitigation } from './flow-schema.js';
import type { SessionState } from './session.js';

export interface DueMitigation {
  cause: string;
  mitigation: Mitigation;
  verify: string[];
  entry: BoardEntry;
}

/**
 * Cause confirmed → mitigate now: the first confirmed cause on the board (deepest first) that
 * the flow knows a move for and the responder has not yet been shown. The screen shows it at
 * once, before the rest of the sweep.
 */
export function dueMitigation(flow: Flow, s: SessionState, relations?: CauseRelations): DueMitigation | undefined {
  if (!flow.mitigate || s.ended) return undefined;
  const done = new Set(s.mitigations.map((m) => m.cause));
  for (const entry of board(s, relations)) {
    if (entry.confidence !== 'confirmed' || done.has(entry.cause)) continue;
    const mitigation = flow.mitigate.causes[entry.cause];
    if (mitigation) return { cause: entry.cause, mitigation, verify: flow.mitigate.verify, entry };
  }
  return undefined;
}

export type MitigationChoice = 'stopped-finish' | 'stopped-continue' | 'failing' | 'later';

/** The journal events one answer on the mitigation screen makes. */
export function mitigationEvents(due: DueMitigation, choice: MitigationChoice, node: string | null): NewEvent[] {
  const action = due.mitigation.action;
  switch (choice) {
    case 'stopped-finish':
      return [
        { type: 'mitigation', cause: due.cause, result: 'stopped', set: { 'resolution.status': 'resolved', 'resolution.action': action } },
        { type: 'end', node: node ?? 'mitigate', outcome: `mitigated (${due.cause}); the rest of the sweep was not needed` },
      ];
    case 'stopped-continue':
      return [{ type: 'mitigation', cause: due.cause, result: 'stopped', set: { 'resolution.status': 'resolved', 'resolution.action': action } }];
    case 'failing':
      return [{ type: 'mitigation', cause: due.cause, result: 'failing', set: { 'resolution.status': 'ongoing', 'resolution.action': `${action} (the 502s went on)` } }];
    case 'later':
      return [{ type: 'mitigation', cause: due.cause, result: 'later' }];
  }
}
