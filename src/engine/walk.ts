import { advance, type Append, type CheckRunner } from './advance.js';
import type { Flow } from './flow-schema.js';
import { headlessValue, type SessionState } from './session.js';

export interface WalkIo {
  /** Appends an event to the journal and returns it stamped. */
  append: Append;
  runCheck: CheckRunner;
  now(): Date;
}

/**
 * Walks a flow to its end without a person: questions take `answers[node]` or the
 * flow's default; checks run. Used by `badgate check` and by tests.
 */
export async function walkHeadless(flow: Flow, s: SessionState, answers: Readonly<Record<string, string>>, io: WalkIo, maxSteps = 10_000): Promise<SessionState> {
  let step = advance(flow, s, null, io.append, io.now());
  for (let i = 0; i < maxSteps; i++) {
    const w = step.waiting;
    if (w.kind === 'done') return step.state;
    if (w.kind === 'check') {
      const record = await io.runCheck(w.node, w.params, step.state, () => {});
      step = advance(flow, step.state, { kind: 'check', record }, io.append, io.now());
      continue;
    }
    const value = headlessValue(w.node, step.state.facts, answers);
    step = advance(flow, step.state, { kind: 'answer', value }, io.append, io.now());
    if (!step.ok) throw new HeadlessAnswerError(w.node.id, value, step.error);
  }
  throw new Error(`flow ${flow.id} did not end within ${maxSteps} steps`);
}

export class HeadlessAnswerError extends Error {
  constructor(readonly node: string, readonly value: string, readonly reason: string) {
    super(`--answer ${node}=${value}: ${reason}`);
  }
}
