/** Full parse of one ALB or CLB access-log line into an AccessRecord. */
import type { AccessRecord } from './types.js';
import { tokenizeLine } from './tokenize.js';

export type RecordResult = { ok: true; record: AccessRecord } | { ok: false; reason: string };

/** ALB fields in documented order (reference §1.3); later ones are optional in older logs. */
export const ALB_FIELDS = [
  'type', 'time', 'elb', 'client:port', 'target:port', 'request_processing_time',
  'target_processing_time', 'response_processing_time', 'elb_status_code', 'target_status_code',
  'received_bytes', 'sent_bytes', 'request', 'user_agent', 'ssl_cipher', 'ssl_protocol',
  'target_group_arn', 'trace_id', 'domain_name', 'chosen_cert_arn', 'matched_rule_priority',
  'request_creation_time', 'actions_executed', 'redirect_url', 'error_reason', 'target:port_list',
  'target_status_code_list', 'classification', 'classification_reason', 'conn_trace_id',
  'transformed_host', 'transformed_uri', 'request_transform_status',
] as const;

export const CLB_FIELDS = [
  'time', 'elb', 'client:port', 'backend:port', 'request_processing_time', 'backend_processing_time',
  'response_processing_time', 'elb_status_code', 'backend_status_code', 'received_bytes', 'sent_bytes',
  'request', 'user_agent', 'ssl_cipher', 'ssl_protocol',
] as const;

/** The oldest ALB logs stop after trace_id (18 fields); anything shorter was cut. */
export const ALB_MIN_FIELDS = 18;
/** Through `request`; user_agent and the TLS fields came later. */
export const CLB_MIN_FIELDS = 12;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function timing(v: string): number {
  return v === '-' ? -1 : Number(v);
}

function status(v: string): number | null | undefined {
  if (v === '-') return null;
  return /^\d{3}$/.test(v) ? Number(v) : undefined;
}

function count(v: string): number {
  return v === '-' ? 0 : Number(v);
}

/** Splits `"GET http://host:80/path?q HTTP/1.1"` into method, url and path (no query). */
export function splitRequest(request: string): { method: string; url: string; path: string } {
  const parts = request.split(' ');
  const method = parts[0] ?? '-';
  const url = parts[1] ?? '-';
  let path = url;
  const scheme = url.indexOf('://');
  if (scheme >= 0) {
    const slash = url.indexOf('/', scheme + 3);
    path = slash >= 0 ? url.slice(slash) : '/';
  }
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  return { method, url, path: path === '' ? '-' : path };
}

function baseRecord(format: 'alb' | 'clb'): AccessRecord {
  return {
    format, type: format === 'clb' ? 'http' : '-', time: '', elb: '', client: '-', target: '-',
    requestProcessingTime: -1, targetProcessingTime: -1, responseProcessingTime: -1,
    elbStatusCode: null, targetStatusCode: null, receivedBytes: 0, sentBytes: 0,
    request: '-', method: '-', url: '-', path: '-', userAgent: '-', sslCipher: '-', sslProtocol: '-',
    targetGroupArn: '-', traceId: '-', domainName: '-', chosenCertArn: '-', matchedRulePriority: '-',
    requestCreationTime: '', actionsExecuted: '-', redirectUrl: '-', errorReason: '-',
    targetPortList: '-', targetStatusCodeList: '-', classification: '-', classificationReason: '-',
    connTraceId: '-', transformedHost: '-', transformedUri: '-', requestTransformStatus: '-', extra: [],
  };
}

function checkCommon(r: AccessRecord, elbStatus: string, targetStatus: string): string | null {
  if (!ISO.test(r.time)) return 'bad time field';
  if (![r.requestProcessingTime, r.targetProcessingTime, r.responseProcessingTime].every((n) => Number.isFinite(n))) {
    return 'bad processing time';
  }
  const e = status(elbStatus);
  const t = status(targetStatus);
  if (e === undefined) return 'bad elb_status_code';
  if (t === undefined) return 'bad target_status_code';
  r.elbStatusCode = e;
  r.targetStatusCode = t;
  if (!Number.isFinite(r.receivedBytes) || !Number.isFinite(r.sentBytes)) return 'bad byte count';
  return null;
}

export function parseAlbRecord(buf: Buffer, start: number, end: number): RecordResult {
  const t = tokenizeLine(buf, start, end);
  if (!t.ok) return t;
  const f = t.tokens;
  if (f.length < ALB_MIN_FIELDS) return { ok: false, reason: `too few fields (${f.length}, need ≥ ${ALB_MIN_FIELDS})` };
  const r = baseRecord('alb');
  r.type = f[0];
  r.time = f[1];
  r.elb = f[2];
  r.client = f[3];
  r.target = f[4];
  r.requestProcessingTime = timing(f[5]);
  r.targetProcessingTime = timing(f[6]);
  r.responseProcessingTime = timing(f[7]);
  r.receivedBytes = count(f[10]);
  r.sentBytes = count(f[11]);
  const bad = checkCommon(r, f[8], f[9]);
  if (bad) return { ok: false, reason: bad };
  r.request = f[12];
  Object.assign(r, splitRequest(f[12]));
  const opt = (i: number): string => f[i] ?? '-';
  r.userAgent = opt(13);
  r.sslCipher = opt(14);
  r.sslProtocol = opt(15);
  r.targetGroupArn = opt(16);
  r.traceId = opt(17);
  r.domainName = opt(18);
  r.chosenCertArn = opt(19);
  r.matchedRulePriority = opt(20);
  r.requestCreationTime = f[21] ?? '';
  r.actionsExecuted = opt(22);
  r.redirectUrl = opt(23);
  r.errorReason = opt(24);
  r.targetPortList = opt(25);
  r.targetStatusCodeList = opt(26);
  r.classification = opt(27);
  r.classificationReason = opt(28);
  r.connTraceId = opt(29);
  r.transformedHost = opt(30);
  r.transformedUri = opt(31);
  r.requestTransformStatus = opt(32);
  r.extra = f.slice(ALB_FIELDS.length);
  if (r.requestCreationTime !== '' && r.requestCreationTime !== '-' && !ISO.test(r.requestCreationTime)) {
    return { ok: false, reason: 'bad request_creation_time' };
  }
  return { ok: true, record: r };
}

export function parseClbRecord(buf: Buffer, start: number, end: number): RecordResult {
  const t = tokenizeLine(buf, start, end);
  if (!t.ok) return t;
  const f = t.tokens;
  if (f.length < CLB_MIN_FIELDS) return { ok: false, reason: `too few fields (${f.length}, need ≥ ${CLB_MIN_FIELDS})` };
  const r = baseRecord('clb');
  r.time = f[0];
  r.requestCreationTime = f[0];
  r.elb = f[1];
  r.client = f[2];
  r.target = f[3];
  r.requestProcessingTime = timing(f[4]);
  r.targetProcessingTime = timing(f[5]);
  r.responseProcessingTime = timing(f[6]);
  r.receivedBytes = count(f[9]);
  r.sentBytes = count(f[10]);
  const bad = checkCommon(r, f[7], f[8]);
  if (bad) return { ok: false, reason: bad };
  r.request = f[11];
  Object.assign(r, splitRequest(f[11]));
  r.userAgent = f[12] ?? '-';
  r.sslCipher = f[13] ?? '-';
  r.sslProtocol = f[14] ?? '-';
  r.extra = f.slice(CLB_FIELDS.length);
  return { ok: true, record: r };
}

/** Parses one line of either format (sniffed from its first byte). */
export function parseAccessLine(line: string): RecordResult {
  const b = Buffer.from(line, 'utf8');
  let end = b.length;
  if (end > 0 && b[end - 1] === 0x0d) end--;
  return b[0] >= 48 && b[0] <= 57 ? parseClbRecord(b, 0, end) : parseAlbRecord(b, 0, end);
}
