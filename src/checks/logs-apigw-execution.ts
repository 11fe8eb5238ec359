/**
 * A REST API stage's execution log (`API-Gateway-Execution-Logs_{restApiId}/{stage}`), searched
 * for the phrases API Gateway writes when an integration fails, each failure tied to its request's
 * `Method completed with status` line. Phrases: https://repost.aws/knowledge-center/malformed-502-api-gateway,
 * https://repost.aws/knowledge-center/api-gateway-rest-api-lambda-integrations,
 * https://repost.aws/knowledge-center/api-gateway-500-error-vpc.
 */
import type { LogEvent } from '../aws/reader.js';
import { executionLogGroup } from './apigw-common.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import { classifyExecMessage, parseExecLine, type GatewayClass } from '../logs/apigw-log.js';
import {
  CAUSE_OUTCOME, CauseCounter, collectPhrases, detailLines, findingsFor, GATEWAY_OUTCOMES, WINDOW_PARAMS, windowLabel, type PhraseRead,
} from './cloudwatch-logs-common.js';
import type { Check } from './types.js';

/** One search per phrase: filter patterns with OR (`?"a" ?"b"`) are not understood by every endpoint. */
export const EXECUTION_PATTERNS = [
  '"Execution failed due to"',
  '"Lambda execution failed"',
  '"Lambda invocation failed"',
  '"Received response. Status: 502"',
  '"Method completed with status: 500"',
  '"Method completed with status: 502"',
  '"Method completed with status: 503"',
  '"Method completed with status: 504"',
];

export interface ApigwExecutionEvidence extends PhraseRead {
  restApiId?: string;
  stage?: string;
}

function enableCommand(ev: ApigwExecutionEvidence): string {
  const api = ev.restApiId || 'API_ID';
  const stage = ev.stage || 'STAGE';
  return `turn on execution logging for the stage: aws apigateway update-stage --rest-api-id ${api} --stage-name ${stage} --patch-operations op=replace,path=/*/*/logging/loglevel,value=INFO ` +
    '(once per account and Region API Gateway needs a role to write logs: aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=ROLE_ARN). ' +
    'HTTP APIs have no execution log: read their access log with logs.apigw-access.';
}

/** Requests that failed at the integration, by cause: a failure line, or a 5xx with the backend's own 502. */
export function classifyExecutionEvents(events: LogEvent[]): { counter: CauseCounter; failed: number; statuses: Map<string, number> } {
  const failures = new Map<string, GatewayClass & { at: number; line: string }>();
  const backend = new Map<string, number>();
  const statuses = new Map<string, number>();
  const done = new Set<string>();
  const counter = new CauseCounter();
  for (const e of events) {
    const line = parseExecLine(e.message);
    if (!line) continue;
    const id = line.requestId ?? `(no id)@${e.timestamp}`;
    const ev = classifyExecMessage(line.message);
    if (ev.kind === 'failure' && !failures.has(id)) failures.set(id, { cause: ev.cause, why: ev.why, at: e.timestamp, line: e.message });
    else if (ev.kind === 'integration-status') backend.set(id, ev.status);
    else if (ev.kind === 'status') statuses.set(id, ev.status);
  }
  for (const [id, status] of statuses) {
    const f = failures.get(id);
    if (!f && status !== 502) continue;
    done.add(id);
    if (f) counter.add(f.cause, f.why, f.at, f.line, status);
    else if (backend.get(id) === 502) counter.add('target-generated-502', 'execution log: Received response. Status: 502 (the HTTP backend answered 502 itself)', 0, `(${id}) Received response. Status: 502`, status);
    else counter.add('unclassified', '502 with no failure line for the request (the stage logs at ERROR, or the line is past the limit)', 0, `(${id}) Method completed with status: 502`, status);
  }
  // A failure whose status line fell outside the window or the limit is a failure all the same.
  for (const [id, f] of failures) if (!done.has(id)) counter.add(f.cause, f.why, f.at, f.line);
  const byStatus = new Map<string, number>();
  for (const s of statuses.values()) byStatus.set(String(s), (byStatus.get(String(s)) ?? 0) + 1);
  return { counter, failed: done.size + [...failures.keys()].filter((id) => !done.has(id)).length, statuses: byStatus };
}

function evaluate(ev: ApigwExecutionEvidence): CheckResult {
  if (ev.paramError || !ev.window) {
    return { status: 'unknown', outcome: 'unknown', summary: ev.paramError ?? 'no window', nextStep: 'pass restApiId and stage (or logGroup), and since as 30m, 2h or an ISO time' };
  }
  const where = `${ev.logGroup} (${windowLabel(ev.window)})`;
  if (!ev.exists) {
    return { status: 'warn', outcome: 'no-logs', summary: `no execution log: ${ev.logGroup} does not exist`, nextStep: enableCommand(ev), facts: { 'apigw.exec.logGroup': ev.logGroup, 'apigw.exec.enabled': false } };
  }
  const { counter, failed, statuses } = classifyExecutionEvents(ev.events);
  const counts = counter.list();
  const facts: Facts = { 'apigw.exec.logGroup': ev.logGroup, 'apigw.exec.enabled': true, 'apigw.exec.failures': failed };
  const details = [
    `searched ${where} for ${EXECUTION_PATTERNS.length} phrases: ${ev.events.length} event(s)`,
    ...(statuses.size ? [`5xx requests by status: ${[...statuses.entries()].map(([s, n]) => `${s}×${n}`).join(', ')}`] : []),
    ...detailLines(counts),
    ...(ev.capped.length ? [`${ev.capped.join(', ')} reached the limit of ${ev.limit} events: counts are at least these (raise limit or narrow the window)`] : []),
  ];
  if (!counts.length) {
    return { status: 'pass', outcome: 'clean', summary: `no integration failures in ${where}`, details, facts };
  }
  const top = counts[0];
  facts['apigw.exec.cause'] = top.cause;
  const findings = findingsFor(counts, ev.logGroup);
  const named = counts.find((c) => c.cause !== 'unclassified');
  const outcome = named ? CAUSE_OUTCOME[named.cause] ?? 'unclassified' : 'unclassified';
  return {
    status: named ? 'fail' : 'warn',
    outcome,
    summary: `${failed} request(s) failed at the integration in ${where}; most: ${top.cause} (${top.count})`,
    details,
    facts,
    findings,
    ...(named ? {} : { nextStep: 'set the stage log level to INFO so each failure line is written, then run again' }),
  };
}

export const logsApigwExecution: Check<ApigwExecutionEvidence> = {
  meta: {
    id: 'logs.apigw-execution',
    title: "API Gateway execution log: each failed request's integration error (malformed Lambda response, function error or timeout, permission, configuration)",
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    apis: ['logs:DescribeLogGroups', 'logs:FilterLogEvents'],
    params: {
      restApiId: { description: 'REST API id (the execution log group is API-Gateway-Execution-Logs_{restApiId}/{stage})' },
      stage: { description: 'Stage name' },
      logGroup: { description: 'The execution log group, when not named from restApiId and stage' },
      ...WINDOW_PARAMS,
    },
    outcomes: GATEWAY_OUTCOMES,
    causes: ['lambda-invalid-response', 'lambda-error-or-timeout', 'lambda-invoke-permission-missing', 'timeout-mismatch', 'target-generated-502', 'apigw-integration-misconfigured'],
    facts: ['apigw.exec.logGroup', 'apigw.exec.enabled', 'apigw.exec.failures', 'apigw.exec.cause'],
    strength: 'measured',
  },
  async collect(ctx) {
    const restApiId = ctx.params.restApiId?.trim() ?? '';
    const stage = ctx.params.stage?.trim() ?? '';
    const logGroup = ctx.params.logGroup?.trim() || (restApiId && stage ? executionLogGroup(restApiId, stage) : '');
    const base: ApigwExecutionEvidence = { logGroup, ...(restApiId ? { restApiId } : {}), ...(stage ? { stage } : {}), events: [], capped: [] };
    if (!logGroup) return { ...base, paramError: 'pass restApiId and stage, or logGroup' };
    return collectPhrases(ctx, base, EXECUTION_PATTERNS);
  },
  evaluate: (ev) => evaluate(ev),
};
