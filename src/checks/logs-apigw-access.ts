/**
 * An API's access log group, read with one Logs Insights query (`fields @timestamp, @message |
 * sort @timestamp desc | limit N`) and classified here with the `badgate logs` parser: the JSON
 * and CLF formats AWS documents, failures named from $context.integrationErrorMessage,
 * $context.integration.status and $context.error.responseType. Works for REST and HTTP APIs.
 */
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import { classifyApigwAccess, parseApigwClf, parseApigwJson } from '../logs/apigw-log.js';
import {
  CAUSE_OUTCOME, CauseCounter, detailLines, eventLimit, findingsFor, GATEWAY_OUTCOMES, groupExists, logWindow, safeLine, WINDOW_PARAMS,
  windowLabel, type LogWindow,
} from './cloudwatch-logs-common.js';
import { requireAws } from './env.js';
import type { Check } from './types.js';

export interface ApigwAccessEvidence {
  logGroup: string;
  window?: LogWindow;
  exists?: boolean;
  /** Newest first, as the query sorts them. */
  rows: { timestamp: string; message: string }[];
  queryStatus?: string;
  limit?: number;
  paramError?: string;
}

export function accessQuery(limit: number): string {
  // Only fields, sort and limit: what every Insights endpoint understands; the classifying is done here.
  return `fields @timestamp, @message | sort @timestamp desc | limit ${limit}`;
}

/** Insights prints `2026-12-03 08:00:01.000` (UTC, no zone). */
function insightsMs(t: string): number {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? 0 : ms;
}

function evaluate(ev: ApigwAccessEvidence): CheckResult {
  if (ev.paramError || !ev.window) return { status: 'unknown', outcome: 'unknown', summary: ev.paramError ?? 'no window', nextStep: 'pass logGroup (the stage\'s access-log destination), and since as 30m, 2h or an ISO time' };
  const where = `${ev.logGroup} (${windowLabel(ev.window)})`;
  const facts: Facts = { 'apigw.access.logGroup': ev.logGroup };
  if (!ev.exists) {
    return {
      status: 'warn', outcome: 'no-logs', summary: `no access log: ${ev.logGroup} does not exist`, facts,
      nextStep: 'turn on access logging for the stage with a JSON format that includes $context.status, $context.integrationErrorMessage, $context.integration.status and $context.error.responseType (REST: aws apigateway update-stage … path=/accessLogSettings/destinationArn and /accessLogSettings/format; HTTP: aws apigatewayv2 update-stage --access-log-settings)',
    };
  }
  const counter = new CauseCounter();
  let requests = 0;
  let unread = 0;
  let failed = 0;
  let withoutIntegrationFields = 0;
  for (const row of ev.rows) {
    const text = row.message.trim();
    const p = text.startsWith('{') ? parseApigwJson(text) : parseApigwClf(text);
    if (!p.ok) {
      unread++;
      continue;
    }
    requests++;
    const c = classifyApigwAccess(p.record);
    if (!c) continue;
    failed++;
    if (c.cause === 'unclassified' && !p.record.integrationError && p.record.integrationStatus === null) withoutIntegrationFields++;
    counter.add(c.cause, c.why, insightsMs(row.timestamp), text, p.record.status ?? undefined);
  }
  facts['apigw.access.requests'] = requests;
  facts['apigw.access.failures'] = failed;
  const counts = counter.list();
  const details = [
    `read the newest ${ev.rows.length} event(s) of ${where}${ev.queryStatus && ev.queryStatus !== 'Complete' ? ` (query ${ev.queryStatus}: partial)` : ''}: ${requests} request(s)${unread ? `, ${unread} line(s) in no API Gateway access-log format` : ''}`,
    ...detailLines(counts),
    ...(ev.limit !== undefined && ev.rows.length >= ev.limit ? [`the query returned its limit of ${ev.limit}: older requests in the window were not read (raise limit or narrow the window)`] : []),
    ...(withoutIntegrationFields ? [`${withoutIntegrationFields} failure(s) name no integration error: add $context.integrationErrorMessage, $context.integration.status and $context.error.responseType to the access-log format`] : []),
  ];
  if (!requests) {
    return {
      status: ev.rows.length ? 'warn' : 'pass', outcome: ev.rows.length ? 'unclassified' : 'clean',
      summary: ev.rows.length ? `${ev.rows.length} event(s) in ${where}, none in the JSON or CLF access-log format` : `no requests logged in ${where}`,
      details, facts,
      ...(ev.rows.length ? { nextStep: 'set the stage\'s access-log format to JSON with requestId, status, integrationErrorMessage and integration.status (see the API Gateway logging docs)' } : {}),
    };
  }
  if (!counts.length) return { status: 'pass', outcome: 'clean', summary: `no integration failures among ${requests} request(s) in ${where}`, details, facts };
  const top = counts[0];
  facts['apigw.access.cause'] = top.cause;
  const named = counts.find((c) => c.cause !== 'unclassified');
  return {
    status: named ? 'fail' : 'warn',
    outcome: named ? CAUSE_OUTCOME[named.cause] ?? 'unclassified' : 'unclassified',
    summary: `${failed} of ${requests} request(s) failed at the integration in ${where}; most: ${top.cause} (${top.count})`,
    details, facts,
    findings: findingsFor(counts, ev.logGroup),
    ...(named ? {} : { nextStep: 'add $context.integrationErrorMessage and $context.integration.status to the access-log format, or read the execution log (logs.apigw-execution)' }),
  };
}

export const logsApigwAccess: Check<ApigwAccessEvidence> = {
  meta: {
    id: 'logs.apigw-access',
    title: 'API Gateway access log: failed requests by integration error (Logs Insights query, classified by badgate)',
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html',
    apis: ['logs:DescribeLogGroups', 'logs:StartQuery', 'logs:GetQueryResults', 'logs:StopQuery'],
    params: {
      logGroup: { description: "The stage's access-log group (its accessLogSettings destination)", required: true },
      ...WINDOW_PARAMS,
      limit: { description: 'Newest events to read (default 1000, at most 10000)' },
    },
    outcomes: GATEWAY_OUTCOMES,
    causes: ['lambda-invalid-response', 'lambda-error-or-timeout', 'lambda-invoke-permission-missing', 'timeout-mismatch', 'target-generated-502', 'apigw-integration-misconfigured'],
    facts: ['apigw.access.logGroup', 'apigw.access.requests', 'apigw.access.failures', 'apigw.access.cause'],
    strength: 'measured',
  },
  async collect(ctx) {
    // An ARN from accessLogSettings.destinationArn names the group after `log-group:`.
    const logGroup = (ctx.params.logGroup?.trim() ?? '').replace(/^arn:aws[\w-]*:logs:[^:]*:\d*:log-group:/, '').replace(/:\*$/, '');
    const base: ApigwAccessEvidence = { logGroup, rows: [] };
    if (!logGroup) return { ...base, paramError: 'logGroup is required' };
    const window = logWindow(ctx);
    if ('error' in window) return { ...base, paramError: window.error };
    const limit = eventLimit(ctx.params, 1000);
    if (typeof limit !== 'number') return { ...base, paramError: limit.error };
    const aws = requireAws(ctx);
    ctx.progress(`DescribeLogGroups ${logGroup}`);
    if (!(await groupExists(aws, logGroup))) return { ...base, window, limit, exists: false };
    ctx.progress(`Logs Insights on ${logGroup}`);
    const res = await aws.queryLogs({ logGroupNames: [logGroup], queryString: accessQuery(limit), ...window, limit }, ctx.signal);
    const rows = res.rows.map((r) => ({ timestamp: r['@timestamp'] ?? '', message: safeLine(r['@message'] ?? '', 4000) }));
    return { ...base, window, limit, exists: true, rows, queryStatus: res.status };
  },
  evaluate: (ev) => evaluate(ev),
};
