import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JournalEvent, NewEvent } from '../../src/engine/events.js';
import type { Flow } from '../../src/engine/flow-schema.js';
import { initialState, reduce, type SessionState } from '../../src/engine/session.js';
import { loadCatalog, lintFlowText } from '../../src/flow-files.js';

export const fixture = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

export function loadFixtureFlow(rel: string): Flow {
  const file = fixture(rel);
  const { flow, messages } = lintFlowText(readFileSync(file, 'utf8'), file, loadCatalog());
  if (!flow || messages.length) throw new Error(messages.map((m) => `${m.line}:${m.col} ${m.message}`).join('\n'));
  return flow;
}

/** An in-memory journal with a fixed clock, for driving the engine in tests. */
export class MemoryJournal {
  events: JournalEvent[] = [];
  private t: number;
  constructor(flow: Flow, start = '2026-11-21T10:00:00.000Z', private stepMs = 1000) {
    this.t = Date.parse(start);
    this.events.push({ seq: 1, at: start, type: 'start', sessionId: 'test-session', flow: flow.id, flowTitle: flow.title, version: 1, start: flow.start, context: { mode: 'manual' } });
  }
  append = (e: NewEvent): JournalEvent => {
    this.t += this.stepMs;
    const event = { ...e, seq: this.events.length + 1, at: new Date(this.t).toISOString() } as JournalEvent;
    this.events.push(event);
    return event;
  };
  now = () => new Date(this.t);
  state(): SessionState {
    return this.events.slice(1).reduce(reduce, initialState(this.events[0] as Extract<JournalEvent, { type: 'start' }>));
  }
}
