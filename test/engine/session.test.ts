import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine/vocabulary.js';
import { board, standingCauses } from '../../src/engine/board.js';
import { answer, backEvent, pending, replay, type SessionState } from '../../src/engine/session.js';
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
