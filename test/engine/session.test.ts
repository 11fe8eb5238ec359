import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine/vocabulary.js';
import { board, standingCauses } from '../../src/engine/board.js';
import type { JournalEvent } from '../../src/engine/events.js';
import { answer, backEvent, initialState, pending, reduce, replay, type SessionState } from '../../src/engine/session.js';
import { walkHeadless } from '../../src/engine/walk.js';
import { advance } from '../../src/engine/advance.js';
import type { Flow } from '../../src/engine/flow-schema.js';
import { loadFixtureFlow, MemoryJournal } from '../helpers/flows.js';

const flow = loadFixtureFlow('flows/mini.yaml');

function say(j: MemoryJournal, f: Flow, value: string, note?: string): SessionState {
  const r = advance(f, j.state(), { kind: 'answer', value, note }, j.append, j.now());
  if (!r.ok) throw new Error(r.error);
  return r.state;
}

function feedCheck(j: MemoryJournal, f: Flow, result: CheckResult): SessionState {
  const r = advance(f, j.state(), { kind: 'check', record: { result } }, j.append, j.now());
  if (!r.ok) throw new Error(`expected a check, at ${j.state().node}: ${r.error}`);
  return r.state;
}

describe('session interpreter', () => {
  it('walks questions, fills check params from facts, routes on the outcome and applies findings', () => {
    const j = new MemoryJournal(flow);
    say(j, flow, 'API down');
    say(j, flow, '10m ago');
    say(j, flow, '8080');
    let s = say(j, flow, 'all');
    const p = pending(flow, s);
    expect(p.kind === 'check' && p.params).toEqual({ port: '8080' });
    s = feedCheck(j, flow, { status: 'fail', outcome: 'not-listening', summary: 'nothing on 8080', findings: [{ cause: 'target-not-listening', confidence: 'confirmed', evidence: ['no LISTEN socket'] }] });
    expect(s.ended?.node).toBe('done');
    expect(s.path).toEqual(['title', 'started', 'backend-port', 'pattern', 'port', 'down', 'done']);
    const b = board(s);
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ cause: 'target-not-listening', confidence: 'confirmed' });
    expect(b[0].evidence).toEqual(['no LISTEN socket', 'port 8080 closed']);
    expect(s.facts['incident.startedAt']).toBe(new Date(Date.parse('2026-11-21T10:00:01.000Z') - 600_000).toISOString());
  });

  it('branches on facts and records findings from a choice, with facts interpolated', () => {
    const j = new MemoryJournal(flow);
    say(j, flow, 'Checkout 502');
    say(j, flow, 'now');
    say(j, flow, '80');
    say(j, flow, 'some');
    let s = feedCheck(j, flow, { status: 'pass', outcome: 'listening', summary: 'ok' });
    expect(s.node).toBe('ka');
    s = say(j, flow, 'race');
    expect(standingCauses(s).map((c) => [c.cause, c.confidence, c.evidence[0]])).toEqual([['keepalive-race', 'confirmed', 'race seen for Checkout 502']]);
  });

  it('b undoes the last answer: node, facts and findings return to what they were', () => {
    const j = new MemoryJournal(flow);
    say(j, flow, 'x');
    say(j, flow, 'now');
    say(j, flow, '80');
    say(j, flow, 'some');
    feedCheck(j, flow, { status: 'pass', outcome: 'listening', summary: 'ok' });
    const before = j.state();
    say(j, flow, 'race');
    expect(j.state().findings).toHaveLength(1);
    const e = backEvent(j.state());
    expect(e).toEqual({ type: 'back', from: 'done', to: 'ka' });
    j.append(e!);
    const after = j.state();
    expect(after.node).toBe('ka');
    expect(after.findings).toEqual(before.findings);
    expect(after.ended).toBeNull();
    // Going back again crosses the automatic check and lands on the previous question.
    j.append(backEvent(after)!);
    expect(j.state().node).toBe('pattern');
    expect(j.state().facts['scope.pattern']).toBeUndefined();
    expect(j.state().checks).toHaveLength(0);
  });

  it('keeps notes through back and refuses to go back before the first answer', () => {
    const j = new MemoryJournal(flow);
    expect(backEvent(j.state())).toBeUndefined();
    say(j, flow, 'x');
    j.append({ type: 'note', text: 'paged by on-call bot', node: 'started' });
    j.append(backEvent(j.state())!);
    expect(j.state().notes.map((n) => n.text)).toEqual(['paged by on-call bot']);
    expect(j.state().node).toBe('title');
  });

  it('rejects an invalid typed value with a message and no event', () => {
    const j = new MemoryJournal(flow);
    say(j, flow, 'x');
    const r = answer(flow, j.state(), 'yesterday-ish', j.now());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/not a time I can read/);
    const port = (() => { say(j, flow, 'now'); return answer(flow, j.state(), '70000', j.now()); })();
    expect(!port.ok && port.error).toMatch(/not a port/);
  });

  it('an unknown outcome follows the default route', () => {
    const j = new MemoryJournal(flow);
    say(j, flow, 'x'); say(j, flow, 'now'); say(j, flow, '80'); say(j, flow, 'all');
    const s = feedCheck(j, flow, { status: 'unknown', outcome: 'unknown', summary: 'cannot read /proc' });
    expect(s.ended?.node).toBe('done');
    expect(s.path).toContain('route');
  });

  it('replaying the journal gives the same state as living it', () => {
    const j = new MemoryJournal(flow);
    say(j, flow, 'x'); say(j, flow, 'now'); say(j, flow, '80'); say(j, flow, 'some', 'seen at 10:02');
    feedCheck(j, flow, { status: 'pass', outcome: 'listening', summary: 'ok' });
    say(j, flow, 'race');
    const { undo: _u1, ...live } = j.state();
    const { undo: _u2, ...replayed } = replay(JSON.parse(JSON.stringify(j.events)));
    expect(replayed).toEqual(live);
    expect(replayed.answers.find((a) => a.node === 'pattern')?.note).toBe('seen at 10:02');
  });

  it('walks headless with --answer overrides and the flow defaults', async () => {
    const j = new MemoryJournal(flow);
    const ran: string[] = [];
    const s = await walkHeadless(flow, j.state(), { pattern: 'some', ka: 'race' }, {
      append: j.append, now: j.now,
      runCheck: async (node, params) => { ran.push(`${node.run}:${params.port}`); return { result: { status: 'pass', outcome: 'listening', summary: 'ok' } }; },
    });
    expect(ran).toEqual(['local.port-listening:1']);
    expect(s.ended?.node).toBe('done');
    expect(standingCauses(s).map((c) => c.cause)).toEqual(['keepalive-race']);
    expect(s.facts['incident.title']).toBe('test incident');
  });
});

describe('hypothesis board', () => {
  const f = (confidence: 'confirmed' | 'likely' | 'suspected' | 'ruled-out', evidence: string) =>
    ({ cause: 'keepalive-race', confidence, evidence: [evidence], node: 'n', at: 't', via: 'answer' as const, strength: 'answer' as const });
  it('keeps the strongest evidence for a cause, lets a ruling-out win until new evidence for it', () => {
    expect(board({ findings: [f('confirmed', 'a'), f('suspected', 'b')] })[0].confidence).toBe('confirmed');
    expect(board({ findings: [f('likely', 'a'), f('ruled-out', 'b')] })[0].confidence).toBe('ruled-out');
    expect(board({ findings: [f('ruled-out', 'a'), f('suspected', 'b')] })[0].confidence).toBe('suspected');
    expect(board({ findings: [f('likely', 'a'), f('likely', 'a')] })[0].evidence).toEqual(['a']);
  });
});

describe('replay over a long journal', () => {
  const at = (i: number) => new Date(Date.parse('2026-11-21T10:00:00.000Z') + i * 1000).toISOString();
  const start: JournalEvent = { seq: 1, at: at(0), type: 'start', sessionId: 's', flow: 'mini', flowTitle: 'Mini', version: 1, start: 'n0', context: { mode: 'manual' }, facts: { seed: 1 } };

  /** Events as a session of `n` events makes them: answers, checks, findings, notes, and now and then a step back. */
  function longJournal(n: number): JournalEvent[] {
    const out: JournalEvent[] = [start];
    const kinds = ['answer', 'check', 'finding', 'note', 'branch', 'answer', 'back', 'end', 'report', 'verdict'] as const;
    for (let i = 1; i < n; i++) {
      const base = { seq: i + 1, at: at(i) };
      const k = kinds[i % kinds.length];
      const node = `n${i % 50}`;
      switch (k) {
        case 'answer': out.push({ ...base, type: 'answer', node, value: `v${i}`, label: `V${i}`, set: { [`f${i % 7}`]: i }, note: i % 3 ? undefined : `note ${i}`, next: `n${(i + 1) % 50}` }); break;
        case 'check': out.push({ ...base, type: 'check', node, check: 'local.port-listening', params: { port: '80' }, result: { status: 'pass', outcome: 'listening', summary: 'ok', facts: { [`c${i % 5}`]: i } }, next: `n${(i + 2) % 50}` }); break;
        case 'finding': out.push({ ...base, type: 'finding', node, cause: 'keepalive-race', confidence: 'likely', evidence: [`e${i}`], via: 'check' }); break;
        case 'note': out.push({ ...base, type: 'note', text: `t${i}`, node }); break;
        case 'branch': out.push({ ...base, type: 'branch', node, next: `n${(i + 3) % 50}`, set: i % 2 ? { b: i } : undefined }); break;
        case 'back': out.push({ ...base, type: 'back', from: node, to: 'n0' }); break;
        case 'end': out.push({ ...base, type: 'end', node, outcome: 'x' }); break;
        case 'report': out.push({ ...base, type: 'report', path: `/tmp/r${i}.md` }); break;
        case 'verdict': out.push({ ...base, type: 'verdict', cause: 'keepalive-race' }); break;
      }
    }
    return out;
  }

  const fold = (events: JournalEvent[]) => events.slice(1).reduce(reduce, initialState(events[0] as Extract<JournalEvent, { type: 'start' }>));

  it('gives exactly the state of folding reduce, undo frames included, for any order of events', () => {
    const pool = longJournal(400).slice(1);
    fc.assert(fc.property(fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 120 }), fc.boolean(), (picks, extraBacks) => {
      const events: JournalEvent[] = [start, ...picks.map((p, i) => ({ ...pool[p], seq: i + 2 }))];
      if (extraBacks) events.push(...picks.slice(0, 5).map((_, i) => ({ seq: events.length + i + 1, at: at(999), type: 'back' as const, from: 'x', to: 'y' })));
      const r = replay(events);
      const f = fold(events);
      expect(r).toEqual(f);
      // A step back after replay restores what a step back after folding restores.
      const back: JournalEvent = { seq: events.length + 1, at: at(1000), type: 'back', from: 'x', to: 'y' };
      expect(reduce(r, back)).toEqual(reduce(f, back));
    }), { numRuns: 200 });
  });

  /** How many array elements `fn` walks with the array iterator (spreads, for…of, destructuring). */
  function iterated(fn: () => void): number {
    const proto = Array.prototype as unknown as Record<symbol, (this: unknown[]) => Iterator<unknown>>;
    const original = proto[Symbol.iterator];
    let n = 0;
    proto[Symbol.iterator] = function (this: unknown[]) {
      const it = original.call(this);
      return { next: () => { n++; return it.next(); }, [Symbol.iterator]() { return this; } } as IterableIterator<unknown>;
    };
    try {
      fn();
    } finally {
      proto[Symbol.iterator] = original;
    }
    return n;
  }

  it('walks each event a bounded number of times, so twice the events cost twice the work, not four times', () => {
    // Counting element visits instead of timing keeps this deterministic on a busy machine.
    const small = longJournal(2000);
    const large = longJournal(4000);
    const a = iterated(() => replay(small));
    const b = iterated(() => replay(large));
    expect(b).toBeLessThanOrEqual(4 * large.length);
    expect(b / Math.max(a, 1)).toBeLessThan(2.5);
  });
});
