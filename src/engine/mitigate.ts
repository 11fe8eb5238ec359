import { board, type BoardEntry } from './board.js';
import type { Cause, CauseRelations } from './causes.js';
import { hasPlaceholder, interpolate, interpolateShell, type Lookups } from './template.js';
import type { Facts } from './vocabulary.js';
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

export interface MitigationLine {
  section: 'now' | 'fix' | 'verify';
  text: string;
  /** A shell command (copyable), or a line of text (a config change, the catalog's advice). */
  command: boolean;
}

/** A fix entry that is just one fact (e.g. {{backend.fix}}) is text to read, not a command. */
const WHOLE_FACT = /^\{\{\s*[\w.]+\s*\}\}$/;

/**
 * Every line of the mitigation screen in order, filled with the known facts. The `c` key copies
 * the commands in this order. A fix the facts cannot fill falls back to the catalog's advice.
 */
export function mitigationLines(due: DueMitigation, facts: Readonly<Facts>, lookups: Lookups | undefined, cause: Cause | undefined): MitigationLine[] {
  const out: MitigationLine[] = due.mitigation.commands.map((c) => ({ section: 'now', text: interpolateShell(c, facts, lookups), command: true }));
  for (const f of due.mitigation.fix ?? []) {
    if (WHOLE_FACT.test(f.trim())) {
      const text = interpolate(f, facts);
      if (!hasPlaceholder(text)) for (const line of text.trim().split('\n')) out.push({ section: 'fix', text: line, command: false });
    } else out.push({ section: 'fix', text: interpolateShell(f, facts, lookups), command: true });
  }
  if (!out.some((l) => l.section === 'fix') && cause) out.push({ section: 'fix', text: cause.fix.general.trim(), command: false });
  for (const v of due.verify) out.push({ section: 'verify', text: interpolateShell(v, facts, lookups), command: true });
  return out;
}

