import { describe, expect, it } from 'vitest';
import { evaluateStored } from '../../src/checks/runner.js';
import type { JournalEvent } from '../../src/engine/events.js';
import { reevaluateJournal } from '../../src/engine/reevaluate.js';
import { replay } from '../../src/engine/session.js';

const start: JournalEvent = { seq: 1, at: '2026-01-01T00:00:00.000Z', type: 'start', sessionId: 's', flow: 'alb', flowTitle: 'ALB', version: 1, start: 'a', context: { mode: 'live' } };
// What net.tcp-connect collected from a refused connection (its evidence shape), with a result an older evaluate got wrong.
const refused = { tcp: { host: '10.0.1.5', port: 8080, result: 'refused', address: '10.0.1.5', checkedAt: '2026-01-01T00:00:01.000Z', error: { code: 'ECONNREFUSED', message: 'connection refused' } } };

describe('report --reevaluate', () => {
  it('re-runs evaluate on stored evidence, replaces the check\'s findings and says where the outcome changed', () => {
    const events: JournalEvent[] = [
      start,
      { seq: 2, at: start.at, type: 'check', node: 'port', check: 'net.tcp-connect', params: { host: '10.0.1.5', port: '8080' }, result: { status: 'pass', outcome: 'open', summary: 'old', sources: [{ api: 'probe:tcp', at: start.at, hash: 'sha256:1' }] }, next: 'b', evidence: refused },
      { seq: 3, at: start.at, type: 'finding', node: 'port', cause: 'target-not-listening', confidence: 'ruled-out', evidence: ['old'], via: 'check' },
      { seq: 4, at: start.at, type: 'check', node: 'b', check: 'net.tcp-connect', params: {}, result: { status: 'unknown', outcome: 'unknown', summary: 'never collected' }, next: 'c' },
    ];
    const r = reevaluateJournal(events, evaluateStored);
    expect(r.reevaluated).toBe(1);
    expect(r.changed).toEqual([{ node: 'port', check: 'net.tcp-connect', was: 'open', now: 'refused' }]);
    expect(r.skipped).toEqual([{ node: 'b', check: 'net.tcp-connect', why: expect.stringContaining('no evidence') }]);
    const s = replay(r.events);
    expect(s.checks[0].result.outcome).toBe('refused');
    expect(s.checks[0].result.sources).toEqual([{ api: 'probe:tcp', at: start.at, hash: 'sha256:1' }]);
    expect(s.findings).toEqual([expect.objectContaining({ cause: 'target-not-listening', confidence: 'likely' })]);
    expect(r.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});
