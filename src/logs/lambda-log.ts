/**
 * Lambda function logs (`/aws/lambda/<function>`), plain-text format: the platform's START,
 * END and REPORT lines, `Task timed out after N seconds`, and runtime error lines. Sources:
 * - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html (START/END/REPORT)
 * - https://repost.aws/knowledge-center/lambda-troubleshoot-invocation-timeouts (Task timed out)
 * - https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html (ERROR Invoke Error, errorType)
 * - https://repost.aws/knowledge-center/lambda-import-module-error-python (Runtime.ImportModuleError)
 * - JSON log format (LoggingConfig.LogFormat JSON): platform events as the telemetry schema
 *   (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html: `platform.report` with
 *   `record.status` success|timeout|error) and the runtimes' `{"level":"ERROR","errorType":…}` records
 *   (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html).
 * Throttled invocations never run, so they leave no line here (see the Throttles metric).
 */

export type LambdaLine =
  | { kind: 'start' | 'end'; requestId: string }
  | { kind: 'report'; requestId: string; durationMs: number; memoryMb?: number; maxMemoryMb?: number; status?: string; errorType?: string }
  | { kind: 'timeout'; requestId?: string; seconds: number }
  | { kind: 'error'; requestId?: string; errorType: string; message: string }
  | { kind: 'other' };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const PLATFORM = /^(?:START|END|REPORT|INIT_START|INIT_REPORT|RequestId:)\s/;

/** A line of a Lambda log: a platform line, or the runtime's `time<TAB>request-id<TAB>LEVEL<TAB>…` and `[ERROR]` forms. */
export function isLambdaLine(text: string): boolean {
  if (PLATFORM.test(text) || text.startsWith('[ERROR]')) return true;
  // Node, Java and .NET runtimes: `2019-06-07T19:11:20.562Z<TAB>c793869b-…<TAB>ERROR<TAB>…`.
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\t/.test(text) || text.includes('Task timed out after ');
}

/** A JSON-format Lambda record: a platform event, or a runtime record with a level. */
export function isLambdaJson(text: string): boolean {
  return text.startsWith('{') && (text.includes('"type":"platform.') || text.includes('"type": "platform.') || (/"level"\s*:/.test(text) && /"requestId"\s*:/.test(text) && !/"httpMethod"\s*:/.test(text)));
}

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function classifyLambdaJson(text: string): LambdaLine {
  let o: Json;
  try {
    o = JSON.parse(text) as Json;
  } catch {
    return { kind: 'other' };
  }
  const record = (o.record && typeof o.record === 'object' ? o.record : {}) as Json;
  const type = str(o.type);
  if (type === 'platform.start') return { kind: 'start', requestId: str(record.requestId) };
  if (type === 'platform.report') {
    const metrics = (record.metrics && typeof record.metrics === 'object' ? record.metrics : {}) as Json;
    return {
      kind: 'report', requestId: str(record.requestId), durationMs: Number(metrics.durationMs) || 0,
      ...(typeof metrics.memorySizeMB === 'number' ? { memoryMb: metrics.memorySizeMB } : {}),
      ...(typeof metrics.maxMemoryUsedMB === 'number' ? { maxMemoryMb: metrics.maxMemoryUsedMB } : {}),
      ...(str(record.status) ? { status: str(record.status) } : {}),
      ...(str(record.errorType) ? { errorType: str(record.errorType) } : {}),
    };
  }
  const message = typeof o.message === 'string' ? o.message : JSON.stringify(o.message ?? '');
  const requestId = str(o.requestId) || str(o.AWSRequestId);
  const t = /Task timed out after ([\d.]+) seconds/.exec(message);
  if (t) return { kind: 'timeout', ...(requestId ? { requestId } : {}), seconds: Number(t[1]) };
  const errorType = str(o.errorType) || str((o.message as Json | undefined)?.errorType);
  if (str(o.level).toUpperCase() === 'ERROR' && errorType) return { kind: 'error', ...(requestId ? { requestId } : {}), errorType, message: text.slice(0, 300) };
  return { kind: 'other' };
}

export function classifyLambdaLine(text: string): LambdaLine {
  if (text.startsWith('{')) return classifyLambdaJson(text);
  let m = /^(START|END) RequestId: (\S+)/.exec(text);
  if (m) return { kind: m[1] === 'START' ? 'start' : 'end', requestId: m[2] };
  m = /^REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms/.exec(text);
  if (m) {
    const mem = /Memory Size: (\d+) MB/.exec(text);
    const used = /Max Memory Used: (\d+) MB/.exec(text);
    const status = /Status: (\w+)/.exec(text);
    const type = /Error Type: ([\w.]+)/.exec(text);
    return {
      kind: 'report', requestId: m[1], durationMs: Number(m[2]),
      ...(mem ? { memoryMb: Number(mem[1]) } : {}),
      ...(used ? { maxMemoryMb: Number(used[1]) } : {}),
      ...(status ? { status: status[1] } : {}),
      ...(type ? { errorType: type[1] } : {}),
    };
  }
  const id = UUID.exec(text)?.[0];
  m = /Task timed out after ([\d.]+) seconds/.exec(text);
  if (m) return { kind: 'timeout', ...(id ? { requestId: id } : {}), seconds: Number(m[1]) };
  const jsonType = /"errorType"\s*:\s*"([\w.]+)"/.exec(text)?.[1];
  if (/\tERROR\t(?:Invoke Error|Uncaught Exception|Unhandled Promise Rejection)/.test(text) || (jsonType && /\bERROR\b/.test(text))) {
    return { kind: 'error', ...(id ? { requestId: id } : {}), errorType: jsonType ?? 'Error', message: text.slice(0, 300) };
  }
  // Python: `[ERROR] Runtime.ImportModuleError: Unable to import module 'lambda_function': …` or `[ERROR] KeyError: 'id'`.
  m = /^\[ERROR\]\s+(?:\S+Z\s+\S+\s+)?([\w.]+(?:Error|Exception|Exit)\w*):/.exec(text);
  if (m) return { kind: 'error', ...(id ? { requestId: id } : {}), errorType: m[1], message: text.slice(0, 300) };
  // The runtime process died (out of memory, a crash): `RequestId: … Error: Runtime exited with error: signal: killed`.
  m = /Runtime exited with error: ([^\n]*)|Process exited before completing request/.exec(text);
  if (m) return { kind: 'error', ...(id ? { requestId: id } : {}), errorType: /signal: killed/.test(text) ? 'Runtime.ExitError (killed: out of memory?)' : 'Runtime.ExitError', message: text.slice(0, 300) };
  return { kind: 'other' };
}

/** A failed invocation's one-line reason, or null when the line names no failure. */
export function lambdaFailure(l: LambdaLine): { requestId?: string; kind: 'timeout' | 'error'; why: string; seconds?: number } | null {
  if (l.kind === 'timeout') return { ...(l.requestId ? { requestId: l.requestId } : {}), kind: 'timeout', seconds: l.seconds, why: `Lambda: Task timed out after ${l.seconds.toFixed(2)} s` };
  if (l.kind === 'error') return { ...(l.requestId ? { requestId: l.requestId } : {}), kind: 'error', why: `Lambda: ${l.errorType}` };
  if (l.kind === 'report' && l.status === 'timeout') return { requestId: l.requestId, kind: 'timeout', seconds: Math.round(l.durationMs / 10) / 100, why: `Lambda: REPORT Status: timeout after ${(l.durationMs / 1000).toFixed(2)} s` };
  if (l.kind === 'report' && l.status && l.status !== 'success') return { requestId: l.requestId, kind: 'error', why: `Lambda: REPORT Status: ${l.status}${l.errorType ? ` (${l.errorType})` : ''}` };
  return null;
}
