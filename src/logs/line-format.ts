/**
 * Decides the format of each line on its own, on the raw bytes. Saved container and
 * journal output mixes formats (the nginx image prints `/docker-entrypoint.sh:` notices
 * before its error log) and wraps each line in a prefix, so neither the first line nor a
 * per-file guess is enough. The prefixes accepted:
 * - `docker logs -t` / `kubectl logs --timestamps`: an RFC 3339 time (`…T23:05:00.123456789Z`) and a space;
 * - journald `-o short-iso`: `2026-12-01T23:05:00+0000 host nginx[123]: `;
 * - classic syslog: `Dec  1 23:05:00 host nginx[123]: `.
 */
import type { LogFormat } from './types.js';
import { isApigwClf, parseExecLine } from './apigw-log.js';
import { isLambdaJson, isLambdaLine } from './lambda-log.js';

export interface LineFormat {
  /** null: no known format (container notices, access logs of other servers, noise). */
  format: LogFormat | null;
  /** Where the log line itself starts, after any prefix. */
  start: number;
}

const SPACE = 0x20;
const COLON = 0x3a;
const ALB_TYPES = ['http', 'https', 'h2', 'grpcs', 'ws', 'wss'].map((t) => Buffer.from(`${t} `, 'latin1'));
const MONTHS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 48 && b <= 57;
}

function digitsAt(buf: Buffer, p: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (!isDigit(buf[p + i])) return false;
  return true;
}

/** `2024/01/31 12:00:00 ` */
function isNginxError(buf: Buffer, s: number, e: number): boolean {
  return e - s > 20 && digitsAt(buf, s, 4) && buf[s + 4] === 0x2f && digitsAt(buf, s + 5, 2) && buf[s + 7] === 0x2f &&
    digitsAt(buf, s + 8, 2) && buf[s + 10] === SPACE && digitsAt(buf, s + 11, 2) && buf[s + 13] === COLON;
}

function isAlb(buf: Buffer, s: number, e: number): boolean {
  // `http ` and `https ` are nearly every line: decided on the bytes, without a native call.
  if (e - s > 6 && buf[s] === 0x68 && buf[s + 1] === 0x74 && buf[s + 2] === 0x74 && buf[s + 3] === 0x70) {
    return buf[s + 4] === SPACE || (buf[s + 4] === 0x73 && buf[s + 5] === SPACE);
  }
  for (const t of ALB_TYPES) {
    if (e - s > t.length && buf[s] === t[0] && buf.compare(t, 0, t.length, s, s + t.length) === 0) return true;
  }
  return false;
}

/**
 * End of an RFC 3339 time at `s` (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH[:]MM)`), or null.
 * `utc`: it ended in `Z`, the only form ELB logs use.
 */
function isoEnd(buf: Buffer, s: number, e: number): { end: number; utc: boolean } | null {
  if (e - s < 20 || !digitsAt(buf, s, 4) || buf[s + 4] !== 0x2d || !digitsAt(buf, s + 5, 2) || buf[s + 7] !== 0x2d ||
    !digitsAt(buf, s + 8, 2) || buf[s + 10] !== 0x54 || !digitsAt(buf, s + 11, 2) || buf[s + 13] !== COLON ||
    !digitsAt(buf, s + 14, 2) || buf[s + 16] !== COLON || !digitsAt(buf, s + 17, 2)) return null;
  let p = s + 19;
  if (buf[p] === 0x2e) {
    p++;
    while (p < e && isDigit(buf[p])) p++;
  }
  if (buf[p] === 0x5a) return { end: p + 1, utc: true };
  if ((buf[p] === 0x2b || buf[p] === 0x2d) && digitsAt(buf, p + 1, 2)) {
    let q = p + 3;
    if (buf[q] === COLON) q++;
    if (digitsAt(buf, q, 2)) return { end: q + 2, utc: false };
  }
  return null;
}

/** `host tag[pid]: ` or `host tag: ` at `s` (the syslog header after its time); the end, or -1. */
function syslogTagEnd(buf: Buffer, s: number, e: number): number {
  let p = s;
  while (p < e && buf[p] !== SPACE) p++;
  if (p === s || p >= e) return -1;
  p++;
  const tag = p;
  while (p < e && buf[p] !== SPACE && buf[p] !== COLON) p++;
  if (p === tag || buf[p] !== COLON || buf[p + 1] !== SPACE) return -1;
  return p + 2;
}

/** `Dec  1 23:05:00 ` (classic syslog time, no year); the end, or -1. */
function syslogTimeEnd(buf: Buffer, s: number, e: number): number {
  if (e - s < 16 || buf[s + 3] !== SPACE || !MONTHS.has(buf.toString('latin1', s, s + 3))) return -1;
  if (!(buf[s + 4] === SPACE || isDigit(buf[s + 4])) || !isDigit(buf[s + 5]) || buf[s + 6] !== SPACE) return -1;
  if (!digitsAt(buf, s + 7, 2) || buf[s + 9] !== COLON || !digitsAt(buf, s + 10, 2) || buf[s + 12] !== COLON || !digitsAt(buf, s + 13, 2)) return -1;
  return buf[s + 15] === SPACE ? s + 16 : -1;
}

/** nginx or ALB at `s`, with no prefix. */
function bare(buf: Buffer, s: number, e: number): LogFormat | null {
  if (isNginxError(buf, s, e)) return 'nginx-error';
  if (isAlb(buf, s, e)) return 'alb';
  return null;
}

/** After a syslog/journald time: `host tag[pid]: ` and then an nginx line. */
function afterSyslogTime(buf: Buffer, p: number, e: number): LineFormat | null {
  const q = syslogTagEnd(buf, p, e);
  return q >= 0 && isNginxError(buf, q, e) ? { format: 'nginx-error', start: q } : null;
}

/**
 * A CLB line also starts with a UTC time and a space; it is one when the next two fields
 * are a load-balancer name and a client `ip:port`, which no prefixed log line starts with.
 */
function looksClb(buf: Buffer, s: number, e: number): boolean {
  let p = s;
  while (p < e && buf[p] !== SPACE) p++;
  if (p === s || p >= e) return false;
  const client = ++p;
  if (!isDigit(buf[client]) && buf[client] !== 0x5b) return false;
  while (p < e && buf[p] !== SPACE) p++;
  return buf.lastIndexOf(COLON, p - 1) > client;
}

const APPGW_CATEGORY = Buffer.from('"ApplicationGatewayAccessLog"', 'latin1');

/** An App Gateway access-log record exported as one JSON object a line. */
function isAppGw(buf: Buffer, s: number, e: number): boolean {
  if (buf[s] !== 0x7b) return false;
  const at = buf.indexOf(APPGW_CATEGORY, s);
  return at >= 0 && at < e;
}

export function detectLine(buf: Buffer, s: number, e: number): LineFormat {
  const f = bare(buf, s, e);
  if (f !== null) return { format: f, start: s };
  // After the ALB/nginx test, so the ALB hot path pays nothing for it.
  if (isAppGw(buf, s, e)) return { format: 'appgw', start: s };
  const iso = isoEnd(buf, s, e);
  if (iso !== null && buf[iso.end] === SPACE) {
    const p = iso.end + 1;
    const inner = bare(buf, p, e);
    if (inner !== null) return { format: inner, start: p };
    const journald = afterSyslogTime(buf, p, e);
    if (journald !== null) return journald;
    if (iso.utc && looksClb(buf, p, e)) return { format: 'clb', start: s };
    // `aws logs tail` prints `time stream message`; a time and the message alone is how badgate's own checks pass events on.
    const g = gatewayFormat(buf, p, e);
    if (g !== null) return { format: g, start: p };
    const q = buf.indexOf(SPACE, p);
    const afterStream = q > p && q < e ? gatewayFormat(buf, q + 1, e) : null;
    if (afterStream !== null) return { format: afterStream, start: q + 1 };
    return { format: null, start: p };
  }
  const t = syslogTimeEnd(buf, s, e);
  if (t >= 0) return afterSyslogTime(buf, t, e) ?? { format: null, start: s };
  if (isCloudFront(buf, s, e)) return { format: 'cloudfront', start: s };
  const g = gatewayFormat(buf, s, e);
  return { format: g, start: s };
}

const APIGW_REQUEST_ID = Buffer.from('"requestId"', 'latin1');
const APIGW_STATUS = Buffer.from('"status"', 'latin1');
const DAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

/**
 * API Gateway access (JSON or CLF) and execution lines, and Lambda function logs, at `p`.
 * Tested after every other format, so the ALB, nginx and CloudFront paths pay nothing for it.
 */
function gatewayFormat(buf: Buffer, p: number, e: number): LogFormat | null {
  if (e - p < 8) return null;
  const b = buf[p];
  if (b === 0x7b) {
    if (isLambdaJson(buf.toString('utf8', p, Math.min(e, p + 4096)))) return 'lambda';
    const id = buf.indexOf(APIGW_REQUEST_ID, p);
    const st = buf.indexOf(APIGW_STATUS, p);
    return id >= 0 && id < e && st >= 0 && st < e ? 'apigw-access' : null;
  }
  const text = buf.toString('utf8', p, Math.min(e, p + 4096));
  if (b === 0x28 || (DAYS.has(text.slice(0, 3)) && text[3] === ' ')) return parseExecLine(text) ? 'apigw-execution' : null;
  if ((isDigit(b) || b === 0x3a || (b >= 0x61 && b <= 0x66)) && isApigwClf(text)) return 'apigw-access';
  if (isLambdaLine(text)) return 'lambda';
  return null;
}

const CF_HEADERS = ['#Version:', '#Fields:'].map((h) => Buffer.from(h, 'latin1'));

/**
 * CloudFront standard logs (W3C, tab-separated): `2019-12-04<TAB>21:02:31<TAB>…`, after the
 * `#Version:` and `#Fields:` header lines. Tested last, so ALB and nginx lines never reach it.
 */
function isCloudFront(buf: Buffer, s: number, e: number): boolean {
  if (buf[s] === 0x23) return CF_HEADERS.some((h) => e - s >= h.length && buf.compare(h, 0, h.length, s, s + h.length) === 0);
  return e - s > 20 && digitsAt(buf, s, 4) && buf[s + 4] === 0x2d && digitsAt(buf, s + 5, 2) && buf[s + 7] === 0x2d &&
    digitsAt(buf, s + 8, 2) && buf[s + 10] === 0x09 && digitsAt(buf, s + 11, 2) && buf[s + 13] === COLON && buf[s + 19] === 0x09;
}
