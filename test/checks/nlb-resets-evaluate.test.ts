// cloudwatch.nlb-resets' evaluate on plain evidence: what it assumes when the listener cannot be read.
import { describe, expect, it } from 'vitest';
import { cloudwatchNlbResets, type NlbResetsEvidence } from '../../src/checks/cloudwatch-nlb-resets.js';

const start = '2026-12-01T10:00:00.000Z';
const at = (m: number) => new Date(Date.parse(start) + m * 60_000).toISOString();

function evidence(extra: Partial<NlbResetsEvidence>): NlbResetsEvidence {
  return {
    loadBalancer: 'net/pay-nlb/50dc6c495c0c9188', targetGroups: ['targetgroup/pay-tg/73e2d6bc24d8a067'],
    start, end: at(3), periodSeconds: 60,
    results: [
      { id: 'elbResets', timestamps: [at(0), at(1), at(2)], values: [2, 5, 1] },
      { id: 'tg0_unhealthy', timestamps: [at(0), at(1), at(2)], values: [0, 0, 0] },
      { id: 'tg0_healthy', timestamps: [at(0), at(1), at(2)], values: [3, 3, 3] },
    ],
    ...extra,
  };
}

describe('cloudwatch.nlb-resets evaluate', () => {
  it('listener attributes refused: the 350 s TCP default, and the reason, in the evidence', () => {
    const r = cloudwatchNlbResets.evaluate(evidence({ idleTimeoutError: 'not allowed: elasticloadbalancing:DescribeListenerAttributes' }), { params: {}, facts: {} });
    expect(r).toMatchObject({ outcome: 'elb-resets', facts: { 'nlb.idleTimeoutSeconds': 350, 'metrics.nlbElbResets': 8 } });
    expect(r.findings?.[0]).toMatchObject({ cause: 'timeout-mismatch' });
    expect(r.findings?.[0].evidence.join(' ')).toMatch(/350 s, the TCP default/);
    expect(r.details?.join('\n')).toMatch(/could not be read: not allowed: elasticloadbalancing:DescribeListenerAttributes/);
  });

  it('two TCP listeners: the shorter idle timeout is the one that resets first', () => {
    const r = cloudwatchNlbResets.evaluate(evidence({ idleTimeouts: [{ port: 443, seconds: 900 }, { port: 8443, seconds: 120 }] }), { params: {}, facts: {} });
    expect(r.facts?.['nlb.idleTimeoutSeconds']).toBe(120);
  });

  it('no data point at all is no-data, not quiet', () => {
    const r = cloudwatchNlbResets.evaluate(evidence({ results: [] }), { params: {}, facts: {} });
    expect(r).toMatchObject({ status: 'warn', outcome: 'no-data' });
  });
});
