import type { CheckResult } from './vocabulary.js';
import type { JournalEvent, NewEvent } from './events.js';
import type { CheckNode, Flow } from './flow-schema.js';
import { answer, checkEvents, headlessValue, pending, reduce, type SessionState } from './session.js';

export interface WalkIo {
  /** Appends an event to the journal and returns it stamped. */
  append(e: NewEvent): JournalEvent;
  runCheck(node: CheckNode, params: Record<string, string>, s: SessionState): Promise<CheckResult>;
  now(): Date;
}

/** Advances through automatic nodes (findings, branches, end) until something must be asked or run. */
export function advanceAuto(flow: Flow, s: SessionState, append: WalkIo['append']): SessionState {
  for (let p = pending(flow, s); p.kind === 'auto'; p = pending(flow, s)) {
    for (const e of p.events) s = reduce(s, append(e));
  }
  return s;
}

/**
 * Walks a flow to its end without a person: questions take `answers[node]` or the
 * flow's default; checks run. Used by `badgate check` and by tests.
 */
export async function walkHeadless(flow: Flow, s: SessionState, answers: Readonly<Record<string, string>>, io: WalkIo, maxSteps = 10_000): Promise<SessionState> {
  for (let i = 0; i < maxSteps; i++) {
    s = advanceAuto(flow, s, io.append);
    const p = pending(flow, s);
    if (p.kind === 'done') return s;
    if (p.kind === 'check') {
      const result = await io.runCheck(p.node, p.params, s);
      for (const e of checkEvents(p.node, p.params, result)) s = reduce(s, io.append(e));
      continue;
    }
    if (p.kind === 'ask') {
      const value = headlessValue(p.node, s.facts, answers);
      const r = answer(flow, s, value, io.now());
      if (!r.ok) throw new HeadlessAnswerError(p.node.id, value, r.error);
      for (const e of r.events) s = reduce(s, io.append(e));
    }
  }
  throw new Error(`flow ${flow.id} did not end within ${maxSteps} steps`);
}

export class HeadlessAnswerError extends Error {
  constructor(readonly node: string, readonly value: string, readonly reason: string) {
    super(`--answer ${node}=${value}: ${reason}`);
  }
}
