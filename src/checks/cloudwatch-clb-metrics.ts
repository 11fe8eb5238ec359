import type { MetricQuery, MetricResult } from '../aws/reader.js';
import { classicNameFor } from './clb-common.js';
import { incidentWindow, periodFor } from './cloudwatch-who-made-502.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

// AWS/ELB (elb-cloudwatch-metrics): no per-code metric, so ELB_5XX holds the CLB's 502, 503 and 504 alike.
const METRICS = [
  ['elb5xx', 'HTTPCode_ELB_5XX', 'Sum'],
  ['backend5xx', 'HTTPCode_Backend_5XX', 'Sum'],
  ['connErrors', 'BackendConnectionErrors', 'Sum'],
  ['spillover', 'SpilloverCount', 'Sum'],
  ['surge', 'SurgeQueueLength', 'Maximum'],
  ['unhealthy', 'UnHealthyHostCount', 'Maximum'],
  ['requests', 'RequestCount', 'Sum'],
] as const;
type Id = (typeof METRICS)[number][0];

export interface ClbMetricsEvidence {
  name: string;
  start: string;
  end: string;
  periodSeconds: number;
  results: MetricResult[];
}

function evaluate(ev: ClbMetricsEvidence): CheckResult {
  const byId = new Map(ev.results.map((r) => [r.id, r]));
  const sum = (id: Id) => (byId.get(id)?.values ?? []).reduce((a, b) => a + b, 0);
  const max = (id: Id) => Math.max(0, ...(byId.get(id)?.values ?? []));
  const v = { elb5xx: sum('elb5xx'), backend5xx: sum('backend5xx'), connErrors: sum('connErrors'), spillover: sum('spillover'), surge: max('surge'), unhealthy: max('unhealthy'), requests: sum('requests') };
  const facts: Facts = {
    'metrics.clbElb5xx': v.elb5xx, 'metrics.clbBackend5xx': v.backend5xx, 'metrics.clbConnErrors': v.connErrors,
    'metrics.clbSpillover': v.spillover, 'metrics.clbSurgeMax': v.surge,
  };
  const details = [
    `${ev.start} → ${ev.end}, ${ev.periodSeconds} s buckets, LoadBalancerName=${ev.name}`,
    `HTTPCode_ELB_5XX ${v.elb5xx} · HTTPCode_Backend_5XX ${v.backend5xx} · BackendConnectionErrors ${v.connErrors} · SpilloverCount ${v.spillover} · SurgeQueueLength max ${v.surge} · UnHealthyHostCount max ${v.unhealthy} · RequestCount ${v.requests}`,
  ];
  const findings: Finding[] = [];
  if (v.backend5xx > 0) findings.push({ cause: 'target-generated-502', confidence: v.elb5xx === 0 ? 'likely' : 'suspected', evidence: [`HTTPCode_Backend_5XX ${v.backend5xx}: the instances answered 5xx themselves (the CLB passes them on)`] });
  if (v.connErrors > 0) findings.push({ cause: 'target-not-listening', confidence: 'suspected', evidence: [`BackendConnectionErrors ${v.connErrors} (includes failed health checks and the CLB's retries)`] });
  if (v.spillover > 0) findings.push({ cause: 'server-resource-exhaustion', confidence: 'likely', evidence: [`SpilloverCount ${v.spillover}, SurgeQueueLength max ${v.surge} (1,024 is full): the instances do not keep up; rejected requests get 503`] });
  if (v.elb5xx > 0 && v.backend5xx === 0 && v.connErrors === 0) {
    details.push('The CLB made these 5xx itself with no backend error counted: a malformed instance response (502) or the idle-timeout/keep-alive race (504). The access log `elb_status_code` tells which.');
  }
  if (!ev.results.some((r) => r.values.length)) {
    // CloudWatch omits empty buckets, so no points at all is an idle LB or a wrong name/region/window.
    return { status: 'warn', outcome: 'no-data', facts, details: [...details, 'CloudWatch returned no data points: no traffic in the window, or check the name, the region and --since.'], summary: `No AWS/ELB data points for ${ev.name} in the window` };
  }
  if (v.elb5xx === 0 && v.backend5xx === 0) return { status: 'pass', outcome: 'quiet', facts, details, findings, summary: `No 5xx on ${ev.name} in the window (${v.requests} requests)` };
  const outcome = v.elb5xx > 0 && v.backend5xx > 0 ? 'both' : v.elb5xx > 0 ? 'lb-made' : 'backend-made';
  return {
    status: 'fail', outcome, facts, details, findings,
    summary: outcome === 'backend-made' ? `The instances made the 5xx (HTTPCode_Backend_5XX ${v.backend5xx}); the CLB made none`
      : outcome === 'lb-made' ? `The CLB made ${v.elb5xx} 5xx itself (BackendConnectionErrors ${v.connErrors}, SpilloverCount ${v.spillover})`
        : `Both: CLB-made 5xx ${v.elb5xx}, instance 5xx ${v.backend5xx}`,
  };
}

export const cloudwatchClbMetrics: Check<ClbMetricsEvidence> = {
  meta: {
    id: 'cloudwatch.clb-metrics',
    title: 'Classic Load Balancer metrics: who made the 5xx (CLB or instances), connection errors, surge queue',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-cloudwatch-metrics.html',
    apis: ['cloudwatch:GetMetricData'],
    params: {
      lb: { description: 'Classic Load Balancer name when clb.name is not known yet' },
      since: { description: 'Window start: a duration (3h) or a time' },
      until: { description: 'Window end (default now)' },
    },
    outcomes: ['lb-made', 'backend-made', 'both', 'quiet', 'no-data'],
    strength: 'measured',
    causes: ['target-generated-502', 'target-not-listening', 'server-resource-exhaustion'],
    facts: ['metrics.clbElb5xx', 'metrics.clbBackend5xx', 'metrics.clbConnErrors', 'metrics.clbSpillover', 'metrics.clbSurgeMax'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const name = classicNameFor(ctx);
    const { start, end } = incidentWindow(ctx.params.since || undefined, ctx.params.until || undefined, ctx.env.clock.now());
    const periodSeconds = periodFor(start, end);
    const queries: MetricQuery[] = METRICS.map(([id, metricName, stat]) => ({ id, namespace: 'AWS/ELB', metricName, stat, dimensions: { LoadBalancerName: name } }));
    ctx.progress(`GetMetricData AWS/ELB ${name}`);
    const results = await aws.getMetricData({ queries, start: start.toISOString(), end: end.toISOString(), periodSeconds });
    return { name, start: start.toISOString(), end: end.toISOString(), periodSeconds, results };
  },
  evaluate: (ev) => evaluate(ev),
};
