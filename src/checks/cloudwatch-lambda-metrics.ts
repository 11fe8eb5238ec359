import type { MetricResult } from '../aws/reader.js';
import { incidentWindow, periodFor } from './cloudwatch-who-made-502.js';
import { factNumber, targetGroupsFor } from './elbv2-common.js';
import { functionNameFromArn } from './elbv2-target-health.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding, Series } from '../engine/vocabulary.js';
import type { Check } from './types.js';

// AWS/Lambda metrics by FunctionName (lambda/latest/dg/monitoring-metrics-types.html).
const METRICS = [
  ['invocations', 'Invocations', 'Sum'],
  ['errors', 'Errors', 'Sum'],
  ['throttles', 'Throttles', 'Sum'],
  ['durationMax', 'Duration', 'Maximum'],
] as const;
type MetricId = (typeof METRICS)[number][0];

// A run that ends within 1 % of the timeout was cut by it (Duration is in ms, the timeout in s).
const AT_TIMEOUT = 0.99;

export interface LambdaMetricsEvidence {
  /** Absent when the load balancer has no Lambda target group: nothing to read. */
  functionName?: string;
  timeoutSeconds?: number;
  start: string;
  end: string;
  periodSeconds: number;
  results: MetricResult[];
}

function evaluate(ev: LambdaMetricsEvidence): CheckResult {
  if (!ev.functionName) {
    return { status: 'pass', outcome: 'no-lambda-targets', skipped: true, summary: 'No Lambda target group behind this load balancer: no function metrics to read' };
  }
  const byId = new Map(ev.results.map((r) => [r.id, r]));
  const values = (id: MetricId) => byId.get(id)?.values ?? [];
  const total = (id: MetricId) => values(id).reduce((a, b) => a + b, 0);
  const invocations = total('invocations');
  const errors = total('errors');
  const throttles = total('throttles');
  const durationMaxMs = Math.max(0, ...values('durationMax'));
  const timeoutMs = ev.timeoutSeconds !== undefined ? ev.timeoutSeconds * 1000 : undefined;
  const atTimeout = timeoutMs !== undefined && durationMaxMs >= AT_TIMEOUT * timeoutMs;
  const window = `${ev.start} – ${ev.end}`;
  const cite = `AWS/Lambda FunctionName=${ev.functionName}, ${window}`;
  const facts: Facts = {
    'lambda.invocations': invocations,
    'lambda.errors': errors,
    'lambda.throttles': throttles,
    'lambda.durationMaxMs': durationMaxMs,
  };
  const details = [
    `Invocations ${invocations} · Errors ${errors} · Throttles ${throttles} · Duration max ${Math.round(durationMaxMs)} ms${timeoutMs !== undefined ? ` (timeout ${ev.timeoutSeconds} s)` : ''}`,
    `Its log: aws logs filter-log-events --log-group-name /aws/lambda/${ev.functionName} --start-time $(date -d '${ev.start}' +%s000) --filter-pattern '"Task timed out"'`,
  ];
  const series: Series[] = METRICS.filter(([id]) => id !== 'durationMax').map(([id, name]) => ({ name: `${name} ${ev.functionName}`, start: ev.start, periodSeconds: ev.periodSeconds, values: values(id) }));
  const findings: Finding[] = [];
  const problems: string[] = [];
  if (atTimeout) problems.push(`Duration reached ${Math.round(durationMaxMs)} ms of the ${ev.timeoutSeconds} s timeout: the function was cut off by its timeout (error_reason LambdaUnhandled, "Task timed out" in its log)`);
  if (throttles > 0) problems.push(`${throttles} throttled invocations: concurrency ran out (error_reason LambdaThrottling)`);
  if (errors > 0 && !atTimeout) problems.push(`${errors} invocations ended in an error (error_reason LambdaUnhandled)`);
  if (problems.length) {
    findings.push({ cause: 'lambda-error-or-timeout', confidence: 'likely', evidence: [cite, ...problems] });
    const outcome = atTimeout ? 'timed-out' : throttles > 0 ? 'throttled' : 'errors';
    return { status: 'fail', outcome, facts, details, findings, series, summary: `${ev.functionName}: ${problems[0]}` };
  }
  if (invocations === 0) {
    return {
      status: 'warn', outcome: 'not-invoked', facts, details, series,
      summary: `${ev.functionName} was not invoked in the window: if the ALB answered 502, it could not call the function (permission, wrong or missing function) — or the 502s are older`,
    };
  }
  findings.push({ cause: 'lambda-error-or-timeout', confidence: 'ruled-out', evidence: [cite, `${invocations} invocations, no errors or throttles, longest ${Math.round(durationMaxMs)} ms${timeoutMs !== undefined ? ` of ${ev.timeoutSeconds} s` : ''}`] });
  return {
    status: 'pass', outcome: 'ok', facts, details, findings, series,
    summary: `${ev.functionName}: ${invocations} invocations without errors, throttles or timeouts; a 502 from it would be its response (LambdaInvalidResponse) or the invoke permission`,
  };
}

export const cloudwatchLambdaMetrics: Check<LambdaMetricsEvidence> = {
  meta: {
    id: 'cloudwatch.lambda-metrics',
    title: "The Lambda target's own metrics: errors, throttles and runs cut by the timeout",
    docs: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
    apis: ['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
    params: {
      function: { description: 'Function name or ARN when lambda.function is not known yet' },
      lb: { description: 'Load balancer name or ARN: its first Lambda target group\'s function, when no function is known' },
      since: { description: 'Start of the window: a duration back from now (2h) or an ISO time; default 3h' },
      until: { description: 'End of the window; default now' },
    },
    outcomes: ['ok', 'timed-out', 'throttled', 'errors', 'not-invoked', 'no-lambda-targets'],
    causes: ['lambda-error-or-timeout'],
    facts: ['lambda.invocations', 'lambda.errors', 'lambda.throttles', 'lambda.durationMaxMs'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const { start, end } = incidentWindow(ctx.params.since || undefined, ctx.params.until || undefined, ctx.env.clock.now());
    const window = { start: start.toISOString(), end: end.toISOString(), periodSeconds: periodFor(start, end), results: [] };
    let given = ctx.params.function?.trim() || String(ctx.facts['lambda.name'] ?? ctx.facts['lambda.function'] ?? '').trim();
    if (!given) {
      // Standalone: the function a Lambda target group of the load balancer invokes (its target id).
      const group = (await targetGroupsFor(aws, ctx)).find((g) => g.targetType === 'lambda');
      if (!group) return window;
      given = (await aws.describeTargetHealth(group.arn))[0]?.id ?? '';
      if (!given) return window;
    }
    // The FunctionName dimension is the bare name, also for a versioned or aliased ARN.
    const functionName = functionNameFromArn(given);
    const periodSeconds = window.periodSeconds;
    ctx.progress(`GetMetricData AWS/Lambda ${functionName}`);
    const results = await aws.getMetricData({
      queries: METRICS.map(([id, metricName, stat]) => ({ id, namespace: 'AWS/Lambda', metricName, stat, dimensions: { FunctionName: functionName } })),
      start: start.toISOString(), end: end.toISOString(), periodSeconds,
    });
    const timeoutSeconds = factNumber(ctx.facts, 'lambda.timeoutSeconds');
    return { functionName, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}), start: start.toISOString(), end: end.toISOString(), periodSeconds, results };
  },
  evaluate: (ev) => evaluate(ev),
};
