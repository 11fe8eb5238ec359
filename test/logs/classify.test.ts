import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { DOC_CLB, DOC_HTTP, DOC_LAMBDA, SEED_BAD, SEED_GOOD, T0, TG_TLS, albLine, iso } from './fixtures.js';

const ok = (ms: number, target = '10.0.1.10:8080', extra = {}): string =>
  albLine({ time: iso(ms + 3), created: iso(ms), target, timings: '0.000 0.003 0.000', elb: '200', tstat: '200', ...extra });
const closed = (ms: number, target = '10.0.1.10:8080', timings = '0.000 0.000 -1', extra = {}): string =>
  albLine({ time: iso(ms), created: iso(ms), target, timings, elb: '502', tstat: '-', ...extra });

/** Busy background traffic on other targets, so the window has ordinary requests. */
function background(fromMs: number, toMs: number, stepMs = 500): string[] {
  const out: string[] = [];
  for (let t = fromMs, i = 0; t < toMs; t += stepMs, i++) out.push(ok(t, `10.0.1.${20 + (i % 4)}:8080`));
  return out;
}

function causesOf(lines: string[], opts = {}): Record<string, number> {
  const a = analyzeText({ 'x.log': lines.join('\n') }, opts);
  return Object.fromEntries(a.causes.map((c) => [c.cause, c.count]));
}

describe('502 classification from single lines', () => {
  it('target_status_code 502 is target-generated', () => {
    const a = analyzeText({ 'x.log': [DOC_HTTP, albLine({ elb: '502', tstat: '502', timings: '0.000 0.021 0.000' })].join('\n') });
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'target-generated-502', count: 1, confidence: 'confirmed', evidence: ['x.log:2'] })]);
    expect(a).toMatchObject({ count502: 1, target502: 1, lb502: 0, rate502: 0.5 });
  });

  it('Lambda error_reason codes', () => {
    expect(causesOf([
      DOC_LAMBDA,
      DOC_LAMBDA.replace('LambdaInvalidResponse', 'LambdaResponseTooLarge'),
      DOC_LAMBDA.replace('LambdaInvalidResponse', 'LambdaUnhandled'),
      DOC_LAMBDA.replace('LambdaInvalidResponse', 'LambdaThrottling'),
      // "The load balancer did not have permission to invoke the Lambda function" (error_reason table,
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html).
      DOC_LAMBDA.replace('LambdaInvalidResponse', 'LambdaAccessDenied'),
    ])).toEqual({ 'lambda-invalid-response': 2, 'lambda-error-or-timeout': 2, 'lambda-invoke-permission-missing': 1 });
  });

  it('target reached, timed, no status: malformed or oversized response', () => {
    const a = analyzeText({ 'x.log': [ok(T0), albLine({ elb: '502', tstat: '-', timings: '0.000 0.012 0.000' })].join('\n') });
    expect(a.causes[0]).toMatchObject({ cause: 'malformed-response', alternatives: ['response-headers-too-large'] });
  });

  it('other error_reason codes stay unclassified rather than guessed', () => {
    expect(causesOf([albLine({ elb: '502', tstat: '-', target: '-', error: 'WAFConnectionError', timings: '-1 -1 -1' })])).toEqual({ unclassified: 1 });
  });
});

describe('connection closed by the target: context decides', () => {
  it('the seed article: isolated 0.000 0.000 -1 after an idle gap on a healthy target is the keep-alive race', () => {
    const lines = [...background(T0 - 60_000, T0 + 120_000), SEED_GOOD, SEED_BAD, ok(T0 + 7_000)];
    const a = analyzeText({ 'x.log': lines.join('\n') });
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'keepalive-race', count: 1 })]);
    expect(a.keepalive).toMatchObject({ connectionClosed502: 1, isolated: 1, afterIdleGap: 1, medianGapSeconds: 6, signature: true });
    expect(a.verdict.cause).toBe('keepalive-race');
    expect(a.verdict.evidence).toEqual([`x.log:${lines.indexOf(SEED_BAD) + 1}`]);
  });

  it('keep-alive signature: 502s follow idle gaps far more often than ordinary requests', () => {
    const lines = background(T0, T0 + 600_000);
    // A quiet target: requests 1 s apart, and every ~30 s one comes after a 5–6 s pause and fails.
    let t = T0;
    for (let k = 0; k < 15; k++) {
      for (let j = 0; j < 25; j++, t += 1000) lines.push(ok(t, '10.0.2.10:3000'));
      t += 5_500;
      lines.push(closed(t, '10.0.2.10:3000'));
      t += 1000;
    }
    const a = analyzeText({ 'x.log': lines.join('\n') });
    expect(a.causes.map((c) => c.cause)).toEqual(['keepalive-race']);
    expect(a.keepalive.signature).toBe(true);
    expect(a.keepalive.afterIdleGapShare).toBe(1);
    expect(a.keepalive.baselineAfterIdleGapShare).toBeLessThan(0.1);
    expect(a.keepalive.medianGapSeconds).toBeGreaterThanOrEqual(5);
    expect(a.causes[0].confidence).toBe('likely');
    expect(a.byTarget[0]).toMatchObject({ key: '10.0.2.10:3000', count502: 15, requests: 390 });
    expect(a.topTargetShare).toBe(1);
  });

  it('a burst of -1 -1 -1 on a target that answers before and after is a crash or restart', () => {
    const lines = background(T0, T0 + 600_000);
    for (let t = T0; t < T0 + 600_000; t += 1000) {
      const down = t >= T0 + 300_000 && t < T0 + 330_000;
      lines.push(down ? closed(t, '10.0.1.17:8080', '-1 -1 -1') : ok(t, '10.0.1.17:8080'));
    }
    expect(causesOf(lines)).toEqual({ 'target-crashed-or-overloaded': 30 });
  });

  it('a target that never answers is not listening', () => {
    const lines = background(T0, T0 + 120_000);
    for (let t = T0; t < T0 + 120_000; t += 10_000) lines.push(closed(t, '10.0.1.99:8080', '-1 -1 -1'));
    const a = analyzeText({ 'x.log': lines.join('\n') });
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'target-not-listening', count: 12 })]);
    expect(a.byTarget[0]).toMatchObject({ key: '10.0.1.99:8080', count502: 12, requests: 12, rate502: 1 });
  });

  it('an HTTPS target group that never completes a connection is a TLS handshake failure', () => {
    const lines = background(T0, T0 + 120_000);
    for (let t = T0; t < T0 + 120_000; t += 10_000) lines.push(closed(t, '10.0.3.5:8443', '-1 -1 -1', { tg: TG_TLS }));
    expect(causesOf(lines, { httpsTargetGroups: [TG_TLS] })).toEqual({ 'target-tls-handshake': 12 });
    // Without target-group protocols, the port is the hint.
    expect(causesOf(lines)).toEqual({ 'target-tls-handshake': 12 });
    expect(causesOf(lines.map((l) => l.replaceAll('10.0.3.5:8443', '10.0.3.5:8080')))).toEqual({ 'target-not-listening': 12 });
  });

  it('in-flight requests cut when a target leaves the group are deregistration', () => {
    const lines = background(T0, T0 + 300_000);
    for (let t = T0; t < T0 + 100_000; t += 1000) lines.push(ok(t, '10.0.9.9:8080'));
    for (let k = 0; k < 5; k++) {
      lines.push(albLine({ time: iso(T0 + 130_000), created: iso(T0 + 95_000 + k * 1000), target: '10.0.9.9:8080', timings: '-1 -1 -1', elb: '502', tstat: '-' }));
    }
    expect(causesOf(lines)).toEqual({ 'deregistration-delay': 5 });
  });

  it('keeps evidence as file:line for every cause', () => {
    const a = analyzeText({ 'a.log': [SEED_GOOD, SEED_BAD].join('\n'), 'b.log': [DOC_LAMBDA].join('\n') });
    const refs = a.causes.flatMap((c) => c.evidence);
    expect(refs.sort()).toEqual(['a.log:2', 'b.log:1']);
    expect(a.examples.map((e) => e.ref).sort()).toEqual(['a.log:2', 'b.log:1']);
  });
});

describe('breakdowns and series', () => {
  it('per-minute counts over the window, by target, group, path and client', () => {
    const lines = [
      ok(T0), ok(T0 + 61_000), albLine({ time: iso(T0 + 62_000), elb: '502', tstat: '502', path: '/api/pay?x=1', client: '198.51.100.9:4000' }),
      albLine({ time: iso(T0 + 185_000), elb: '502', tstat: '502', path: '/api/pay', client: '198.51.100.9:4001' }),
    ];
    const a = analyzeText({ 'x.log': lines.join('\n') }, { sinceMs: T0, untilMs: T0 + 240_000 });
    expect(a.perMinute).toEqual({ start: new Date(T0).toISOString(), periodSeconds: 60, total: [1, 2, 0, 1], errors502: [0, 1, 0, 1], peak502: { minute: new Date(T0 + 60_000).toISOString(), count: 1 } });
    expect(a.byPath).toEqual([{ key: '/api/pay', count502: 2 }]);
    expect(a.byClient).toEqual([{ key: '198.51.100.9', count502: 2 }]);
    expect(a.byTargetGroup[0].count502).toBe(2);
    expect(a.rate502).toBe(0.5);
  });

  it('--top limits the breakdowns', () => {
    const lines = Array.from({ length: 20 }, (_, i) => albLine({ elb: '502', tstat: '502', path: `/p${i}`, time: iso(T0 + i * 1000) }));
    expect(analyzeText({ 'x.log': lines.join('\n') }, { top: 3 }).byPath).toHaveLength(3);
  });
});

describe('bounded memory in a big outage', () => {
  it('closed connections past the kept cap take their target’s majority cause and are all counted', async () => {
    const { PendingStore } = await import('../../src/logs/analyzer.js');
    const cap = PendingStore.CAP;
    PendingStore.CAP = 50;
    try {
      const lines = background(T0, T0 + 300_000);
      for (let t = T0; t < T0 + 300_000; t += 1000) lines.push(ok(t, '10.0.1.17:8080'));
      for (let t = T0 + 100_000; t < T0 + 220_000; t += 500) lines.push(closed(t, '10.0.1.17:8080', '-1 -1 -1'));
      const a = analyzeText({ 'x.log': lines.join('\n') });
      expect(a.causes).toEqual([expect.objectContaining({ cause: 'target-crashed-or-overloaded', count: 240 })]);
      expect(a.keepalive.connectionClosed502).toBe(240);
    } finally {
      PendingStore.CAP = cap;
    }
  });
});

// Field semantics from https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html :
// request_processing_time and target_processing_time are -1 only when the ALB could not
// dispatch the request; ≥ 0 means the request was sent to the target. The troubleshooting
// page (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html#http-502-issues)
// gives a RST or ICMP error while connecting as a 502 cause. Lines follow the docs layout (DOC_HTTP).
describe('dispatched vs not dispatched', () => {
  const held = (ms: number, target: string): string =>
    albLine({ time: iso(ms + 4206), created: iso(ms), target, timings: '0.001 4.205 -1', elb: '502', tstat: '-' });

  it('a request the target held 4.2 s and closed is never "not listening"', () => {
    const lines = background(T0, T0 + 120_000);
    for (let t = T0 + 10_000; t < T0 + 120_000; t += 30_000) lines.push(held(t, '10.0.1.30:8080'));
    const a = analyzeText({ 'x.log': lines.join('\n') });
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'target-crashed-or-overloaded', count: 4 })]);
    expect(a.causes[0].why).toMatch(/held it 4\.2 s/);
  });

  it('an isolated held-then-closed request on an answering target is not the keep-alive race', () => {
    const lines = [...background(T0, T0 + 120_000), ok(T0), held(T0 + 6_000, '10.0.1.10:8080'), ok(T0 + 20_000)];
    expect(causesOf(lines)).toEqual({ 'target-crashed-or-overloaded': 1 });
  });

  it('an isolated -1 -1 -1 with no idle gap is not asserted as a keep-alive close: the connect failure is named', () => {
    const lines = background(T0, T0 + 120_000);
    for (let t = T0; t < T0 + 60_000; t += 500) lines.push(ok(t, '10.0.1.10:8080'));
    lines.push(closed(T0 + 30_250, '10.0.1.10:8080', '-1 -1 -1'));
    const a = analyzeText({ 'x.log': lines.join('\n') });
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'keepalive-race', count: 1, confidence: 'suspected', alternatives: ['target-crashed-or-overloaded', 'target-not-listening'] })]);
    expect(a.causes[0].why).toMatch(/no idle gap .*RST or ICMP error while connecting; TargetConnectionErrorCount/);
    expect(a.keepalive).toMatchObject({ isolated: 1, afterIdleGap: 0, signature: false });
  });

  it('an isolated -1 -1 -1 after an idle gap on a pooled connection is the keep-alive race', () => {
    const lines = [...background(T0 - 60_000, T0 + 120_000), SEED_GOOD, closed(T0 + 6_000, '10.0.1.10:8080', '-1 -1 -1'), ok(T0 + 7_000)];
    const a = analyzeText({ 'x.log': lines.join('\n') });
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'keepalive-race', count: 1 })]);
    expect(a.keepalive).toMatchObject({ isolated: 1, afterIdleGap: 1 });
  });
});

// https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/ts-elb-error-message.html :
// HTTP 502 means the CLB could not parse the instance's response; a backend that closes the
// connection gives HTTP 504. The line is the CLB docs example (DOC_CLB) turned into a 502.
describe('Classic ELB 502s', () => {
  const clb502 = (timings: string, at: string): string =>
    DOC_CLB.replace('2015-05-13T23:39:43.945958Z', at).replace('0.000073 0.001048 0.000057 200 200', `${timings} 502 -`);

  it('an isolated CLB 502 is a malformed response, never the keep-alive race', () => {
    const lines = [DOC_CLB, clb502('0.000073 0.001048 -1', '2015-05-13T23:39:49.000000Z'), clb502('-1 -1 -1', '2015-05-13T23:40:30.000000Z'), DOC_CLB.replace('23:39:43', '23:41:00')];
    const a = analyzeText({ 'clb.log': lines.join('\n') });
    expect(a.format).toBe('clb');
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'malformed-response', count: 2, alternatives: ['response-headers-too-large'] })]);
    expect(a.keepalive.connectionClosed502).toBe(0);
  });

  it('a CLB 502 passed through from the instance stays target-generated', () => {
    const line = DOC_CLB.replace('200 200', '502 502');
    expect(causesOf([DOC_CLB, line])).toEqual({ 'target-generated-502': 1 });
  });
});
