/**
 * Accumulates parsed lines from any number of files (read in any order, even in parallel)
 * into bounded state, and turns it into a LogAnalysis at the end. The per-line hot path
 * lives in file-parser.ts; this class holds what is kept across files.
 */
import type { AccessRecord, LineRef, LogCause, LogCauseId, LogFormat, MalformedSample, SourceError } from './types.js';
import { ActivityBits, HistoryMeter, MinuteCounts } from './target-timeline.js';
import { emptyCompaction, HEADROOM_BYTES, HISTORY_BUDGET_BYTES, HORIZON_MS, HOUR_MS, LOW_WATER, MAX_SLOTS, SLOT_BYTES, targetBytes, TIGHT_HORIZON_MS } from './history-budget.js';
import { classify502 } from './classify-line.js';
import { DistinctCount } from './distinct-count.js';
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
  /** Bytes the per-target history may hold (marks, minute counts, summaries); HISTORY_BUDGET_BYTES by default. */
  historyBudgetBytes?: number;
  /** K: (ALB node, target) records kept; past it the least active ones are spilled. MAX_SLOTS by default. */
  maxSlots?: number;
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
  /** Connection-closed 502s on it waiting for the end: such records are never spilled. */
  pending: number;
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
  /**
   * What a 502 needs from history that was folded away, taken just before: the idle gap
   * before it and its target's requests in minutes m-1, m, m+1. NaN: read the live history.
   */
  gap: number[] = [];
  minutes: [number[], number[], number[]] = [[], [], []];
  /** 502s pushed for hours already folded (their history is gone): approximate. */
  late = 0;
  foldedBeforeMs = -Infinity;
  /** Per target past CAP: how many, some evidence, and per minute (bursts still need them). */
  overflow = new Map<TargetStats, { count: number; refs: LineRef[]; minutes: Map<number, number> }>();

  push(slot: TargetSlot, reqMs: number, endMs: number, flags: number, file: number, lineNo: number, ref: () => LineRef, line: string | null, held = 0, resolved?: ArrayLike<number>): void {
    slot.pending++;
    if (reqMs < this.foldedBeforeMs && !resolved) this.late++;
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
    this.gap.push(resolved ? resolved[0] : NaN);
    for (let d = 0; d < 3; d++) this.minutes[d].push(resolved ? resolved[d + 1] : NaN);
    if (line !== null && this.text.size < 400) this.text.set(i, line);
  }

  /** The idle gap before 502 `i`: kept from before its hour was folded, else from the marks. */
  gapBefore(i: number): number {
    const g = this.gap[i];
    return g === g ? g : this.slot[i].bits.gapBefore(this.reqMs[i]);
  }

  /** Its target's requests in the minute `d` (-1, 0, 1) from the 502's. */
  minuteTotal(i: number, d: number): number {
    const c = this.minutes[d + 1][i];
    return c === c ? c : this.slot[i].stats.minutes.at(Math.floor(this.reqMs[i] / 60000) + d);
  }

  /** Keeps what pending 502s before `limitMs` need from history about to be folded. */
  resolveBefore(limitMs: number): void {
    for (let i = 0; i < this.n; i++) {
      const req = this.reqMs[i];
      if (req - 60_000 >= limitMs) continue;
      if (this.gap[i] !== this.gap[i] && req < limitMs) this.gap[i] = this.slot[i].bits.gapBefore(req);
      const m = Math.floor(req / 60000);
      for (let d = -1; d <= 1; d++) {
        const col = this.minutes[d + 1];
        if (col[i] !== col[i] && (m + d + 1) * 60000 <= limitMs) col[i] = this.slot[i].stats.minutes.at(m + d);
      }
    }
    this.foldedBeforeMs = Math.max(this.foldedBeforeMs, limitMs);
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
  compaction = emptyCompaction();
  /** Every target key seen, spilled ones included: targetsSeen once the map has forgotten some. */
  targetSketch = new DistinctCount();

  /** This thread's history bytes; a worker's are counted again as its partial is merged. */
  readonly meter = new HistoryMeter();
  /** Compact when the meter passes this (below the budget by what one line can add). */
  private compactAt: number;
  /** Target ids stay unique when spilled targets leave the map. */
  private nextTargetId = 0;

  constructor(opts: AnalyzerOptions = {}) {
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as AnalyzerOptions;
    this.opts = { idleGapSeconds: 2, lbIdleTimeoutSeconds: 60, top: 10, ...given };
    this.https = opts.httpsTargetGroups ? new Set(opts.httpsTargetGroups) : null;
    this.compactAt = this.budget - HEADROOM_BYTES;
  }

  get budget(): number {
    return this.opts.historyBudgetBytes ?? HISTORY_BUDGET_BYTES;
  }

  private get maxSlots(): number {
    return this.opts.maxSlots ?? MAX_SLOTS;
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
    // Before the line touches any record, so compaction never pulls one from under it.
    if (this.meter.bytes > this.compactAt) this.compactHistory();
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
      t = { id: this.nextTargetId++, key, requests: 0, responded: 0, lastResponseMs: -Infinity, lastSeenMs: -Infinity, minutes: new MinuteCounts(this.meter) };
      this.targets.set(key, t);
      this.meter.bytes += targetBytes(key);
      this.targetSketch.add(key);
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
      s = { stats: this.target(key), bits: new ActivityBits(this.meter), pending: 0 };
      this.slots.set(k, s);
      this.meter.bytes += SLOT_BYTES;
      // Past K, spill before the next line (not now: the caller is about to use this one).
      if (this.slots.size > this.maxSlots) this.compactAt = -1;
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

  /**
   * Brings the history back under the budget, giving up as little as it can: first hours
   * that ended 2 h before the newest line (exact for logs read in time order: pending 502s
   * keep what they need from them), then those that ended 10 minutes before it, then the
   * least active records with no pending 502 (into one shared summary), last every hour.
   */
  compactHistory(): void {
    const c = this.compaction;
    c.peakBytes = Math.max(c.peakBytes, this.meter.bytes);
    const low = this.budget * LOW_WATER;
    const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS);
    const newest = this.lastMs;
    const timed = Number.isFinite(newest);
    // Past K alone (bytes within the budget), only records go.
    if (timed && this.meter.bytes > low) this.foldBefore(hourOf(newest - HORIZON_MS));
    if (timed && this.meter.bytes > low && this.foldBefore(hourOf(newest - TIGHT_HORIZON_MS))) c.tight = true;
    if (this.meter.bytes > low || this.slots.size > this.maxSlots) this.spillSlots(low);
    // Every record left has pending 502s: K cannot hold.
    if (this.slots.size > this.maxSlots) c.overBudget = true;
    if (timed && this.meter.bytes > low && this.foldBefore(hourOf(newest) + 1)) c.tight = true;
    // What is left is records with pending 502s: past the budget, try again only after more growth.
    const over = this.meter.bytes > this.budget - HEADROOM_BYTES;
    if (over) c.overBudget = true;
    this.compactAt = over ? this.meter.bytes + this.budget / 8 : this.budget - HEADROOM_BYTES;
  }

  /** After a worker's partial is merged: its history counts here now. */
  keepWithinBudget(): void {
    if (this.meter.bytes > this.compactAt) this.compactHistory();
  }

  /** The most history bytes held at any check, for tests and the notes. */
  get peakHistoryBytes(): number {
    return Math.max(this.compaction.peakBytes, this.meter.bytes);
  }

  /** Distinct targets: exact while none was spilled, then estimated (never fewer than are held). */
  get targetsSeen(): number {
    return this.compaction.spilledTargets === 0 ? this.targets.size : Math.max(this.targets.size, this.targetSketch.estimate);
  }

  /** The history bytes counted from scratch: what the meter must agree with (tests). */
  recountHistoryBytes(): number {
    let n = 0;
    for (const slot of this.slots.values()) n += SLOT_BYTES + slot.bits.accountedBytes;
    for (const [key, t] of this.targets) n += targetBytes(key) + t.minutes.storedBytes;
    return n;
  }

  /** Before a worker's partial folded up to `hour` is merged. */
  foldHistoryBefore(hour: number): void {
    this.foldBefore(hour);
  }

  /** Folds every record's hours before `hour`; false when they were folded already. */
  private foldBefore(hour: number): boolean {
    if (hour <= this.compaction.foldedBeforeHour) return false;
    this.pending.resolveBefore(hour * HOUR_MS);
    const { idleGapSeconds: n, lbIdleTimeoutSeconds: idle } = this.opts;
    for (const slot of this.slots.values()) slot.bits.foldBefore(hour, n, idle);
    for (const t of this.targets.values()) t.minutes.dropBefore(hour);
    this.compaction.foldedBeforeHour = hour;
    return true;
  }

  /**
   * Folds the least active records with no pending 502 (targets with 502s of any kind
   * last) into the shared summary until the history is under `low` bytes and K records.
   */
  private spillSlots(low: number): void {
    const c = this.compaction;
    const { idleGapSeconds: n, lbIdleTimeoutSeconds: idle } = this.opts;
    const keep = Math.floor(this.maxSlots * 0.9);
    const candidates = [...this.slots].filter(([, s]) => s.pending === 0);
    // Least recently seen hour first, so targets scaled in go before new busy ones (many
    // old marks must not keep a dead target); within an hour, fewest responses first.
    const tier = (s: TargetSlot): number => (this.target502s.has(s.stats.key) ? 1 : 0);
    const hour = (s: TargetSlot): number => Math.floor(s.stats.lastSeenMs / HOUR_MS);
    candidates.sort(([, x], [, y]) => tier(x) - tier(y) || hour(x) - hour(y) || x.bits.marks - y.bits.marks);
    for (const [k, slot] of candidates) {
      if (this.meter.bytes <= low && this.slots.size <= keep) break;
      // Folding gives back the marks' bytes; what is left is the summary and the record.
      const folded = slot.bits.foldAll(n, idle);
      this.meter.bytes -= slot.bits.accountedBytes + SLOT_BYTES;
      c.other.responses += slot.bits.marks;
      for (let i = 0; i < folded.gapsOk.length; i++) c.other.gapsOk[i] += folded.gapsOk[i];
      c.other.okAfterGap += folded.okAfterGap;
      c.other.okShortGap += folded.okShortGap;
      this.slots.delete(k);
      c.spilledSlots++;
    }
    const held = new Set<TargetStats>();
    for (const s of this.slots.values()) held.add(s.stats);
    for (const st of this.pending.overflow.keys()) held.add(st);
    for (const [key, t] of this.targets) {
      if (held.has(t)) continue;
      c.other.requests += t.requests;
      this.meter.bytes -= targetBytes(key) + t.minutes.storedBytes;
      this.targets.delete(key);
      c.spilledTargets++;
    }
    // The parsers' caches point at records that may be gone: they look them up again.
    for (const cache of this.slotCaches.values()) cache.clear();
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
