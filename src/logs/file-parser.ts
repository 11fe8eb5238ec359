/**
 * The per-line hot path. For each line it finds the first ten space-separated fields on
 * the raw bytes (none of them is quoted), reads time, target and status without building
 * strings, and only decodes and fully parses the line when it is a 502.
 */
import type { AnalyzerState, TargetSlot } from './analyzer.js';
import { PENDING_DISPATCHED, PENDING_NGINX } from './analyzer.js';
import { LineSplitter } from './line-splitter.js';
import { detectLine } from './line-format.js';
import { parseIsoBytes, parseIsoString } from './iso-time.js';
import { ALB_MIN_FIELDS, CLB_MIN_FIELDS, parseAlbRecord, parseClbRecord } from './access-record.js';
import { classifyNginxMessage, parseNginxErrorLine, upstreamHost } from './nginx-error.js';
import { classifyCloudFront502, DEFAULT_INDEX, fieldIndex, parseFieldsHeader, type CloudFrontFieldIndex } from './cloudfront-log.js';
import type { LogFormat } from './types.js';
import { classifyAppGw502, parseAppGwLine } from './appgw-access.js';
import { classifyApigwAccess, classifyExecMessage, consoleTimeMs, parseApigwClf, parseApigwJson, parseExecLine, type GatewayClass } from './apigw-log.js';
import { classifyLambdaLine, lambdaFailure } from './lambda-log.js';

const SPACE = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const BACKSLASH = 0x5c;

/** Node IP from an ELB log object name (`…_20140215T2340Z_192.168.1.1_2soosksgsasnei.log.gz`): each node has its own pool. */
export function nodeFromName(name: string): string {
  const m = /_\d{8}T\d{4}Z_([0-9a-fA-F.:]+)_[^_/]+$/.exec(name);
  return m ? m[1] : '';
}

/**
 * The quote that closes a field opened before `from`, or -1. A backslash escapes the next
 * byte, so `\\"` is an escaped backslash and then the closing quote.
 */
function closingQuote(buf: Buffer, from: number, e: number): number {
  let c = buf.indexOf(QUOTE, from);
  while (c >= 0 && c < e) {
    let k = c - 1;
    while (k >= from && buf[k] === BACKSLASH) k--;
    if (((c - 1 - k) & 1) === 0) return c;
    c = buf.indexOf(QUOTE, c + 1);
  }
  return -1;
}

/** One request on a target; `answered`: it sent a status, so it was reachable and its connection was in use. */
function countOnTarget(slot: TargetSlot, ms: number, answered: boolean): void {
  const st = slot.stats;
  st.requests++;
  st.minutes.add(ms);
  if (ms > st.lastSeenMs) st.lastSeenMs = ms;
  if (answered) {
    st.responded++;
    if (ms > st.lastResponseMs) st.lastResponseMs = ms;
    slot.bits.mark(ms);
  }
}

/** `key` equals buf[s, e): a byte loop, since a subarray per line costs more than the compare. */
function sameBytes(key: Buffer, buf: Buffer, s: number, e: number): boolean {
  if (key.length !== e - s) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== buf[s + i]) return false;
  return true;
}

export class LogFileParser {
  private readonly splitter: LineSplitter;
  private lastFormat: LogFormat | null = null;
  private readonly tok = new Int32Array(24);
  private readonly node: string;
  private readonly fileIdx: number;
  // Target lookup by a hash of the target bytes (no string per line), shared by the node's files.
  private readonly slotByHash: Map<number, { bytes: Buffer; slot: TargetSlot }>;
  private lbCacheKey = '';
  private lbCacheMatch = true;

  constructor(private readonly a: AnalyzerState, private readonly name: string) {
    this.node = nodeFromName(name);
    this.fileIdx = a.fileIndex(name);
    this.slotByHash = a.slotCache(this.node);
    this.splitter = new LineSplitter((buf, s, e, n, overlong) => this.onLine(buf, s, e, n, overlong));
    a.files++;
  }

  get linesRead(): number {
    return this.splitter.lineNo;
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  end(): void {
    this.splitter.end();
    this.flushExec();
  }

  private ref(lineNo: number): string {
    return `${this.name}:${lineNo}`;
  }

  private bad(lineNo: number, reason: string, buf: Buffer, s: number, e: number): void {
    this.a.addMalformed(this.name, lineNo, reason, buf.toString('utf8', s, Math.min(e, s + 200)));
  }

  private onLine(buf: Buffer, s: number, e: number, lineNo: number, overlong: boolean): void {
    const a = this.a;
    a.lines++;
    if (overlong) {
      this.bad(lineNo, 'line longer than 1 MiB', buf, s, e);
      return;
    }
    if (e === s) {
      a.blank++;
      return;
    }
    const { format, start } = detectLine(buf, s, e);
    if (format === 'alb') this.access('alb', buf, start, e, lineNo, 10, ALB_MIN_FIELDS, 1, 2, 4, 8, 9);
    else if (format === 'clb') this.access('clb', buf, start, e, lineNo, 9, CLB_MIN_FIELDS, 0, 1, 3, 7, 8);
    else if (format === 'nginx-error') this.nginx(buf, start, e, lineNo);
    else if (format === 'appgw') this.appgw(buf, start, e, lineNo);
    else if (format === 'cloudfront') this.cloudfront(buf, start, e, lineNo);
    else if (format === 'apigw-access') this.apigwAccess(buf, s, start, e, lineNo);
    else if (format === 'apigw-execution') this.apigwExec(buf, s, start, e, lineNo);
    else if (format === 'lambda') this.lambda(buf, s, start, e, lineNo);
    else this.bad(lineNo, 'not an ALB, CLB or nginx error-log line', buf, s, e);
  }

  /** Formats are those of lines that were read, so container notices do not make a file "mixed". */
  private accepted(format: LogFormat): void {
    if (format !== this.lastFormat) {
      this.lastFormat = format;
      this.a.formats.add(format);
    }
  }

  private lbMatches(buf: Buffer, s: number, e: number): boolean {
    const want = this.a.opts.lb;
    if (!want) return true;
    const key = buf.toString('latin1', s, e);
    if (key !== this.lbCacheKey) {
      this.lbCacheKey = key;
      this.lbCacheMatch = key === want || key.includes(`/${want}/`) || key.endsWith(`/${want}`) || (want.includes('/') && key.includes(want));
    }
    return this.lbCacheMatch;
  }

  /**
   * fields: how many unquoted leading fields to find; minFields: how many a whole line has
   * at least; the rest are the indexes of the time, elb, target:port, elb_status_code and
   * target_status_code fields in that format.
   */
  private access(format: 'alb' | 'clb', buf: Buffer, s: number, e: number, lineNo: number, fields: number, minFields: number, iTime: number, iElb: number, iTarget: number, iStatus: number, iTargetStatus: number): void {
    const a = this.a;
    const tok = this.tok;
    let p = s;
    let n = 0;
    while (n < fields && p < e) {
      if (buf[p] === QUOTE) break;
      const ts = p;
      while (p < e && buf[p] !== SPACE) p++;
      tok[2 * n] = ts;
      tok[2 * n + 1] = p;
      n++;
      p++;
    }
    if (n < fields || p >= e) {
      this.bad(lineNo, 'too few fields (truncated line?)', buf, s, e);
      return;
    }
    const timeMs = parseIsoBytes(buf, tok[2 * iTime], tok[2 * iTime + 1]);
    if (timeMs !== timeMs) {
      this.bad(lineNo, 'bad time field', buf, s, e);
      return;
    }
    const ss = tok[2 * iStatus];
    let status = -1;
    if (tok[2 * iStatus + 1] - ss === 3) {
      const d0 = buf[ss] - 48;
      const d1 = buf[ss + 1] - 48;
      const d2 = buf[ss + 2] - 48;
      if (d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) status = d0 * 100 + d1 * 10 + d2;
    }
    if (status < 0 && !(buf[ss] === DASH && tok[2 * iStatus + 1] - ss === 1)) {
      this.bad(lineNo, 'bad elb_status_code', buf, s, e);
      return;
    }
    // The rest holds the quoted fields. Count fields and quotes in one pass, field by field: a
    // line cut short has too few fields or a quoted field that never closes. Each field is
    // skipped natively, to its closing quote or to the next space: a byte loop in JS cost more
    // than the rest of the line's parsing (ALB fields hold no quote but around a quoted value).
    let more = 1;
    let open = false;
    for (let q = p; q < e;) {
      if (buf[q] === QUOTE) {
        const close = closingQuote(buf, q + 1, e);
        if (close < 0) {
          open = true;
          break;
        }
        q = close + 1;
      } else {
        const sp = buf.indexOf(SPACE, q);
        if (sp < 0 || sp >= e) break;
        q = sp;
      }
      if (q < e && buf[q] === SPACE) {
        more++;
        q++;
      }
    }
    if (open) {
      this.bad(lineNo, 'unterminated quoted field (truncated line?)', buf, s, e);
      return;
    }
    if (fields + more < minFields) {
      this.bad(lineNo, 'too few fields (truncated line?)', buf, s, e);
      return;
    }
    this.accepted(format);
    if (!a.inWindow(timeMs)) {
      a.outOfWindow++;
      return;
    }
    if (a.opts.lb && !this.lbMatches(buf, tok[2 * iElb], tok[2 * iElb + 1])) {
      a.outOfWindow++;
      return;
    }
    let line: string | null = null;
    let rec = null;
    if (status === 502) {
      // Full parse first so a 502 line that does not parse is not half counted.
      const r = format === 'alb' ? parseAlbRecord(buf, s, e) : parseClbRecord(buf, s, e);
      if (!r.ok) {
        this.bad(lineNo, r.reason, buf, s, e);
        return;
      }
      rec = r.record;
      line = buf.toString('utf8', s, e);
    }
    const minute = a.countRequest(timeMs);
    let slot: TargetSlot | null = null;
    const t0 = tok[2 * iTarget];
    const t1 = tok[2 * iTarget + 1];
    if (!(t1 - t0 === 1 && buf[t0] === DASH)) {
      slot = this.slotFor(buf, t0, t1);
      countOnTarget(slot, timeMs, buf[tok[2 * iTargetStatus]] !== DASH);
    }
    if (rec !== null && line !== null) a.record502(rec, this.fileIdx, lineNo, line, slot, timeMs, minute);
  }

  private slotFor(buf: Buffer, s: number, e: number): TargetSlot {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    // Kept within V8's small integers: a larger key is a heap number, allocated on every lookup.
    h &= 0x3fffffff;
    const hit = this.slotByHash.get(h);
    if (hit !== undefined && sameBytes(hit.bytes, buf, s, e)) return hit.slot;
    const key = buf.toString('latin1', s, e);
    const slot = this.a.slot(this.node, key);
    // On a hash collision the newer target wins the cache; the other falls back to the string map.
    this.slotByHash.set(h, { bytes: Buffer.from(buf.subarray(s, e)), slot });
    return slot;
  }

  private appgw(buf: Buffer, s: number, e: number, lineNo: number): void {
    const a = this.a;
    const text = buf.toString('utf8', s, e);
    const p = parseAppGwLine(text);
    if (!p.ok) {
      this.bad(lineNo, p.reason, buf, s, e);
      return;
    }
    const r = p.record;
    // v2 writes `+00:00` offsets (`2021-10-14T22:17:11+00:00`), which the ELB time reader does not take.
    const ms = Date.parse(r.time);
    if (ms !== ms) {
      this.bad(lineNo, 'bad timeStamp', buf, s, e);
      return;
    }
    this.accepted('appgw');
    // Rows from 127.0.0.1 come from the gateway's own internal process (Microsoft: safe to ignore).
    if (r.clientIp === '127.0.0.1') return;
    if (!a.inWindow(ms)) {
      a.outOfWindow++;
      return;
    }
    const minute = a.countRequest(ms);
    if (r.serverRouted) countOnTarget(a.slot(this.node, r.serverRouted), ms, r.serverStatus !== null);
    if (r.httpStatus !== 502) return;
    a.count502++;
    minute[1]++;
    if (r.serverStatus === null) a.lb502++;
    else a.target502++;
    a.bumpKey(a.target502s, r.serverRouted || '-');
    a.bumpKey(a.path502s, r.uri.split('?')[0]);
    a.bumpKey(a.client502s, r.clientIp);
    const c = classifyAppGw502(r);
    a.tally(c.cause, this.ref(lineNo), text, c.why, c.alternatives);
  }

  /** The time of a `time message` prefix (`aws logs tail`, or a check passing events on), or NaN. */
  private prefixMs(buf: Buffer, s: number, start: number): number {
    if (start <= s) return NaN;
    const sp = buf.indexOf(SPACE, s);
    return sp > s && sp < start ? Date.parse(buf.toString('latin1', s, sp)) : NaN;
  }

  /** Counts one request; false when it lies outside the window. Lines with no time count as inside. */
  private request(ms: number): [number, number] | null | false {
    const a = this.a;
    if (ms !== ms) {
      a.requests++;
      return null;
    }
    if (!a.inWindow(ms)) {
      a.outOfWindow++;
      return false;
    }
    return a.countRequest(ms);
  }

  /** One request the gateway failed at its integration: counted with the 502s, whatever status it answered. */
  private gatewayFailure(minute: [number, number] | null, byBackend: boolean, c: GatewayClass, ref: string, text: string, path?: string, client?: string): void {
    const a = this.a;
    a.count502++;
    if (minute) minute[1]++;
    if (byBackend) a.target502++;
    else a.lb502++;
    if (path) a.bumpKey(a.path502s, path);
    if (client) a.bumpKey(a.client502s, client);
    a.tally(c.cause, ref, text, c.why, c.alternatives);
  }

  private apigwAccess(buf: Buffer, s: number, start: number, e: number, lineNo: number): void {
    const text = buf.toString('utf8', start, e);
    const p = buf[start] === 0x7b ? parseApigwJson(text) : parseApigwClf(text);
    if (!p.ok) {
      this.bad(lineNo, p.reason, buf, s, e);
      return;
    }
    const r = p.record;
    this.accepted('apigw-access');
    const minute = this.request(r.timeMs === r.timeMs ? r.timeMs : this.prefixMs(buf, s, start));
    if (minute === false) return;
    const c = classifyApigwAccess(r);
    if (!c) return;
    const path = r.route ? (r.route.includes(' ') ? r.route : `${r.method} ${r.route}`.trim()) : undefined;
    this.gatewayFailure(minute, c.byBackend, c, this.ref(lineNo), text, path, r.ip || undefined);
  }

  /** Execution logs: a request's failure line comes before its `Method completed with status` line. */
  private readonly execFailures = new Map<string, GatewayClass & { ref: string; text: string; ms: number }>();
  private readonly execBackend = new Map<string, number>();
  private readonly execPaths = new Map<string, string>();

  private apigwExec(buf: Buffer, s: number, start: number, e: number, lineNo: number): void {
    const text = buf.toString('utf8', start, e);
    const line = parseExecLine(text);
    if (!line) {
      this.bad(lineNo, 'not an API Gateway execution-log line', buf, s, e);
      return;
    }
    this.accepted('apigw-execution');
    // The console's test output has no request id: its lines belong to the one request shown.
    const id = line.requestId ?? '(console)';
    const ms = line.requestId === null ? consoleTimeMs(text) : this.prefixMs(buf, s, start);
    const ev = classifyExecMessage(line.message);
    if (ev.kind === 'request') {
      if (this.execPaths.size < 100_000) this.execPaths.set(id, `${ev.method} ${ev.path}`);
    } else if (ev.kind === 'integration-status') {
      if (this.execBackend.size < 100_000) this.execBackend.set(id, ev.status);
    } else if (ev.kind === 'failure') {
      if (!this.execFailures.has(id) && this.execFailures.size < 100_000) this.execFailures.set(id, { cause: ev.cause, why: ev.why, ref: this.ref(lineNo), text, ms, ...(ev.alternatives ? { alternatives: ev.alternatives } : {}) });
    } else if (ev.kind === 'status') {
      const failure = this.execFailures.get(id);
      const backend = this.execBackend.get(id);
      const path = this.execPaths.get(id);
      this.execFailures.delete(id);
      this.execBackend.delete(id);
      this.execPaths.delete(id);
      const minute = this.request(ms);
      if (minute === false || ev.status < 500) return;
      if (!failure && ev.status !== 502) return;
      const c: GatewayClass = failure ?? (backend === 502
        ? { cause: 'target-generated-502', why: 'execution log: Received response. Status: 502 (the HTTP backend answered 502 itself)' }
        : { cause: 'unclassified', why: 'execution log: 502 with no failure line for the request (log level ERROR hides some; set INFO)' });
      const why = ev.status === 502 ? c.why : `${c.why} (answered ${ev.status})`;
      this.gatewayFailure(minute, backend === 502, { ...c, why }, failure?.ref ?? this.ref(lineNo), failure?.text ?? text, path);
    }
  }

  /** Failure lines whose status line the log does not hold (a filtered export): still failures. */
  private flushExec(): void {
    for (const f of this.execFailures.values()) {
      if (f.ms === f.ms && !this.a.inWindow(f.ms)) {
        this.a.outOfWindow++;
        continue;
      }
      const minute = f.ms === f.ms ? this.a.minuteFor(f.ms) : null;
      this.gatewayFailure(minute, false, { ...f, why: `${f.why} (its status line is not in the log)` }, f.ref, f.text);
    }
    this.execFailures.clear();
  }

  /** Request ids already counted as failed: a timeout shows in its own line and again in REPORT. */
  private readonly lambdaFailed = new Set<string>();

  private lambda(buf: Buffer, s: number, start: number, e: number, lineNo: number): void {
    const a = this.a;
    const text = buf.toString('utf8', start, e);
    const l = classifyLambdaLine(text);
    this.accepted('lambda');
    let ms = this.prefixMs(buf, s, start);
    // The runtimes' own lines start with their time and a tab.
    if (ms !== ms && /^\d{4}-\d{2}-\d{2}T[^\t]+\t/.test(text)) ms = Date.parse(text.slice(0, text.indexOf('\t')));
    // JSON format: `"time"` on platform events, `"timestamp"` on the runtime's records.
    if (ms !== ms && text.startsWith('{')) ms = Date.parse(/"(?:time|timestamp)"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? '');
    if (ms === ms && !a.inWindow(ms)) {
      a.outOfWindow++;
      return;
    }
    // One REPORT line per invocation: the requests.
    if (l.kind === 'report') {
      if (ms === ms) a.countRequest(ms);
      else a.requests++;
    }
    const f = lambdaFailure(l);
    if (!f) return;
    if (f.requestId) {
      if (this.lambdaFailed.has(f.requestId)) return;
      if (this.lambdaFailed.size < 100_000) this.lambdaFailed.add(f.requestId);
    }
    this.gatewayFailure(ms === ms ? a.minuteFor(ms) : null, false, { cause: 'lambda-error-or-timeout', why: f.why }, this.ref(lineNo), text);
  }

  /** The field order the file's `#Fields:` line gave (the documented order until one is read). */
  private cfIndex: CloudFrontFieldIndex = DEFAULT_INDEX;

  private cloudfront(buf: Buffer, s: number, e: number, lineNo: number): void {
    const a = this.a;
    const text = buf.toString('utf8', s, e);
    if (text.startsWith('#')) {
      const fields = parseFieldsHeader(text);
      if (fields) this.cfIndex = fieldIndex(fields);
      a.blank++;
      return;
    }
    const ix = this.cfIndex;
    const f = text.split('\t');
    if (ix.date < 0 || ix.time < 0 || ix.status < 0 || f.length < ix.count) {
      this.bad(lineNo, ix.status < 0 ? 'CloudFront log without sc-status in its #Fields' : 'too few fields (truncated line?)', buf, s, e);
      return;
    }
    const ms = Date.parse(`${f[ix.date]}T${f[ix.time]}Z`);
    const status = Number(f[ix.status]);
    if (ms !== ms || !(status >= 100 && status <= 599)) {
      this.bad(lineNo, ms !== ms ? 'bad date/time field' : 'bad sc-status', buf, s, e);
      return;
    }
    this.accepted('cloudfront');
    if (!a.inWindow(ms)) {
      a.outOfWindow++;
      return;
    }
    const minute = a.countRequest(ms);
    if (status !== 502) return;
    const detailed = ix.detailed >= 0 ? f[ix.detailed] : ix.result >= 0 ? f[ix.result] : '-';
    const c = classifyCloudFront502(detailed);
    a.count502++;
    // `Error` is the origin's own 502; every other kind CloudFront made itself.
    if (detailed !== 'Error') a.lb502++;
    minute[1]++;
    a.bumpKey(a.target502s, ix.host >= 0 ? f[ix.host] : '-');
    a.bumpKey(a.path502s, ix.path >= 0 ? f[ix.path] : '-');
    a.bumpKey(a.client502s, ix.client >= 0 ? f[ix.client] : '-');
    a.tally(c.cause, this.ref(lineNo), text, `cloudfront: ${c.why}`);
  }

  private nginx(buf: Buffer, s: number, e: number, lineNo: number): void {
    const a = this.a;
    const text = buf.toString('utf8', s, e);
    const p = parseNginxErrorLine(text);
    if (!p.ok) {
      // Continuation lines and startup notices are normal in error logs; only count them.
      this.bad(lineNo, p.reason, buf, s, e);
      return;
    }
    this.accepted('nginx-error');
    const r = p.record;
    const ms = parseIsoString(r.time);
    if (!a.inWindow(ms)) {
      a.outOfWindow++;
      return;
    }
    const c = classifyNginxMessage(r.message);
    a.nginxKinds.set(c.kind, (a.nginxKinds.get(c.kind) ?? 0) + 1);
    if (!c.is502 || c.cause === null) return;
    const minute = a.minuteFor(ms);
    a.count502++;
    a.lb502++;
    minute[1]++;
    const up = upstreamHost(r.upstream);
    a.bumpKey(a.target502s, up);
    a.bumpKey(a.path502s, r.request.split(' ')[1]?.split('?')[0] ?? '-');
    a.bumpKey(a.client502s, r.client);
    const method = /^[A-Z]+(?= )/.exec(r.request)?.[0] ?? '-';
    a.nginxMethods.set(method, (a.nginxMethods.get(method) ?? 0) + 1);
    const ref = this.ref(lineNo);
    if (c.cause !== 'burst-dependent') {
      a.tally(c.cause, ref, text, `nginx: ${c.kind} (${r.message.slice(0, 120)})`);
      return;
    }
    // Only the burst count per upstream decides nginx causes; the error log shows no requests.
    const slot = a.slot(this.node, up);
    const flags = PENDING_NGINX | (c.kind === 'reset' ? PENDING_DISPATCHED : 0);
    a.pending.push(slot, ms, ms, flags, this.fileIdx, lineNo, () => ref, text);
  }
}
