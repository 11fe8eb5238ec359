import type { MetricQuery, MetricResult } from '../aws/reader.js';
import { align, incidentWindow, periodFor, sum } from './cloudwatch-who-made-502.js';
import { factList, lbDimension, loadBalancerArnFor, plural, tgDimension } from './elbv2-common.js';
import { requireAws } from './env.js';
import { classifyAwsError } from '../engine/errors.js';
import type { CheckResult, Facts, Finding, Series } from '../engine/vocabulary.js';
import type { Check } from './types.js';

// AWS/NetworkELB (network/load-balancer-cloudwatch-metrics.html): the three reset counts say who
// sent the RST; UnHealthyHostCount per target group says whether the targets were failing then.
const NAMESPACE = 'AWS/NetworkELB';
const LB_METRICS = [
  ['targetResets', 'TCP_Target_Reset_Count', 'Sum'],
  ['elbResets', 'TCP_ELB_Reset_Count', 'Sum'],
  ['clientResets', 'TCP_Client_Reset_Count', 'Sum'],
  ['newFlows', 'NewFlowCount', 'Sum'],
] as const;
const TG_METRICS = [
  ['unhealthy', 'UnHealthyHostCount', 'Maximum'],
  ['healthy', 'HealthyHostCount', 'Minimum'],
] as const;
type LbId = (typeof LB_METRICS)[number][0];

/** The NLB's TCP idle timeout unless the listener attribute tcp.idle_timeout.seconds says otherwise. */
const DEFAULT_IDLE_SECONDS = 350;

export interface NlbResetsEvidence {
  /** The LoadBalancer dimension, `net/<name>/<id>`. */
  loadBalancer: string;
  /** TargetGroup dimensions, `targetgroup/<name>/<id>`. */
  targetGroups: string[];
  start: string;
  end: string;
  periodSeconds: number;
  results: MetricResult[];
  /** Per TCP listener, `tcp.idle_timeout.seconds` as DescribeListenerAttributes gave it (absent on older APIs). */
  idleTimeouts?: { port: number; seconds?: number }[];
  /** Why the listener attributes could not be read; the default idle timeout is assumed then. */
  idleTimeoutError?: string;
}

export function buildNlbQueries(lb: string, tgs: string[]): MetricQuery[] {
  const queries: MetricQuery[] = LB_METRICS.map(([id, metricName, stat]) => ({ id, namespace: NAMESPACE, metricName, stat, dimensions: { LoadBalancer: lb } }));
  tgs.forEach((tg, i) => {
    for (const [id, metricName, stat] of TG_METRICS) queries.push({ id: `tg${i}_${id}`, namespace: NAMESPACE, metricName, stat, dimensions: { LoadBalancer: lb, TargetGroup: tg } });
  });
  return queries;
}

const firstNonZero = (v: number[]) => v.findIndex((x) => x > 0);

function evaluate(ev: NlbResetsEvidence): CheckResult {
  const start = Date.parse(ev.start);
  const buckets = Math.max(1, Math.ceil((Date.parse(ev.end) - start) / (ev.periodSeconds * 1000)));
  const byId = new Map(ev.results.map((r) => [r.id, r]));
  const lb = Object.fromEntries(LB_METRICS.map(([id]) => [id, align(byId.get(id), start, ev.periodSeconds, buckets)])) as Record<LbId, number[]>;
  const total = { targetResets: sum(lb.targetResets), elbResets: sum(lb.elbResets), clientResets: sum(lb.clientResets), newFlows: sum(lb.newFlows) };
  const tgs = ev.targetGroups.map((tg, i) => {
    const unhealthy = align(byId.get(`tg${i}_unhealthy`), start, ev.periodSeconds, buckets);
    const healthyResult = byId.get(`tg${i}_healthy`);
    const healthy = align(healthyResult, start, ev.periodSeconds, buckets);
    // "No healthy host" needs a reported zero next to an unhealthy count; an absent series says nothing.
    const allDown = healthy.some((h, b) => h === 0 && unhealthy[b] > 0 && (healthyResult?.timestamps.length ?? 0) > 0);
    return { name: tg.split('/')[1] ?? tg, unhealthy, unhealthyMax: Math.max(0, ...unhealthy), allDown };
  });
  const unhealthyMax = Math.max(0, ...tgs.map((t) => t.unhealthyMax));
  const unhealthyFrom = Math.min(...tgs.map((t) => firstNonZero(t.unhealthy)).filter((b) => b >= 0), Infinity);
  // The shortest TCP idle timeout among the listeners resets first; TLS listeners keep 350 s fixed.
  const read = (ev.idleTimeouts ?? []).map((l) => l.seconds).filter((v): v is number => v !== undefined);
  const idle = read.length ? Math.min(...read) : DEFAULT_IDLE_SECONDS;
  const idleHow = read.length ? `the listener's tcp.idle_timeout.seconds` : `the TCP default${ev.idleTimeoutError ? `; the listener attributes could not be read: ${ev.idleTimeoutError}` : ''}`;
  const at = (b: number) => new Date(start + b * ev.periodSeconds * 1000).toISOString().slice(11, 16);
  const series: Series[] = [
    ...LB_METRICS.filter(([id]) => id !== 'newFlows').map(([id, name]) => ({ name, start: ev.start, periodSeconds: ev.periodSeconds, values: lb[id] })),
    ...tgs.map((t) => ({ name: `UnHealthyHostCount ${t.name}`, start: ev.start, periodSeconds: ev.periodSeconds, values: t.unhealthy })),
  ];
  const out: Facts = {
    'metrics.nlbTargetResets': total.targetResets,
    'metrics.nlbElbResets': total.elbResets,
    'metrics.nlbClientResets': total.clientResets,
    'metrics.nlbUnhealthyMax': unhealthyMax,
    'nlb.idleTimeoutSeconds': idle,
  };
  const details = [
    `${ev.start.slice(0, 16)}Z → ${ev.end.slice(0, 16)}Z, ${ev.periodSeconds} s buckets, LoadBalancer=${ev.loadBalancer}`,
    `TCP_Target_Reset_Count ${total.targetResets} · TCP_ELB_Reset_Count ${total.elbResets} · TCP_Client_Reset_Count ${total.clientResets} · NewFlowCount ${total.newFlows}`,
    `Idle timeout ${idle} s (${idleHow})`,
    ...tgs.map((t) => `${t.name}: UnHealthyHostCount max ${t.unhealthyMax}${t.allDown ? ', and no healthy host at the same time' : ''}`),
  ];
  if (!ev.results.some((r) => r.values.length)) {
    return {
      status: 'warn', outcome: 'no-data', facts: out, details: [...details, 'CloudWatch returned no data points: no traffic in the window, or check the load balancer, the region and --since.'],
      summary: `No AWS/NetworkELB data points for ${ev.loadBalancer} in the window`,
    };
  }
  const findings: Finding[] = [];
  if (total.targetResets > 0) {
    const from = at(firstNonZero(lb.targetResets));
    findings.push(unhealthyMax > 0
      ? { cause: 'target-not-listening', confidence: 'likely', evidence: [`TCP_Target_Reset_Count ${total.targetResets} from ${from}Z while UnHealthyHostCount reached ${unhealthyMax}: the targets refuse or reset connections (nothing listening, or the service down)`] }
      : { cause: 'keepalive-race', confidence: 'suspected', evidence: [`TCP_Target_Reset_Count ${total.targetResets} from ${from}Z with every target healthy: a target closes idle connections that the hop in front still reuses (its keep-alive is shorter than the proxy's), and the proxy answers the RST with 502`] });
  }
  if (total.elbResets > 0) {
    const elbFrom = firstNonZero(lb.elbResets);
    if (unhealthyMax === 0) {
      findings.push({ cause: 'timeout-mismatch', confidence: 'likely', evidence: [`TCP_ELB_Reset_Count ${total.elbResets} from ${at(elbFrom)}Z with no unhealthy target: the NLB reset flows that stayed idle past its idle timeout (${idle} s, ${read.length ? 'read from the listener' : 'the TCP default'}); the clients or the proxy in front reuse connections longer`] });
    } else if (elbFrom <= unhealthyFrom) {
      findings.push({ cause: 'target-crashed-or-overloaded', confidence: 'suspected', evidence: [`TCP_ELB_Reset_Count rose at ${at(elbFrom)}Z, ${elbFrom < unhealthyFrom ? 'before' : 'with'} UnHealthyHostCount (${at(unhealthyFrom)}Z): the targets were already failing, and the NLB reset their flows`] });
    } else {
      details.push(`TCP_ELB_Reset_Count rose at ${at(elbFrom)}Z, after the targets turned unhealthy (${at(unhealthyFrom)}Z): the NLB resets the flows of a target once it is unhealthy.`);
    }
  }
  const down = tgs.filter((t) => t.allDown);
  if (down.length) {
    findings.push({ cause: 'all-targets-unhealthy', confidence: 'likely', evidence: [`${down.map((t) => t.name).join(', ')}: UnHealthyHostCount above 0 while HealthyHostCount was 0 (the NLB then fails open to every target)`] });
  }
  if (total.clientResets > 0) details.push(`TCP_Client_Reset_Count ${total.clientResets}: clients closing with a RST (often clients giving up on a slow answer); it names no fault of the NLB by itself.`);
  const outcome = total.targetResets > 0 && total.targetResets >= total.elbResets ? 'target-resets'
    : total.elbResets > 0 ? 'elb-resets'
      : unhealthyMax > 0 ? 'unhealthy-targets' : 'quiet';
  const summary = {
    'target-resets': `The targets sent ${total.targetResets} resets (TCP_Target_Reset_Count)${total.elbResets ? `, the NLB ${total.elbResets}` : ''}${unhealthyMax ? `; up to ${plural(unhealthyMax, 'target')} unhealthy` : ', every target healthy'}`,
    'elb-resets': `The NLB itself sent ${total.elbResets} resets (TCP_ELB_Reset_Count)${total.targetResets ? `, the targets ${total.targetResets}` : ''}${unhealthyMax ? `; up to ${plural(unhealthyMax, 'target')} unhealthy` : ' with no unhealthy target: flows idle past the timeout'}`,
    'unhealthy-targets': `No resets from the targets or the NLB, but up to ${plural(unhealthyMax, 'target')} unhealthy (UnHealthyHostCount)`,
    quiet: `No target or NLB resets and no unhealthy target on ${ev.loadBalancer.split('/')[1] ?? ev.loadBalancer} in the window (${total.newFlows} new flows)`,
  }[outcome];
  return { status: outcome === 'quiet' ? 'pass' : 'fail', outcome, summary, details, facts: out, series, findings: findings.length ? findings : undefined };
}

export const cloudwatchNlbResets: Check<NlbResetsEvidence> = {
  meta: {
    id: 'cloudwatch.nlb-resets',
    title: 'Network Load Balancer resets: who sent the RST (targets, the NLB, clients) and unhealthy targets per target group',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html',
    // The two elbv2 reads run only when the NLB lookup before this check left no ARN or target groups.
    apis: ['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerAttributes'],
    params: {
      lb: { description: 'NLB name or ARN when lb.arn is not known yet' },
      since: { description: 'Window start: a duration (3h) or a time' },
      until: { description: 'Window end (default now)' },
    },
    outcomes: ['target-resets', 'elb-resets', 'unhealthy-targets', 'quiet', 'no-data'],
    strength: 'measured',
    causes: ['target-not-listening', 'keepalive-race', 'timeout-mismatch', 'target-crashed-or-overloaded', 'all-targets-unhealthy'],
    facts: ['metrics.nlbTargetResets', 'metrics.nlbElbResets', 'metrics.nlbClientResets', 'metrics.nlbUnhealthyMax', 'nlb.idleTimeoutSeconds'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const arn = await loadBalancerArnFor(aws, ctx);
    const loadBalancer = lbDimension(arn);
    const tgArns = factList(ctx.facts['lb.targetGroupArns']);
    const targetGroups = (tgArns.length ? tgArns : (await aws.describeTargetGroups({ loadBalancerArn: arn })).map((tg) => tg.arn)).map(tgDimension);
    const { start, end } = incidentWindow(ctx.params.since || undefined, ctx.params.until || undefined, ctx.env.clock.now());
    const periodSeconds = periodFor(start, end);
    ctx.progress(`GetMetricData AWS/NetworkELB ${loadBalancer}`);
    const results = await aws.getMetricData({ queries: buildNlbQueries(loadBalancer, targetGroups), start: start.toISOString(), end: end.toISOString(), periodSeconds });
    const ev: NlbResetsEvidence = { loadBalancer, targetGroups, start: start.toISOString(), end: end.toISOString(), periodSeconds, results };
    // The idle timeout the ELB resets are measured against; the metrics stand without it.
    try {
      const tcp = (await aws.describeListeners(arn)).filter((l) => l.protocol === 'TCP');
      ctx.progress(`DescribeListenerAttributes (${plural(tcp.length, 'TCP listener')})`);
      ev.idleTimeouts = await Promise.all(tcp.map(async (l) => {
        const v = Number((await aws.describeListenerAttributes(l.arn))['tcp.idle_timeout.seconds']);
        return { port: l.port, ...(Number.isFinite(v) && v > 0 ? { seconds: v } : {}) };
      }));
    } catch (err) {
      ev.idleTimeoutError = classifyAwsError(err, { action: 'elasticloadbalancing:DescribeListenerAttributes' }).message;
    }
    return ev;
  },
  evaluate: (ev) => evaluate(ev),
};
