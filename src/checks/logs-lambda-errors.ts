/**
 * A function's own log (`/aws/lambda/<function>`): timeouts (with the seconds), errors by type,
 * and its invocations from the REPORT lines. Line formats: src/logs/lambda-log.ts. Throttled
 * invocations never run and write nothing here, so the check says where to look for them.
 */
import type { LogEvent } from '../aws/reader.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import { classifyLambdaLine, lambdaFailure } from '../logs/lambda-log.js';
import { collectPhrases, WINDOW_PARAMS, windowLabel, type PhraseRead } from './cloudwatch-logs-common.js';
import type { Check } from './types.js';

export const LAMBDA_PATTERNS = [
  '"Task timed out after"',
  '"Status: timeout"',
  '"Status: error"',
  '"Invoke Error"',
  '"Uncaught Exception"',
  '"[ERROR]"',
  '"Runtime exited with error"',
  '"Process exited before completing request"',
  '"REPORT RequestId"',
  // JSON log format: platform.report carries the status, runtime error records their errorType.
  '"platform.report"',
  '"errorType"',
];

export interface LambdaErrorsEvidence extends PhraseRead {
  functionName: string;
}

/** `arn:aws:lambda:…:function:orders:live` or `orders:live` → `orders`: the log group carries the bare name. */
export function functionBaseName(fn: string): string {
  const f = fn.trim();
  const arn = /^arn:aws[\w-]*:lambda:[^:]+:\d+:function:([^:]+)/.exec(f);
  return arn ? arn[1] : f.split(':')[0];
}

interface Tally {
  invocations: number;
  maxDurationMs: number;
  timeouts: { count: number; seconds: Map<string, number>; sample?: LogEvent };
  errors: { count: number; types: Map<string, number>; sample?: LogEvent };
}

export function tallyLambdaEvents(events: LogEvent[]): Tally {
  const t: Tally = { invocations: 0, maxDurationMs: 0, timeouts: { count: 0, seconds: new Map() }, errors: { count: 0, types: new Map() } };
  const failed = new Set<string>();
  for (const e of events) {
    // A tab separates the runtime's fields; CloudWatch keeps the message as the function wrote it.
    const l = classifyLambdaLine(e.message);
    if (l.kind === 'report') {
      t.invocations++;
      t.maxDurationMs = Math.max(t.maxDurationMs, l.durationMs);
    }
    const f = lambdaFailure(l);
    if (!f) continue;
    if (f.requestId) {
      if (failed.has(f.requestId)) continue;
      failed.add(f.requestId);
    }
    if (f.kind === 'timeout') {
      t.timeouts.count++;
      const s = (f.seconds ?? 0).toFixed(2);
      t.timeouts.seconds.set(s, (t.timeouts.seconds.get(s) ?? 0) + 1);
      t.timeouts.sample ??= e;
    } else {
      t.errors.count++;
      const type = l.kind === 'error' ? l.errorType : l.kind === 'report' ? l.errorType ?? `Status: ${l.status}` : 'error';
      t.errors.types.set(type, (t.errors.types.get(type) ?? 0) + 1);
      t.errors.sample ??= e;
    }
  }
  return t;
}

const list = (m: Map<string, number>, unit = '') => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}${unit} ×${n}`).join(', ');
const sample = (e?: LogEvent) => (e ? `e.g. ${new Date(e.timestamp).toISOString()} ${e.message.slice(0, 300)}` : '');

function evaluate(ev: LambdaErrorsEvidence): CheckResult {
  if (ev.paramError || !ev.window) return { status: 'unknown', outcome: 'unknown', summary: ev.paramError ?? 'no window', nextStep: 'pass functionName (name, name:alias or ARN), and since as 30m, 2h or an ISO time' };
  const where = `${ev.logGroup} (${windowLabel(ev.window)})`;
  if (!ev.exists) {
    return {
      status: 'warn', outcome: 'no-logs', summary: `no function log: ${ev.logGroup} does not exist`,
      nextStep: `check the function name (aws lambda get-function-configuration --function-name ${ev.functionName}); a function that ran writes ${ev.logGroup} only when its execution role may (AWSLambdaBasicExecutionRole: logs:CreateLogStream, logs:PutLogEvents), and one with a custom logging config writes to the group named in LoggingConfig.LogGroup`,
      facts: { 'lambda.logs.group': ev.logGroup },
    };
  }
  const t = tallyLambdaEvents(ev.events);
  const facts: Facts = { 'lambda.logs.group': ev.logGroup, 'lambda.logs.invocations': t.invocations, 'lambda.logs.timeouts': t.timeouts.count, 'lambda.logs.errors': t.errors.count };
  const seconds = [...t.timeouts.seconds.keys()].map(Number).sort((a, b) => b - a);
  if (seconds.length) facts['lambda.logs.timeoutSeconds'] = seconds[0];
  const details = [
    `searched ${where}: ${t.invocations} invocation(s) reported${t.invocations ? `, longest ${(t.maxDurationMs / 1000).toFixed(2)} s` : ''}`,
    ...(t.timeouts.count ? [`timeouts: ${t.timeouts.count} (${list(t.timeouts.seconds, ' s')})`, `  ${sample(t.timeouts.sample)}`] : []),
    ...(t.errors.count ? [`errors: ${t.errors.count} (${list(t.errors.types)})`, `  ${sample(t.errors.sample)}`] : []),
    'throttled invocations never run and write no line here: see AWS/Lambda Throttles for the function (and ALB LambdaThrottling, or API Gateway 429/500s)',
    ...(ev.capped.length ? [`${ev.capped.join(', ')} reached the limit of ${ev.limit} events: counts are at least these`] : []),
  ];
  const findings: Finding[] = [];
  if (t.timeouts.count) {
    findings.push({
      cause: 'lambda-error-or-timeout', confidence: 'confirmed', strength: 'measured',
      evidence: [`${t.timeouts.count} invocation(s) of ${ev.functionName} timed out after ${list(t.timeouts.seconds, ' s')} (${where}): the function's timeout, which a REST API or ALB answers with 502`, sample(t.timeouts.sample)],
    });
  }
  if (t.errors.count) {
    findings.push({
      cause: 'lambda-error-or-timeout', confidence: 'confirmed', strength: 'measured',
      evidence: [`${t.errors.count} invocation(s) of ${ev.functionName} failed with an error (${list(t.errors.types)}) in ${where}`, sample(t.errors.sample)],
    });
  }
  if (!findings.length) return { status: 'pass', outcome: 'clean', summary: `no timeouts or errors in ${where} (${t.invocations} invocations)`, details, facts };
  const outcome = t.timeouts.count >= t.errors.count ? 'timeouts' : 'errors';
  const parts = [t.timeouts.count ? `${t.timeouts.count} timeout(s) at ${seconds[0].toFixed(2)} s` : '', t.errors.count ? `${t.errors.count} error(s)` : ''].filter(Boolean);
  return { status: 'fail', outcome, summary: `${ev.functionName}: ${parts.join(', ')}${t.invocations ? ` of ${t.invocations} invocations` : ''} in ${windowLabel(ev.window)}`, details, facts, findings };
}

export const logsLambdaErrors: Check<LambdaErrorsEvidence> = {
  meta: {
    id: 'logs.lambda-errors',
    title: "Lambda function log: timeouts (and after how many seconds) and errors by type",
    docs: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html',
    apis: ['logs:DescribeLogGroups', 'logs:FilterLogEvents'],
    params: {
      functionName: { description: 'Function name, name:alias or ARN (its log group is /aws/lambda/<name>)', required: true },
      logGroup: { description: 'The log group, when the function logs elsewhere (LoggingConfig.LogGroup)' },
      ...WINDOW_PARAMS,
    },
    outcomes: ['timeouts', 'errors', 'clean', 'no-logs'],
    causes: ['lambda-error-or-timeout'],
    facts: ['lambda.logs.group', 'lambda.logs.invocations', 'lambda.logs.timeouts', 'lambda.logs.errors', 'lambda.logs.timeoutSeconds'],
    strength: 'measured',
  },
  async collect(ctx) {
    const functionName = functionBaseName(ctx.params.functionName ?? '');
    const logGroup = ctx.params.logGroup?.trim() || (functionName ? `/aws/lambda/${functionName}` : '');
    const base: LambdaErrorsEvidence = { functionName, logGroup, events: [], capped: [] };
    if (!functionName && !ctx.params.logGroup?.trim()) return { ...base, paramError: 'functionName is required' };
    return collectPhrases(ctx, base, LAMBDA_PATTERNS);
  },
  evaluate: (ev) => evaluate(ev),
};
