import type { JournalEvent, NewEvent } from './events.js';
import type { CheckNode, Flow, QuestionNode, StepNode } from './flow-schema.js';
import { answer, checkEvents, pending, reduce, type SessionState } from './session.js';
import type { CheckResult } from './vocabulary.js';

/** What a check run gives back: the result, and the evidence it was evaluated from (kept in the journal). */
export interface CheckRecord {
  result: CheckResult;
  /** What collect gathered; absent when the check did not get that far. */
  evidence?: unknown;
}

/**
 * Runs a flow's check node; the engine never does I/O itself, so the caller injects this.
 * `signal` aborts this one run (the responder skipped it).
 */
export type CheckRunner = (node: CheckNode, params: Record<string, string>, state: SessionState, progress: (message: string) => void, signal?: AbortSignal) => Promise<CheckRecord>;

/** What a check the responder skipped while it ran records: unknown, and why. */
export function skippedRecord(title: string): CheckRecord {
  return { result: { status: 'unknown', outcome: 'unknown', summary: `skipped by the responder while it ran (${title})`, nextStep: 'run it again later, or take the manual steps' } };
}

/** What the session waits for after automatic nodes have run. */
export type Waiting =
  | { kind: 'ask'; node: QuestionNode | StepNode }
  | { kind: 'check'; node: CheckNode; params: Record<string, string> }
  | { kind: 'done' };

/** One thing from outside the engine: a person's answer or a check's record. */
export type Move =
  | { kind: 'answer'; value: string; note?: string }
  | { kind: 'check'; record: CheckRecord };

export type Append = (e: NewEvent) => JournalEvent;

export type Advanced =
  | { ok: true; state: SessionState; waiting: Waiting }
  | { ok: false; error: string; state: SessionState; waiting: Waiting };

function autoRun(flow: Flow, s: SessionState, append: Append): { state: SessionState; waiting: Waiting } {
  for (let p = pending(flow, s); ; p = pending(flow, s)) {
    if (p.kind !== 'auto') return { state: s, waiting: p };
    for (const e of p.events) s = reduce(s, append(e));
  }
}

/**
 * The one step every driver takes (the TUI, the headless walker, the drill's path search,
 * the path tests): apply a move, if any, to the node the session waits at, then run the
 * automatic nodes (findings, branches, end) until a person or a check is needed.
 */
export function advance(flow: Flow, s: SessionState, move: Move | null, append: Append, now: Date): Advanced {
  const before = autoRun(flow, s, append);
  if (!move) return { ok: true, ...before };
  const w = before.waiting;
  let events: NewEvent[];
  if (move.kind === 'answer') {
    if (w.kind !== 'ask') return { ok: false, error: 'nothing is being asked right now', ...before };
    const r = answer(flow, before.state, move.value, now, move.note);
    if (!r.ok) return { ok: false, error: r.error, ...before };
    events = r.events;
  } else {
    if (w.kind !== 'check') return { ok: false, error: 'no check is waiting for a result', ...before };
    events = checkEvents(w.node, w.params, move.record.result, move.record.evidence);
  }
  let t = before.state;
  for (const e of events) t = reduce(t, append(e));
  return { ok: true, ...autoRun(flow, t, append) };
}
