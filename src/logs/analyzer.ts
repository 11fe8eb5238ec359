/**
 * Accumulates parsed lines from any number of files (read in any order, even in parallel)
 * into bounded state, and turns it into a LogAnalysis at the end. The per-line hot path
 * lives in file-parser.ts; this class holds what is kept across files.
 */
import type { AccessRecord, LineRef, LogCause, LogCauseId, LogFormat, MalformedSample, SourceError } from './types.js';
import { ActivityBits, MinuteCounts } from './target-timeline.js';
import { classify502 } from './classify-line.js';
import { parseIsoString } from './iso-time.js';
import type { NginxKind } from './nginx-error.js';

export interface AnalyzerOptions {
  sinceMs?: number;
  untilMs?: number;
  /** N: a 502 "follows an idle gap" when the previous response on its target ended ≥ N s earlier. */
  idleGapSeconds?: number;
  /** The LB's idle timeout: connections idle longer than this are not reused, so no race. */
  lbIdleTimeoutSeconds?: number;
  top?: number;
  /** Target group ARNs known to use HTTPS; when absent, targets on port 443/8443 are assumed HTTPS. */
  httpsTargetGroups?: string[];
  /** Keep only lines of this load balancer (name, `app/name/id`, or a substring of it). */
  lb?: string;
}

export interface TargetStats {
  id: number;
  key: string;
  requests: number;
  /** Requests the target answered with any status: it was reachable. */
  responded: number;
  lastResponseMs: number;
  /** Latest log time of any request on it: deregistration needs the traffic to have ended. */
  lastSeenMs: number;
  minutes: MinuteCounts;
}

/** One (ALB node, target) pair: each ALB node keeps its own connection pool. */
export interface TargetSlot {
  stats: TargetStats;
  bits: ActivityBits;
}

export interface Tally {
  count: number;
  refs: LineRef[];
  examples: { ref: LineRef; line: string }[];
  whys: Map<string, number>;
  alternatives?: LogCauseId[];
}

/**
 * Connection-closed 502s waiting for the traffic around them; columnar, with evidence as
 * (file index, line) so a big outage stays within memory. Past CAP, each target only
 * counts its extra 502s; they take the cause most of its kept ones got.
 */
export class PendingStore {
  static CAP = 250_000;
  n = 0;
  slot: TargetSlot[] = [];
  reqMs: number[] = [];
  endMs: number[] = [];
  flags: number[] = [];
  /** Seconds the target held a dispatched request (target_processing_time), else 0. */
  held: number[] = [];
  file: number[] = [];
  line: number[] = [];
  text = new Map<number, string>();
  /** Per target past CAP: how many, some evidence, and per minute (bursts still need them). */
  overflow = new Map<TargetStats, { count: number; refs: LineRef[]; minutes: Map<number, number> }>();

  push(slot: TargetSlot, reqMs: number, endMs: number, flags: number, file: number, lineNo: number, ref: () => LineRef, line: string | null, held = 0): void {
    if (this.n >= PendingStore.CAP) {
      const o = this.overflow.get(slot.stats) ?? { count: 0, refs: [], minutes: new Map<number, number>() };
      o.count++;
      const m = Math.floor(reqMs / 60000);
      o.minutes.set(m, (o.minutes.get(m) ?? 0) + 1);
      if (o.refs.length < MAX_REFS) o.refs.push(ref());
      this.overflow.set(slot.stats, o);
      return;
    }
    const i = this.n++;
    this.slot.push(slot);
    this.reqMs.push(reqMs);
    this.endMs.push(endMs);
    this.flags.push(flags);
    this.held.push(held);
    this.file.push(file);
    this.line.push(lineNo);
    if (line !== null && this.text.size < 400) this.text.set(i, line);
  }

  get total(): number {
    let n = this.n;
    for (const o of this.overflow.values()) n += o.count;
    return n;
  }
}

export const PENDING_DISPATCHED = 1;
export const PENDING_HTTPS = 2;
export const PENDING_HTTPS_KNOWN = 4;
/** nginx: decided by bursts per upstream, never by deregistration or idle gaps. */
export const PENDING_NGINX = 8;
/** The target held the dispatched request ≥ HELD_SECONDS before closing: not a reuse race. */
export const PENDING_HELD = 16;
export const HELD_SECONDS = 1;

const MAX_KEYS = 20_000;
export const MAX_SAMPLES = 20;
export const MAX_REFS = 20;
export const MAX_EXAMPLES = 3;
const MAX_WHYS = 50;

function bump(map: Map<string, number>, key: string, by = 1): void {
  const v = map.get(key);
  if (v !== undefined) map.set(key, v + by);
  else if (map.size < MAX_KEYS) map.set(key, by);
  else map.set('(other)', (map.get('(other)') ?? 0) + by);
}

export class AnalyzerState {
  readonly opts: Required<Pick<AnalyzerOptions, 'idleGapSeconds' | 'lbIdleTimeoutSeconds' | 'top'>> & AnalyzerOptions;
  readonly https: Set<string> | null;

  formats = new Set<LogFormat>();
  files = 0;
  bytes = 0;
  errors: SourceError[] = [];
  partial = false;

  lines = 0;
  blank = 0;
  outOfWindow = 0;
  malformed = 0;
  malformedByReason = new Map<string, number>();
  malformedSamples: MalformedSample[] = [];

  requests = 0;
  count502 = 0;
  lb502 = 0;
  target502 = 0;
  firstMs = Infinity;
  lastMs = -Infinity;
  /** minute → [requests, 502s] */
  minutes = new Map<number, [number, number]>();

  targets = new Map<string, TargetStats>();
  slots = new Map<string, TargetSlot>();
  target502s = new Map<string, number>();
  group502s = new Map<string, number>();
  path502s = new Map<string, number>();
  client502s = new Map<string, number>();
  tallies = new Map<LogCause, Tally>();
  pending = new PendingStore();
  nginxKinds = new Map<NginxKind, number>();
  /** nginx upstream failures that make a 502, by request method (nginx retries some methods, not others). */
  nginxMethods = new Map<string, number>();

  constructor(opts: AnalyzerOptions = {}) {
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as AnalyzerOptions;
    this.opts = { idleGapSeconds: 2, lbIdleTimeoutSeconds: 60, top: 10, ...given };
    this.https = opts.httpsTargetGroups ? new Set(opts.httpsTargetGroups) : null;
  }

  inWindow(ms: number): boolean {
    const { sinceMs, untilMs } = this.opts;
    return !((sinceMs !== undefined && ms < sinceMs) || (untilMs !== undefined && ms >= untilMs));
  }

  addMalformed(file: string, lineNo: number, reason: string, text: string): void {
    this.malformed++;
    this.malformedByReason.set(reason, (this.malformedByReason.get(reason) ?? 0) + 1);
    if (this.malformedSamples.length < MAX_SAMPLES) {
      this.malformedSamples.push({ ref: `${file}:${lineNo}`, reason, text: text.slice(0, 200) });
    }
  }

  addError(err: SourceError): void {
    this.errors.push(err);
    this.partial = true;
  }

  /** An in-window request line (any status): counted, with its minute's [requests, 502s] returned. */
  countRequest(ms: number): [number, number] {
    this.requests++;
    const minute = this.minuteFor(ms);
    minute[0]++;
    return minute;
  }

  /** The minute's [requests, 502s] of an in-window line (nginx error lines count no requests). */
  minuteFor(ms: number): [number, number] {
    const m = Math.floor(ms / 60000);
    let c = this.minutes.get(m);
    if (!c) {
      c = [0, 0];
      this.minutes.set(m, c);
    }
    if (ms < this.firstMs) this.firstMs = ms;
    if (ms > this.lastMs) this.lastMs = ms;
    return c;
  }

  target(key: string): TargetStats {
    let t = this.targets.get(key);
    if (!t) {
      t = { id: this.targets.size, key, requests: 0, responded: 0, lastResponseMs: -Infinity, lastSeenMs: -Infinity, minutes: new MinuteCounts() };
      this.targets.set(key, t);
    }
    return t;
  }

  /** Per ALB node: target bytes' hash → its slot, for the file parsers (see LogFileParser.slotFor). */
  private readonly slotCaches = new Map<string, Map<number, { bytes: Buffer; slot: TargetSlot }>>();

  slotCache(node: string): Map<number, { bytes: Buffer; slot: TargetSlot }> {
    let c = this.slotCaches.get(node);
    if (!c) {
      c = new Map();
      this.slotCaches.set(node, c);
    }
    return c;
  }

  slot(node: string, key: string): TargetSlot {
    const k = `${node}|${key}`;
    let s = this.slots.get(k);
    if (!s) {
      s = { stats: this.target(key), bits: new ActivityBits() };
      this.slots.set(k, s);
    }
    return s;
  }

  tally(cause: LogCause, ref: LineRef, line: string | null, why: string, alternatives?: LogCauseId[]): void {
    let t = this.tallies.get(cause);
    if (!t) {
      t = { count: 0, refs: [], examples: [], whys: new Map(), alternatives };
      this.tallies.set(cause, t);
    } else if (alternatives) {
      // Lines of one cause can name different alternatives; keep them all.
      const merged = new Set([...(t.alternatives ?? []), ...alternatives]);
      if (merged.size !== (t.alternatives?.length ?? 0)) t.alternatives = [...merged];
    }
    t.count++;
    if (t.refs.length < MAX_REFS) t.refs.push(ref);
    if (line !== null && t.examples.length < MAX_EXAMPLES) t.examples.push({ ref, line });
    if (t.whys.size < MAX_WHYS || t.whys.has(why)) t.whys.set(why, (t.whys.get(why) ?? 0) + 1);
  }

  isHttps(r: AccessRecord): { https: boolean; known: boolean } {
    if (this.https) return { https: this.https.has(r.targetGroupArn), known: true };
    const port = r.target.slice(r.target.lastIndexOf(':') + 1);
    return { https: port === '443' || port === '8443', known: false };
  }

  /** A fully parsed in-window 502 line. `slot` is its (node, target) record, if it has a target. */
  /** Evidence names are kept once; pending 502s refer to them by index. */
  fileNames: string[] = [];

  fileIndex(name: string): number {
    this.fileNames.push(name);
    return this.fileNames.length - 1;
  }

  record502(r: AccessRecord, fileIdx: number, lineNo: number, line: string, slot: TargetSlot | null, timeMs: number, minute: [number, number]): void {
    const ref = `${this.fileNames[fileIdx]}:${lineNo}`;
    this.count502++;
    minute[1]++;
    if (r.targetStatusCode === null) this.lb502++;
    else this.target502++;
    bump(this.target502s, r.target);
    bump(this.group502s, r.targetGroupArn);
    bump(this.path502s, r.path);
    bump(this.client502s, r.client.replace(/:\d+$/, ''));
    const first = classify502(r);
    if (first.kind === 'final') {
      this.tally(first.cause, ref, line, first.why, first.alternatives);
      return;
    }
    if (!slot) {
      this.tally('unclassified', ref, line, 'connection closed, but no target recorded');
      return;
    }
    const created = r.requestCreationTime ? parseIsoString(r.requestCreationTime) : NaN;
    // CLB `time` is the request time already; ALB's is when the response ended.
    const reqMs = Number.isFinite(created) ? created : timeMs;
    const { https, known } = this.isHttps(r);
    const flags = (first.dispatched ? PENDING_DISPATCHED : 0) | (first.heldSeconds >= HELD_SECONDS ? PENDING_HELD : 0) |
      (https ? PENDING_HTTPS : 0) | (known ? PENDING_HTTPS_KNOWN : 0);
    this.pending.push(slot, reqMs, timeMs, flags, fileIdx, lineNo, () => ref, line, first.heldSeconds);
  }

  breakdown(map: Map<string, number>, limit: number): { key: string; count502: number }[] {
    return [...map.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([key, count502]) => ({ key, count502 }));
  }

  bumpKey(map: Map<string, number>, key: string, by = 1): void {
    bump(map, key, by);
  }

  /** Adds a tally counted elsewhere (a worker thread), with the same caps as tally(). */
  mergeTally(cause: LogCause, other: Tally): void {
    let t = this.tallies.get(cause);
    if (!t) {
      t = { count: 0, refs: [], examples: [], whys: new Map(), alternatives: other.alternatives };
      this.tallies.set(cause, t);
    } else if (other.alternatives) {
      t.alternatives = [...new Set([...(t.alternatives ?? []), ...other.alternatives])];
    }
    t.count += other.count;
    for (const r of other.refs) if (t.refs.length < MAX_REFS) t.refs.push(r);
    for (const x of other.examples) if (t.examples.length < MAX_EXAMPLES) t.examples.push(x);
    for (const [why, n] of other.whys) if (t.whys.size < MAX_WHYS || t.whys.has(why)) t.whys.set(why, (t.whys.get(why) ?? 0) + n);
  }
}
