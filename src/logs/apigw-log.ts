/**
 * API Gateway logs: access logs in the JSON and CLF formats AWS documents, and execution-log
 * lines as CloudWatch stores them. Sources:
 * - access-log formats and $context variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html,
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html,
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 * - execution-log phrases: https://repost.aws/knowledge-center/malformed-502-api-gateway,
 *   https://repost.aws/knowledge-center/api-gateway-rest-api-lambda-integrations,
 *   https://repost.aws/knowledge-center/api-gateway-http-lambda-integrations
 * REST APIs answer 502 for Lambda proxy problems; HTTP APIs answer 500 (503 on an integration
 * timeout), so an integration failure counts whatever status the gateway chose.
 */
import type { LogCause, LogCauseId } from './types.js';

export interface GatewayClass {
  cause: LogCause;
  why: string;
  alternatives?: LogCauseId[];
}

// ---------------------------------------------------------------------------------------------
// Execution logs

export interface ExecLine {
  /** The `(request-id)` the line starts with; null in the console's test output, which has none. */
  requestId: string | null;
  message: string;
}

const EXEC_ID = /^\(([0-9A-Za-z-]{8,64})\) ([\s\S]*)$/;
/** The console's test-invoke output, as the Knowledge Center quotes it: `Thu Dec 08 01:13:00 UTC 2016 : …`. */
const CONSOLE_TIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} : ([\s\S]*)$/;

export function parseExecLine(text: string): ExecLine | null {
  const m = EXEC_ID.exec(text);
  if (m) return { requestId: m[1], message: m[2] };
  const c = CONSOLE_TIME.exec(text);
  return c ? { requestId: null, message: c[1] } : null;
}

/** Epoch ms of the console form's time, or NaN. */
export function consoleTimeMs(text: string): number {
  const m = /^\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2}) UTC (\d{4}) : /.exec(text);
  return m ? Date.parse(`${m[1]} ${m[2]} ${m[4]} ${m[3]} UTC`) : NaN;
}

export type ExecEvent =
  | { kind: 'status'; status: number }
  | { kind: 'request'; method: string; path: string }
  | { kind: 'integration-status'; status: number }
  | ({ kind: 'failure' } & GatewayClass)
  | { kind: 'other' };

const TIMED_OUT = /Task timed out after ([\d.]+) seconds/;

/** What one execution-log message says about its request. */
export function classifyExecMessage(message: string): ExecEvent {
  let m = /^Method completed with status: (\d{3})/.exec(message);
  if (m) return { kind: 'status', status: Number(m[1]) };
  m = /^HTTP Method: (\S+), Resource Path: (\S+)/.exec(message);
  if (m) return { kind: 'request', method: m[1], path: m[2] };
  // HTTP and HTTP_PROXY integrations: what the backend answered.
  m = /^Received response\. Status: (\d{3})/.exec(message);
  if (m) return { kind: 'integration-status', status: Number(m[1]) };
  if (message.includes('Malformed Lambda proxy response')) {
    return { kind: 'failure', cause: 'lambda-invalid-response', why: 'execution log: Malformed Lambda proxy response (the function returned no integer statusCode or a non-string body)' };
  }
  if (message.includes('Invalid permissions on Lambda function')) {
    return { kind: 'failure', cause: 'lambda-invoke-permission-missing', why: "execution log: Invalid permissions on Lambda function (the function's resource policy does not let this API invoke it)" };
  }
  if (message.includes('Execution failed due to a timeout error')) {
    return { kind: 'failure', cause: 'timeout-mismatch', why: 'execution log: Execution failed due to a timeout error (the integration ran past its timeout, 29 s by default; REST answers 504)' };
  }
  m = /Lambda execution failed with status (\d+) due to customer function error: ?([\s\S]*)/.exec(message);
  if (m) {
    const t = TIMED_OUT.exec(m[2]);
    return {
      kind: 'failure',
      cause: 'lambda-error-or-timeout',
      why: t ? `execution log: the function timed out after ${t[1]} s (customer function error)` : `execution log: customer function error: ${m[2].slice(0, 160) || '(no message)'}`,
    };
  }
  m = /Lambda invocation failed with status: (\d{3})/.exec(message);
  if (m) {
    const why = m[1] === '429' ? 'execution log: Lambda invocation failed with status 429 (the function was throttled)' : `execution log: Lambda invocation failed with status ${m[1]}`;
    return { kind: 'failure', cause: 'lambda-error-or-timeout', why };
  }
  m = /Execution failed due to configuration error: ?([\s\S]*)/.exec(message);
  if (m) {
    return { kind: 'failure', cause: 'apigw-integration-misconfigured', why: `execution log: configuration error: ${m[1].slice(0, 160) || '(no detail)'} (integration URI, VPC link, mapping or integration response)` };
  }
  // A REST VPC link that cannot reach its NLB/ALB (https://repost.aws/knowledge-center/api-gateway-500-error-vpc).
  if (/Execution failed due to an? vpc link error/i.test(message)) {
    return { kind: 'failure', cause: 'apigw-integration-misconfigured', why: 'execution log: VPC link error (the link, its load balancer or the targets behind it)' };
  }
  if (message.startsWith('Execution failed due to an internal error')) {
    return { kind: 'failure', cause: 'unclassified', why: 'execution log: Execution failed due to an internal error (inside API Gateway)' };
  }
  return { kind: 'other' };
}

// ---------------------------------------------------------------------------------------------
// Access logs

export interface ApigwAccessRecord {
  format: 'json' | 'clf';
  requestId: string;
  ip: string;
  /** Epoch ms from requestTime (CLF form) or requestTimeEpoch; NaN when the format logs neither. */
  timeMs: number;
  method: string;
  /** routeKey (HTTP API) or resourcePath (REST). */
  route: string;
  status: number | null;
  /** $context.integration.status / integrationStatus: what the integration answered. */
  integrationStatus: number | null;
  /** $context.integrationErrorMessage (= $context.integration.error). */
  integrationError: string;
  errorMessage: string;
  /** $context.error.responseType, e.g. INTEGRATION_TIMEOUT. */
  responseType: string;
}

const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };

/** `03/Dec/2026:08:00:00 +0000` (the CLF form of $context.requestTime) → epoch ms, or NaN. */
export function clfTimeMs(t: string): number {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(t.trim());
  if (!m || !MONTHS[m[2]]) return NaN;
  return Date.parse(`${m[3]}-${MONTHS[m[2]]}-${m[1]}T${m[4]}${m[5]}:${m[6]}`);
}

/** An empty $context variable logs as `-`. */
const val = (v: unknown): string => {
  const s = v === undefined || v === null ? '' : String(v).trim();
  return s === '-' ? '' : s;
};
const code = (v: unknown): number | null => {
  const s = val(v);
  return /^\d{3}$/.test(s) ? Number(s) : null;
};

/** The key names of AWS's examples first, then names people commonly give the same variables. */
function pick(o: Record<string, unknown>, keys: string[]): string {
  for (const k of keys) {
    const v = val(o[k]);
    if (v) return v;
  }
  return '';
}

export function parseApigwJson(text: string): { ok: true; record: ApigwAccessRecord } | { ok: false; reason: string } {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON (a record split over lines?)' };
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { ok: false, reason: 'not a JSON object' };
  const r = o as Record<string, unknown>;
  if (!('status' in r)) return { ok: false, reason: 'API Gateway access log without a status field' };
  const epoch = Number(pick(r, ['requestTimeEpoch']));
  const time = pick(r, ['requestTime']);
  return {
    ok: true,
    record: {
      format: 'json',
      requestId: pick(r, ['requestId', 'extendedRequestId']),
      ip: pick(r, ['ip', 'sourceIp']),
      timeMs: time ? clfTimeMs(time) : epoch > 0 ? epoch : NaN,
      method: pick(r, ['httpMethod']),
      route: pick(r, ['routeKey', 'resourcePath', 'path']),
      status: code(r.status),
      integrationStatus: code(pick(r, ['integration.status', 'integrationStatus', 'integration.integrationStatus'])),
      integrationError: pick(r, ['integrationErrorMessage', 'integrationError', 'integration.error']),
      errorMessage: pick(r, ['errorMessage', 'error.message', 'error']),
      responseType: pick(r, ['errorResponseType', 'responseType', 'error.responseType']),
    },
  };
}

/**
 * The CLF format the console proposes (REST and HTTP API), with any variables appended after the
 * request id, e.g. $context.integrationErrorMessage as the HTTP API troubleshooting page adds it:
 * `ip caller user [requestTime] "method path protocol" status length requestId …`.
 */
const CLF = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}|-) (\S+) ([^\s"]+)(?: ([\s\S]*))?$/;

export function isApigwClf(text: string): boolean {
  return CLF.test(text);
}

export function parseApigwClf(text: string): { ok: true; record: ApigwAccessRecord } | { ok: false; reason: string } {
  const m = CLF.exec(text);
  if (!m) return { ok: false, reason: 'not the API Gateway CLF access-log format' };
  const request = m[5].split(' ');
  const rest = val(m[9]);
  // HTTP APIs log routeKey (`GET /orders`) where REST logs the path, so the quoted part has the method twice.
  const route = request.length >= 4 ? request.slice(1, -1).join(' ') : request[1] ?? '';
  const tokens = rest ? rest.split(' ') : [];
  // REST's default appends $context.extendedRequestId (`d4qiDGxbBcwFXJw=`); what follows is an appended error message.
  if (tokens.length && /^[A-Za-z0-9+/_-]{6,40}=+$/.test(tokens[0])) tokens.shift();
  const integrationError = val(tokens.join(' '));
  return {
    ok: true,
    record: {
      format: 'clf', requestId: m[8], ip: m[1], timeMs: clfTimeMs(m[4]), method: request[0] ?? '', route,
      status: code(m[6]), integrationStatus: null, integrationError, errorMessage: '', responseType: '',
    },
  };
}

/** What an integration error message (access log) names. */
export function classifyIntegrationError(text: string): GatewayClass {
  const t = text.slice(0, 200);
  if (/doesn't have permissions to call the integration|Invalid permissions on Lambda|not authorized to perform: lambda:InvokeFunction/i.test(text)) {
    return { cause: 'lambda-invoke-permission-missing', why: `integration error: ${t} (API Gateway may not invoke the function)` };
  }
  if (/Malformed Lambda proxy response|response from the Lambda function.*format/i.test(text)) return { cause: 'lambda-invalid-response', why: `integration error: ${t}` };
  if (/Task timed out|customer function error|Unhandled|Runtime\.|Rate Exceeded|TooManyRequests|throttl/i.test(text)) return { cause: 'lambda-error-or-timeout', why: `integration error: ${t}` };
  if (/timed out|timeout/i.test(text)) return { cause: 'timeout-mismatch', why: `integration error: ${t} (the integration ran past its timeout)` };
  if (/VPC ?link|Invalid endpoint|PKIX|certificate|mapping|configuration error/i.test(text)) return { cause: 'apigw-integration-misconfigured', why: `integration error: ${t}` };
  return { cause: 'unclassified', why: `integration error: ${t}` };
}

const FAILURE_TYPES: Record<string, GatewayClass> = {
  INTEGRATION_TIMEOUT: { cause: 'timeout-mismatch', why: 'error.responseType INTEGRATION_TIMEOUT: the integration ran past its timeout' },
  API_CONFIGURATION_ERROR: { cause: 'apigw-integration-misconfigured', why: 'error.responseType API_CONFIGURATION_ERROR: the integration is set up wrong' },
  INTEGRATION_FAILURE: { cause: 'unclassified', why: 'error.responseType INTEGRATION_FAILURE: the integration failed (the execution log or integrationErrorMessage names how)' },
};

/**
 * Null when the request did not fail at the integration. A 502 always counts; a 500, 503 or
 * 504 counts when the record says the integration failed (HTTP APIs never answer 502 for it).
 */
export function classifyApigwAccess(r: ApigwAccessRecord): (GatewayClass & { byBackend: boolean }) | null {
  if (r.status === null || r.status < 500) return null;
  const s = r.status;
  const as = s === 502 ? '' : ` (answered ${s})`;
  if (r.integrationStatus === 502) return { cause: 'target-generated-502', why: 'integration.status 502: the backend answered 502 and API Gateway passed it on', byBackend: true };
  if (r.integrationError) {
    const c = classifyIntegrationError(r.integrationError);
    return { ...c, why: c.why + as, byBackend: false };
  }
  const t = FAILURE_TYPES[r.responseType];
  if (t) return { ...t, why: t.why + as, byBackend: false };
  if (s !== 502) return null;
  if (r.integrationStatus === 200) {
    return { cause: 'unclassified', why: 'the integration answered 200 but the gateway 502: a malformed Lambda proxy response or a function error (the execution log tells them apart)', alternatives: ['lambda-invalid-response', 'lambda-error-or-timeout'], byBackend: false };
  }
  return { cause: 'unclassified', why: `502 with no integration error logged${r.errorMessage ? ` (error.message: ${r.errorMessage.slice(0, 120)})` : ''}: add $context.integrationErrorMessage and $context.integration.status to the access-log format`, byBackend: false };
}
