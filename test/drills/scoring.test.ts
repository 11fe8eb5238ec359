import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/drills/scenarios.js';
import { scoreDrill } from '../../src/engine/drill-score.js';
import { renderDebrief } from '../../src/report/debrief.js';
import { loadCatalog } from '../../src/flow-files.js';
import { runCheckResult as runCheck, testContext } from '../helpers/check-context.js';
import { replayEnv } from '../../src/checks/env.js';
import { getCheck } from '../../src/checks/registry.js';
import type { Recording } from '../../src/aws/recorded.js';
import { fixture } from '../helpers/flows.js';
import { playScenario, replayed } from '../helpers/drills.js';

const loaded = loadScenario(fixture('drills/keepalive-mini.yaml'));
const catalog = loadCatalog();

describe('drill scoring', () => {
  it('a scripted run along the shortest path finds the cause and scores correct, with no wrong turns', async () => {
    const run = await playScenario(loaded);
    expect(run.shortest?.cause).toBe('keepalive-race');
    expect(run.state.findings.some((f) => f.cause === 'keepalive-race' && f.confidence !== 'suspected')).toBe(true);
    const s = run.score('keepalive-race');
    expect(s).toMatchObject({ correct: true, wrongTurns: [], backtracks: 0, unneededChecks: expect.any(Array) });
    expect(s.shortest.map((m) => m.node)).toEqual(run.shortest?.moves.map((m) => m.node));
    // The goal is where the cause stood as likely or confirmed, not an earlier "suspected".
    expect(run.state.findings.some((f) => f.node === run.shortest?.goalNode && f.cause === 'keepalive-race' && ['likely', 'confirmed'].includes(f.confidence))).toBe(true);
    expect(s.timeToEvidenceMs).toBeGreaterThan(0);
    expect(s.timeToPhaseMs).toBeDefined();
  });

  it('naming another cause is scored as wrong, and the debrief says what the answer was', async () => {
    const run = await playScenario(loaded);
    const s = run.score('sg-blocks-lb-to-target');
    expect(s.correct).toBe(false);
    const md = renderDebrief({ scenario: loaded.scenario, score: s, catalog, sessionId: 'scripted', at: new Date('2026-11-21T10:00:00Z') });
    expect(md).toContain('**Not correct.**');
    expect(md).toContain('the answer was Backend closes idle keep-alive connections');
    expect(md).toMatch(/^\| #\s+\| Your path\s+\| Shortest path to the answer\s+\|$/m);
    expect(md).toContain('Node behind an ALB with the default 5 s keep-alive.');
  });

  it('an answer that misreads the evidence is a wrong turn; a step undone is a backtrack', async () => {
    const run = await playScenario(loaded, { 'intake-pattern': 'all' });
    const s = run.score('keepalive-race');
    expect(s.wrongTurns).toEqual([expect.objectContaining({ node: 'intake-pattern', chose: 'Every request fails', expected: 'Some requests fail, now and then' })]);

    const start = run.events[0];
    const answerAt = run.events.findIndex((e) => e.type === 'answer' && e.node === 'intake-title');
    const events = [
      start, run.events[answerAt],
      { seq: 3, at: new Date(Date.parse(start.at) + 5000).toISOString(), type: 'back' as const, from: 'intake-started', to: 'intake-title' },
    ];
    const b = scoreDrill({ flow: loaded.flow, events, shortest: run.shortest, pinned: {}, causes: ['keepalive-race'], named: 'keepalive-race', endedAt: new Date(Date.parse(start.at) + 9000) });
    expect(b.backtracks).toBe(1);
    expect(b.trainee[0]).toMatchObject({ node: 'intake-title', undone: true });
    expect(b.elapsedMs).toBe(9000);
    expect(replayed(events).node).toBe('intake-title');
  });

  it('a check the shortest path does not need is counted, unless its findings spoke for the answer', async () => {
    const run = await playScenario(loaded);
    const onShortest = new Set(run.shortest?.moves.map((m) => m.node));
    const offPath = run.events.flatMap((e) => (e.type === 'check' && !onShortest.has(e.node) ? [e] : []));
    expect(offPath.length).toBeGreaterThan(0);
    const forAnswer = (e: (typeof offPath)[number]) => (e.result.findings ?? []).some((f) => f.cause === 'keepalive-race' && f.confidence !== 'ruled-out');
    expect(run.score('keepalive-race').unneededChecks.map((c) => c.node)).toEqual(offPath.filter((e) => !forAnswer(e)).map((e) => e.node));
    // Scored against another answer, the same checks gave no evidence for it: all are counted.
    const other = scoreDrill({ flow: loaded.flow, events: run.events, shortest: run.shortest, pinned: {}, causes: ['sg-blocks-lb-to-target'], named: 'keepalive-race', endedAt: new Date() });
    expect(other.unneededChecks.map((c) => c.node)).toEqual(offPath.map((e) => e.node));
  });

  it('a replayed run has no S3 logs: the access-log check says so instead of calling S3', async () => {
    const env = replayEnv(loaded.scenario.aws as Recording);
    const check = getCheck('logs.access-log')!;
    const r = await runCheck(check, testContext({ params: { source: 's3://shop-alb-logs/prod', since: '1h' }, env }));
    expect(r.outcome).toBe('unknown');
    expect(r.summary).toContain('recording has no answer for files.readLogs');
    expect(r.nextStep).toMatch(/record the run again/);
  });
});
