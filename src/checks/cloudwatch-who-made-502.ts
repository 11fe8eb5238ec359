import type { MetricQuery, MetricResult } from '../aws/reader.js';
import { factList, lbDimension, loadBalancerArnFor, tgDimension } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding, Series } from '../engine/vocabulary.js';
import type { Check } from './types.js';

const NAMESPACE = 'AWS/ApplicationELB';
const DEFAULT_WINDOW_MS = 3 * 3600_000;

/** `2h`, `90m`, `1d`, `45s` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[(m[2] ?? 'm').toLowerCase() as 's'];
  return Number(m[1]) * unit;
}

/** The incident window from `since` (duration or ISO time) and optional `until`, ending now. */
export function incidentWindow(since: string | undefined, until: string | undefined, now: Date): { start: Date; end: Date } {
  const parseTime = (t: string) => {
    const ms = parseDuration(t);
    if (ms !== undefined) return new Date(now.getTime() - ms);
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) throw new RangeError(`not a duration or time: ${t}`);
    return d;
  };
  const end = until ? parseTime(until) : now;
  const start = since ? parseTime(since) : new Date(end.getTime() - DEFAULT_WINDOW_MS);
  if (start >= end) throw new RangeError(`since (${start.toISOString()}) must be before until (${end.toISOString()})`);
  return { start, end };
}

/** 60 s buckets unless the window is long: keep ≤ 1440 points so the call stays one page. */
export function periodFor(start: Date, end: Date): number {
  const minutes = Math.ceil((end.getTime() - start.getTime()) / 60_000);
  return Math.max(1, Math.ceil(minutes / 1440)) * 60;
}

const LB_METRICS = [
  ['elb502', 'HTTPCode_ELB_502_Count', 'Sum'],
  ['elb5xx', 'HTTPCode_ELB_5XX_Count', 'Sum'],
  ['target5xx', 'HTTPCode_Target_5XX_Count', 'Sum'],
  ['connErrors', 'TargetConnectionErrorCount', 'Sum'],
  ['tlsErrors', 'TargetTLSNegotiationErrorCount', 'Sum'],
  ['requests', 'RequestCount', 'Sum'],
  // Lambda targets: the ALB counts a function's failures here, not in the target 5xx metrics.
  ['lambdaUser', 'LambdaUserError', 'Sum'],
  ['lambdaInternal', 'LambdaInternalError', 'Sum'],
] as const;

const TG_METRICS = [
  ['target5xx', 'HTTPCode_Target_5XX_Count', 'Sum'],
  ['connErrors', 'TargetConnectionErrorCount', 'Sum'],
  ['tlsErrors', 'TargetTLSNegotiationErrorCount', 'Sum'],
  ['requests', 'RequestCount', 'Sum'],
  ['unhealthy', 'UnHealthyHostCount', 'Maximum'],
  ['healthy', 'HealthyHostCount', 'Minimum'],
] as const;

export function buildQueries(lb: string, tgs: string[]): MetricQuery[] {
  const queries: MetricQuery[] = LB_METRICS.map(([id, metricName, stat]) => ({ id, namespace: NAMESPACE, metricName, stat, dimensions: { LoadBalancer: lb } }));
  tgs.forEach((tg, i) => {
    for (const [id, metricName, stat] of TG_METRICS) {
      queries.push({ id: `tg${i}_${id}`, namespace: NAMESPACE, metricName, stat, dimensions: { TargetGroup: tg, LoadBalancer: lb } });
    }
  });
  return queries;
}

export interface WhoMade502Evidence {
  loadBalancer: string;
  targetGroups: string[];
  start: string;
  end: string;
  periodSeconds: number;
  results: MetricResult[];
}

/** Per-bucket values from `start`; CloudWatch omits zero buckets, so missing means 0. */
export function align(r: MetricResult | undefined, start: number, period: number, buckets: number): number[] {
  const values = new Array<number>(buckets).fill(0);
  r?.timestamps.forEach((t, i) => {
    const b = Math.floor((Date.parse(t) - start) / (period * 1000));
    if (b >= 0 && b < buckets) values[b] += r.values[i] ?? 0;
  });
  return values;
}

export const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

function evaluate(ev: WhoMade502Evidence): CheckResult {
  const start = Date.parse(ev.start);
  const buckets = Math.max(1, Math.ceil((Date.parse(ev.end) - start) / (ev.periodSeconds * 1000)));
  const byId = new Map(ev.results.map((r) => [r.id, r]));
  const lbSeries = Object.fromEntries(LB_METRICS.map(([id]) => [id, align(byId.get(id), start, ev.periodSeconds, buckets)])) as Record<(typeof LB_METRICS)[number][0], number[]>;
  const totals = Object.fromEntries(Object.entries(lbSeries).map(([k, v]) => [k, sum(v)])) as Record<keyof typeof lbSeries, number>;
  const tgRows = ev.targetGroups.map((tg, i) => {
    const get = (id: string) => align(byId.get(`tg${i}_${id}`), start, ev.periodSeconds, buckets);
    return {
      name: tg.split('/')[1] ?? tg,
      target5xx: sum(get('target5xx')),
      connErrors: sum(get('connErrors')),
      tlsErrors: sum(get('tlsErrors')),
      requests: sum(get('requests')),
      unhealthyMax: Math.max(0, ...get('unhealthy')),
      unhealthySeries: get('unhealthy'),
      // Only a reported series can say "zero healthy hosts"; an absent one says nothing.
      healthyReported: (byId.get(`tg${i}_healthy`)?.timestamps.length ?? 0) > 0,
      healthyMax: Math.max(0, ...get('healthy')),
    };
  });
  const unhealthyMax = Math.max(0, ...tgRows.map((r) => r.unhealthyMax));
  const { elb502, target5xx, connErrors, tlsErrors, requests, elb5xx, lambdaUser, lambdaInternal } = totals;
  const peak = lbSeries.elb502.indexOf(Math.max(...lbSeries.elb502));
  const at = (b: number) => new Date(start + b * ev.periodSeconds * 1000).toISOString();
  const series: Series[] = [
    ...LB_METRICS.map(([id, name]) => ({ name, start: ev.start, periodSeconds: ev.periodSeconds, values: lbSeries[id] })),
    ...tgRows.map((r) => ({ name: `UnHealthyHostCount ${r.name}`, start: ev.start, periodSeconds: ev.periodSeconds, values: r.unhealthySeries })),
  ];
  const window = `${ev.start.slice(0, 16)}Z–${ev.end.slice(0, 16)}Z`;
  const details = [
    `${ev.loadBalancer}, ${window}, ${ev.periodSeconds} s buckets (missing data = 0)`,
    `HTTPCode_ELB_502_Count ${elb502} · HTTPCode_ELB_5XX_Count ${elb5xx} · HTTPCode_Target_5XX_Count ${target5xx} · TargetConnectionErrorCount ${connErrors} · TargetTLSNegotiationErrorCount ${tlsErrors} · RequestCount ${requests}`,
    ...(lambdaUser || lambdaInternal ? [`LambdaUserError ${lambdaUser} · LambdaInternalError ${lambdaInternal}`] : []),
    ...(elb502 ? [`Most ALB 502s at ${at(peak)} (${lbSeries.elb502[peak]})`] : []),
    ...tgRows.map((r) => `  ${r.name}: Target_5XX ${r.target5xx}, connection errors ${r.connErrors}, TLS errors ${r.tlsErrors}, requests ${r.requests}, max unhealthy hosts ${r.unhealthyMax}`),
  ];
  const facts: Facts = {
    'metrics.elb502': elb502,
    'metrics.elb5xx': elb5xx,
    'metrics.target5xx': target5xx,
    'metrics.connectionErrors': connErrors,
    'metrics.tlsErrors': tlsErrors,
    'metrics.requests': requests,
    'metrics.unhealthyMax': unhealthyMax,
    'metrics.lambdaUserErrors': lambdaUser,
    'metrics.lambdaInternalErrors': lambdaInternal,
    ...(elb502 ? { 'metrics.peakAt': at(peak) } : {}),
  };
  // "≈ 0": under 5 % of the other side is noise, not a second source.
  const lbMade = elb502 > 0 && !(target5xx > 0 && elb502 < 0.05 * target5xx);
  const targetMade = target5xx > 0 && !(elb502 > 0 && target5xx < 0.05 * elb502);
  const findings: Finding[] = [];
  const cite = `HTTPCode_ELB_502_Count ${elb502}, TargetConnectionErrorCount ${connErrors}, TargetTLSNegotiationErrorCount ${tlsErrors}, max UnHealthyHostCount ${unhealthyMax} (${window})`;
  // Which groups the errors came from: with several groups behind one ALB, the broken one is named.
  const byGroup = (key: 'connErrors' | 'tlsErrors', name: string) => {
    const rows = tgRows.filter((r) => r[key] > 0).sort((a, b) => b[key] - a[key]);
    return rows.length && tgRows.length > 1 ? [`${name} by target group: ${rows.map((r) => `${r.name} ${r[key]}`).join(', ')} (of ${tgRows.length} groups)`] : [];
  };
  const lambdaFailures = lambdaUser + lambdaInternal;
  let signal = '';
  if (lbMade) {
    if (lambdaFailures > 0) {
      signal = `Lambda target failures (LambdaUserError ${lambdaUser}, LambdaInternalError ${lambdaInternal}) → the function failed, timed out or answered a malformed object`;
      // LambdaUserError covers an unhandled error, a timeout, an invalid response and a denied invoke
      // alike (load-balancer-access-logs.html, error reason codes): the access log's error_reason tells
      // them apart, so on its own it only suspects each. LambdaInternalError is Lambda's own side.
      findings.push({ cause: 'lambda-error-or-timeout', confidence: lambdaInternal > 0 ? 'likely' : 'suspected', evidence: [cite, `LambdaUserError ${lambdaUser}, LambdaInternalError ${lambdaInternal}: the ALB counted failures of its Lambda targets`] });
      if (lambdaUser > 0) findings.push({ cause: 'lambda-invalid-response', confidence: 'suspected', evidence: [`LambdaUserError ${lambdaUser} also counts responses the ALB could not read (error_reason LambdaInvalidResponse) and invokes it was not allowed (LambdaAccessDenied)`] });
    }
    if (connErrors > 0) {
      signal = signal || 'connection errors → target not listening or crashed';
      const groups = byGroup('connErrors', 'TargetConnectionErrorCount');
      findings.push({ cause: 'target-not-listening', confidence: 'likely', evidence: [cite, 'the ALB could not connect (RST/ICMP) to targets', ...groups] });
      findings.push({ cause: 'target-crashed-or-overloaded', confidence: 'suspected', evidence: [cite, ...groups] });
    }
    if (tlsErrors > 0) {
      signal = signal ? `${signal}; TLS errors → handshake to targets` : 'TLS handshake errors to targets';
      findings.push({ cause: 'target-tls-handshake', confidence: 'likely', evidence: [cite, ...byGroup('tlsErrors', 'TargetTLSNegotiationErrorCount')] });
    }
    // Lambda failures that account for most 502s leave nothing for a keep-alive race to explain.
    if (!connErrors && !tlsErrors && lambdaFailures < 0.5 * elb502) {
      const noneHealthy = tgRows.length > 0 && tgRows.every((r) => r.healthyReported && r.healthyMax === 0);
      if (unhealthyMax === 0 && noneHealthy) {
        signal = 'no healthy and no unhealthy hosts → no target has passed a health check yet';
        findings.push({ cause: 'no-healthy-targets-yet', confidence: 'likely', evidence: [cite, 'HealthyHostCount and UnHealthyHostCount are both 0: the targets are still registering or in their first health checks'] });
      } else if (unhealthyMax === 0) {
        signal = 'no connection or TLS errors on healthy targets → keep-alive race or a response the ALB could not parse';
        // The counts alone cannot tell a connection closed under a request from an unparsable answer
        // (both are ALB 502s with no connection error): the access log's timings decide.
        findings.push({ cause: 'keepalive-race', confidence: 'suspected', evidence: [cite, 'ALB 502s with healthy targets and no connection errors: connections closed by the target while a request was in flight'] });
        findings.push({ cause: 'malformed-response', confidence: 'suspected', evidence: [cite, 'or the target answered something the ALB could not parse'] });
      } else {
        signal = 'no connection errors, but unhealthy targets';
        findings.push({ cause: 'target-crashed-or-overloaded', confidence: 'suspected', evidence: [cite] });
        findings.push({ cause: 'keepalive-race', confidence: 'suspected', evidence: [cite] });
      }
    }
  }
  // HTTPCode_Target_5XX_Count counts 500s and 504s as well as 502s: on its own it names no 502
  // cause. Only the access log's target_status_code can say the targets answered 502.
  if (targetMade) details.push(`HTTPCode_Target_5XX_Count ${target5xx}: the targets answered 5xx; the access logs' target_status_code tells whether any were 502`);
  if (!lbMade && elb502 === 0 && (requests > 0 || target5xx > 0)) {
    findings.push({ cause: 'keepalive-race', confidence: 'ruled-out', evidence: [`HTTPCode_ELB_502_Count 0 over ${window}`] });
  }
  const base = { details, facts, findings, series };
  if (lbMade && targetMade) {
    return { ...base, status: 'fail', outcome: 'both', summary: `Both: the ALB made ${elb502} 502s (${signal}) and targets returned ${target5xx} 5xx` };
  }
  if (lbMade) return { ...base, status: 'fail', outcome: 'lb-generated', summary: `The ALB generated ${elb502} 502s: ${signal}` };
  if (targetMade) return { ...base, status: 'warn', outcome: 'target-generated', summary: `The targets returned ${target5xx} 5xx and the ALB made ${elb502} 502s: any 502 comes from the application or its proxy (the access logs' target_status_code shows which 5xx they were)` };
  return { ...base, status: 'pass', outcome: 'none', summary: `No 502s in CloudWatch for ${window} (${requests} requests): if users see 502s, they come from something in front of this ALB or outside the window` };
}

export const cloudwatchWhoMade502: Check<WhoMade502Evidence> = {
  meta: {
    id: 'cloudwatch.who-made-502',
    title: 'Who made the 502: the ALB or the target (CloudWatch metrics)',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
    apis: ['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups'],
    params: {
      since: { description: 'Start of the incident window: a duration back from now (2h, 90m) or an ISO time; default 3h' },
      until: { description: 'End of the window (duration back from now or ISO time); default now' },
      lb: { description: 'Load balancer name or ARN when lb.arn is not known yet' },
    },
    outcomes: ['lb-generated', 'target-generated', 'both', 'none'],
    causes: ['keepalive-race', 'lambda-error-or-timeout', 'lambda-invalid-response', 'malformed-response', 'no-healthy-targets-yet', 'target-crashed-or-overloaded', 'target-not-listening', 'target-tls-handshake'],
    facts: ['metrics.elb502', 'metrics.elb5xx', 'metrics.target5xx', 'metrics.connectionErrors', 'metrics.tlsErrors', 'metrics.requests', 'metrics.unhealthyMax', 'metrics.lambdaUserErrors', 'metrics.lambdaInternalErrors', 'metrics.peakAt'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const { start, end } = incidentWindow(ctx.params.since || undefined, ctx.params.until || undefined, ctx.env.clock.now());
    const lbArn = await loadBalancerArnFor(aws, ctx);
    let tgArns = factList(ctx.facts['lb.targetGroupArns']);
    if (!ctx.facts['lb.targetGroupArns']) tgArns = (await aws.describeTargetGroups({ loadBalancerArn: lbArn })).map((t) => t.arn);
    const loadBalancer = lbDimension(lbArn);
    const targetGroups = tgArns.map(tgDimension);
    const periodSeconds = periodFor(start, end);
    ctx.progress(`GetMetricData ${loadBalancer} (${targetGroups.length} target groups)`);
    const results = await aws.getMetricData({ queries: buildQueries(loadBalancer, targetGroups), start: start.toISOString(), end: end.toISOString(), periodSeconds });
    return { loadBalancer, targetGroups, start: start.toISOString(), end: end.toISOString(), periodSeconds, results };
  },
  evaluate: (ev) => evaluate(ev),
};


