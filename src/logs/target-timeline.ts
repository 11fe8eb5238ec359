/**
 * Bounded-memory activity records per target: the seconds in which a target finished a
 * response (for idle gaps) and per-minute request counts (for bursts). Quiet hours cost 4
 * bytes a marked second, busy hours at most a 450-byte bitmap, so many targets × many hours
 * stay small.
 */

const HOUR_MS = 3_600_000;

/** Gap histogram edges (s) of the keep-alive signature: [<1, 1–2, 2–5, 5–10, 10–30, 30–60, ≥60]. */
export const GAP_EDGES = [1, 2, 5, 10, 30, 60];

export function gapBucket(gap: number): number {
  let i = 0;
  while (i < GAP_EDGES.length && gap >= GAP_EDGES[i]) i++;
  return i;
}

/** Bytes counted for one hour of minute counts (60 × Uint32). */
export const MINUTE_HOUR_BYTES = 240;
/** Bytes counted for a record's folded-gap summary, once it has one. */
export const FOLDED_BYTES = 96;

/**
 * The bytes of history held by one analyzer, kept up to date where history grows or is
 * dropped (new sparse second, new bitmap, new hour of counts), never per line.
 */
/** What makes an ordinary gap count as idle (N s ≤ gap ≤ the LB idle timeout) or short. */
export interface GapRule {
  idleGap: number;
  idle: number;
}

export class HistoryMeter {
  bytes = 0;
  /** Lines that landed in an hour already folded away (input out of time order). */
  late = 0;
}

/**
 * The baseline of ordinary gaps of hours folded away: what forEachGap gave for them, kept
 * as the keep-alive baseline needs it (N and the idle timeout are known from the start).
 */
export class FoldedGaps {
  readonly gapsOk = new Array<number>(GAP_EDGES.length + 1).fill(0);
  okAfterGap = 0;
  okShortGap = 0;
  /** Distinct marked seconds folded (marks beyond them were in an already-marked second). */
  seconds = 0;
  firstSec = -Infinity;
  /** The last folded second: the first live gap is measured from it. */
  lastSec = -Infinity;
  /** The first gap was measured from nothing (Infinity): a worker that did not see the marks before its share. */
  openStart = true;

  addGap(gap: number, n: number, idle: number): void {
    this.seconds++;
    this.gapsOk[gapBucket(gap)]++;
    if (gap >= n && gap <= idle) this.okAfterGap++;
    else if (gap < n) this.okShortGap++;
  }

  /** Adds another record's folded gaps (another node's record, or a spilled one). */
  addAll(o: FoldedGaps): void {
    for (let i = 0; i < this.gapsOk.length; i++) this.gapsOk[i] += o.gapsOk[i];
    this.okAfterGap += o.okAfterGap;
    this.okShortGap += o.okShortGap;
    this.seconds += o.seconds;
    if (this.firstSec === -Infinity || o.firstSec < this.firstSec) this.firstSec = o.firstSec;
    this.lastSec = Math.max(this.lastSec, o.lastSec);
  }

  /**
   * Adds the folded gaps of a record's later marks (the next worker's share), measuring
   * their first gap from this one's last second as a single thread would have.
   */
  appendLater(theirs: FoldedGaps, rule: GapRule, lookback = 3600): void {
    if (theirs.openStart && this.lastSec > -Infinity && theirs.firstSec >= this.lastSec) {
      theirs.gapsOk[GAP_EDGES.length]--;
      theirs.seconds--;
      const gap = theirs.firstSec - this.lastSec;
      // The same second seen by both threads is one second with two marks.
      if (gap > 0) theirs.addGap(gap > lookback ? Infinity : gap, rule.idleGap, rule.idle);
      theirs.openStart = false;
    }
    const open = this.openStart;
    this.addAll(theirs);
    this.openStart = open;
  }

  pack(w: PackWriter): void {
    w.int(this.openStart ? 1 : 0);
    for (const n of this.gapsOk) w.int(n);
    w.int(this.okAfterGap);
    w.int(this.okShortGap);
    w.int(this.seconds);
    w.int(this.firstSec);
    w.int(this.lastSec);
  }

  static unpack(r: PackReader): FoldedGaps {
    const f = new FoldedGaps();
    f.openStart = r.int() === 1;
    for (let i = 0; i < f.gapsOk.length; i++) f.gapsOk[i] = r.int();
    f.okAfterGap = r.int();
    f.okShortGap = r.int();
    f.seconds = r.int();
    f.firstSec = r.int();
    f.lastSec = r.int();
    return f;
  }
}

/**
 * Past this many distinct seconds in one hour, the hour becomes a 3,600-bit map. Most
 * (ALB node, target) pairs are quiet in most hours (each node sees a share of the traffic).
 */
const SPARSE_MAX = 32;

/** Latest set bit ≤ `off` in an hour's bitmap, or -1. */
function latestBit(h: Uint8Array, off: number): number {
  let o = off;
  while (o >= 0) {
    const byte = h[o >> 3];
    if (byte === 0) {
      o = (o & ~7) - 1;
      continue;
    }
    if ((byte & (1 << (o & 7))) !== 0) return o;
    o--;
  }
  return -1;
}

/**
 * Seconds in which a target completed a response: quiet hours' seconds in one sorted array
 * (epoch seconds; one array per record instead of one per hour), busy hours as bitmaps.
 */
export class ActivityBits {
  private sparse = new Int32Array(4);
  private n = 0;
  private readonly dense = new Map<number, Uint8Array>();
  /** The hour of the last insert and how many sparse seconds it has. */
  private countHour = -1;
  private count = 0;
  /** Number of marks; a second may be marked more than once. */
  marks = 0;
  /** Hours before this one were folded into `folded`. */
  private foldedHour = -Infinity;
  folded: FoldedGaps | null = null;

  constructor(private readonly meter: HistoryMeter = new HistoryMeter()) {}

  mark(ms: number): void {
    this.marks++;
    this.add(Math.floor(ms / 1000));
  }

  private add(sec: number): void {
    const hour = Math.floor(sec / 3600);
    const bits = this.dense.get(hour);
    if (bits !== undefined) {
      const off = sec - hour * 3600;
      bits[off >> 3] |= 1 << (off & 7);
      return;
    }
    if (!this.insert(sec)) return;
    this.meter.bytes += 4;
    if (hour < this.foldedHour) this.meter.late++;
    if (hour === this.countHour) this.count++;
    else {
      this.countHour = hour;
      this.count = this.upper(hour * 3600 + 3599) - this.upper(hour * 3600 - 1);
    }
    if (this.count > SPARSE_MAX) this.densify(hour);
  }

  /** Index after the last second ≤ `sec`. */
  private upper(sec: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sparse[mid] <= sec) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts in order; false when the second was there. Logs come in time order: nearly always an append. */
  private insert(sec: number): boolean {
    const n = this.n;
    let at = n;
    if (n > 0 && this.sparse[n - 1] >= sec) {
      at = this.upper(sec);
      if (at > 0 && this.sparse[at - 1] === sec) return false;
    }
    if (n === this.sparse.length) {
      const bigger = new Int32Array(n * 2);
      bigger.set(this.sparse);
      this.sparse = bigger;
    }
    if (at < n) this.sparse.copyWithin(at + 1, at, n);
    this.sparse[at] = sec;
    this.n++;
    return true;
  }

  /** Moves an hour's sparse seconds into a bitmap. */
  private densify(hour: number): void {
    const lo = this.upper(hour * 3600 - 1);
    const hi = this.upper(hour * 3600 + 3599);
    const bits = new Uint8Array(450);
    for (let i = lo; i < hi; i++) {
      const off = this.sparse[i] - hour * 3600;
      bits[off >> 3] |= 1 << (off & 7);
    }
    this.sparse.copyWithin(lo, hi, this.n);
    this.n -= hi - lo;
    this.dense.set(hour, bits);
    this.meter.bytes += 450 - 4 * (hi - lo);
    this.countHour = -1;
  }

  /**
   * Folds the marked seconds of hours before `hour` into the gap baseline (gaps measured
   * as forEachGap measures them, from the last folded second on) and drops them.
   */
  foldBefore(hour: number, idleGap: number, idle: number, lookback = 3600): void {
    const limit = hour * 3600;
    const hours = [...this.dense.keys()].filter((h) => h < hour).sort((a, b) => a - b);
    const end = this.upper(limit - 1);
    if (hours.length === 0 && end === 0) {
      this.foldedHour = Math.max(this.foldedHour, hour);
      return;
    }
    if (this.folded === null) {
      this.folded = new FoldedGaps();
      this.meter.bytes += FOLDED_BYTES;
    }
    const f = this.folded;
    const add = (sec: number): void => {
      // A second at or before the last folded one came late (out of time order): no gap to measure.
      const gap = sec <= f.lastSec ? 0 : sec - f.lastSec;
      f.addGap(gap > lookback ? Infinity : gap, idleGap, idle);
      if (f.firstSec === -Infinity) f.firstSec = sec;
      if (sec > f.lastSec) f.lastSec = sec;
    };
    let i = 0;
    for (const h of hours) {
      for (; i < end && this.sparse[i] < h * 3600; i++) add(this.sparse[i]);
      const bits = this.dense.get(h) as Uint8Array;
      for (let k = 0; k < 450; k++) {
        for (let byte = bits[k]; byte !== 0; byte &= byte - 1) add(h * 3600 + k * 8 + (31 - Math.clz32(byte & -byte)));
      }
      this.dense.delete(h);
    }
    for (; i < end; i++) add(this.sparse[i]);
    this.sparse.copyWithin(0, end, this.n);
    this.n -= end;
    this.meter.bytes -= 4 * end + 450 * hours.length;
    if (this.sparse.length > 16 && this.n < this.sparse.length / 4) this.sparse = this.sparse.slice(0, Math.max(4, this.n * 2));
    this.countHour = -1;
    this.foldedHour = Math.max(this.foldedHour, hour);
  }

  /** Everything folded: what a record leaves when it is spilled. */
  foldAll(idleGap: number, idle: number): FoldedGaps {
    const last = Math.max(this.n > 0 ? this.sparse[this.n - 1] : 0, ...[...this.dense.keys()].map((h) => h * 3600 + 3599));
    this.foldBefore(Math.floor(last / 3600) + 1, idleGap, idle);
    return this.folded ?? new FoldedGaps();
  }

  /** Bytes this record holds and accounts, summary included, to give back when it is dropped. */
  get accountedBytes(): number {
    return this.storedBytes + (this.folded ? FOLDED_BYTES : 0);
  }

  /** Appends the marks to a pack (to post from a worker thread as a few typed arrays). */
  pack(w: PackWriter): void {
    w.int(this.marks);
    w.int(this.folded ? 1 : 0);
    this.folded?.pack(w);
    w.int(Number.isFinite(this.foldedHour) ? this.foldedHour : -1);
    w.int(this.n);
    for (let i = 0; i < this.n; i++) w.int(this.sparse[i]);
    w.int(this.dense.size);
    for (const [hour, bits] of this.dense) {
      w.int(hour);
      w.int(w.bytes(bits));
    }
  }

  /** Adds marks read from a pack (the same node and target, read from other files). */
  /** `rule` joins folded gaps in time order (their share came after this one's); without it they are summed. */
  unpack(r: PackReader, rule?: GapRule): void {
    this.marks += r.int();
    if (r.int() === 1) {
      const theirs = FoldedGaps.unpack(r);
      if (this.folded === null) {
        this.folded = theirs;
        this.meter.bytes += FOLDED_BYTES;
      } else if (rule) this.folded.appendLater(theirs, rule);
      else this.folded.addAll(theirs);
    }
    this.foldedHour = Math.max(this.foldedHour, r.int());
    const secs: number[] = [];
    for (let k = r.int(); k > 0; k--) secs.push(r.int());
    for (let k = r.int(); k > 0; k--) {
      const hour = r.int();
      const theirs = r.bytes(r.int(), 450);
      if (!this.dense.has(hour)) this.densify(hour);
      const mine = this.dense.get(hour) as Uint8Array;
      for (let i = 0; i < 450; i++) mine[i] |= theirs[i];
    }
    // Shares are runs of files in time order, so these are mostly appends.
    for (const sec of secs) this.add(sec);
  }

  /** Bytes held by the marks, for memory tests and reports. */
  get storedBytes(): number {
    return this.n * 4 + this.dense.size * 450;
  }

  /**
   * Whole seconds between the latest marked second at or before `ms`'s second and it (0 when
   * a response ended in the same second); Infinity when none within `lookback` seconds.
   */
  gapBefore(ms: number, lookback = 3600): number {
    const sec = Math.floor(ms / 1000);
    const stop = sec - lookback;
    const i = this.upper(sec);
    let best = i > 0 ? this.sparse[i - 1] : -Infinity;
    for (let hour = Math.floor(sec / 3600); hour * 3600 + 3599 >= stop && hour * 3600 + 3599 > best; hour--) {
      const bits = this.dense.get(hour);
      if (bits === undefined) continue;
      const found = latestBit(bits, Math.min(3599, sec - hour * 3600));
      if (found >= 0) {
        best = Math.max(best, hour * 3600 + found);
        break;
      }
    }
    // Seconds folded away come before every live one (logs read in time order).
    const folded = this.folded?.lastSec ?? -Infinity;
    if (best === -Infinity && folded <= sec) best = folded;
    return best >= stop ? sec - best : Infinity;
  }

  /** Calls back with the gap before each marked second, in time order (baseline for ok requests). */
  forEachGap(lookback: number, cb: (gap: number) => void): void {
    // The first live gap follows the last folded second.
    let prev = this.folded?.lastSec ?? -Infinity;
    const hours = [...this.dense.keys()].sort((a, b) => a - b);
    let i = 0;
    for (const hour of hours) {
      const base = hour * 3600;
      for (; i < this.n && this.sparse[i] < base; i++) {
        const gap = this.sparse[i] - prev;
        cb(gap > lookback ? Infinity : gap);
        prev = this.sparse[i];
      }
      // Set bits lowest first (x & -x), with no callback per bit: busy targets have thousands of marked seconds an hour.
      const bits = this.dense.get(hour) as Uint8Array;
      for (let k = 0; k < 450; k++) {
        for (let byte = bits[k]; byte !== 0; byte &= byte - 1) {
          const sec = base + k * 8 + (31 - Math.clz32(byte & -byte));
          const gap = sec - prev;
          cb(gap > lookback ? Infinity : gap);
          prev = sec;
        }
      }
    }
    for (; i < this.n; i++) {
      const gap = this.sparse[i] - prev;
      cb(gap > lookback ? Infinity : gap);
      prev = this.sparse[i];
    }
  }
}

/**
 * An hour of minute counts, cut from a shared slab: 5,000 targets over a day are 120,000
 * hours, and an ArrayBuffer of its own for each cost more in bookkeeping than the counts.
 */
const SLAB_HOURS = 256;
let slab = new Uint32Array(0);
let slabNext = 0;

function newHourCounts(): Uint32Array {
  if (slabNext === slab.length) {
    slab = new Uint32Array(60 * SLAB_HOURS);
    slabNext = 0;
  }
  slabNext += 60;
  return slab.subarray(slabNext - 60, slabNext);
}

/** Requests per minute for one target. */
export class MinuteCounts {
  private readonly hours = new Map<number, Uint32Array>();
  private curHour = -1;
  private cur: Uint32Array | null = null;
  /** Hours before this one were dropped (what pending 502s needed from them was kept). */
  private droppedHour = -1;

  constructor(private readonly meter: HistoryMeter = new HistoryMeter()) {}

  add(ms: number): void {
    const hour = Math.floor(ms / HOUR_MS);
    if (hour !== this.curHour) {
      let c = this.hours.get(hour);
      if (!c) {
        c = this.newHour(hour);
        if (hour < this.droppedHour) this.meter.late++;
      }
      this.curHour = hour;
      this.cur = c;
    }
    (this.cur as Uint32Array)[Math.floor((ms - hour * HOUR_MS) / 60000)]++;
  }

  private newHour(hour: number): Uint32Array {
    const c = newHourCounts();
    this.hours.set(hour, c);
    this.meter.bytes += MINUTE_HOUR_BYTES;
    return c;
  }

  /** Drops the hours before `hour`. */
  dropBefore(hour: number): void {
    for (const h of this.hours.keys()) {
      if (h >= hour) continue;
      this.hours.delete(h);
      this.meter.bytes -= MINUTE_HOUR_BYTES;
    }
    if (this.curHour < hour) {
      this.curHour = -1;
      this.cur = null;
    }
    this.droppedHour = Math.max(this.droppedHour, hour);
  }

  get storedBytes(): number {
    return this.hours.size * MINUTE_HOUR_BYTES;
  }

  pack(w: PackWriter): void {
    w.int(this.droppedHour);
    w.int(this.hours.size);
    for (const [hour, c] of this.hours) {
      w.int(hour);
      w.counts(c);
    }
  }

  unpack(r: PackReader): void {
    this.droppedHour = Math.max(this.droppedHour, r.int());
    for (let n = r.int(); n > 0; n--) {
      const hour = r.int();
      const mine = this.hours.get(hour) ?? this.newHour(hour);
      r.addCounts(mine);
    }
    this.curHour = -1;
    this.cur = null;
  }

  at(minute: number): number {
    const hour = Math.floor(minute / 60);
    return this.hours.get(hour)?.[minute - hour * 60] ?? 0;
  }
}

/**
 * Many records' marks and counts written into three growing typed arrays: a worker posts
 * them without copying (they are transferred), where 100,000 small arrays would each be
 * serialised and rebuilt.
 */
export class PackWriter {
  private ints = new Int32Array(1 << 12);
  private nInts = 0;
  private u8 = new Uint8Array(1 << 12);
  private nU8 = 0;
  private u32 = new Uint32Array(1 << 12);
  private nU32 = 0;

  int(v: number): void {
    if (this.nInts === this.ints.length) this.ints = grow(this.ints, new Int32Array(this.ints.length * 2));
    this.ints[this.nInts++] = v;
  }

  /** Appends a bitmap; its offset. */
  bytes(b: Uint8Array): number {
    while (this.nU8 + b.length > this.u8.length) this.u8 = grow(this.u8, new Uint8Array(this.u8.length * 2));
    this.u8.set(b, this.nU8);
    this.nU8 += b.length;
    return this.nU8 - b.length;
  }

  counts(c: Uint32Array): void {
    while (this.nU32 + 60 > this.u32.length) this.u32 = grow(this.u32, new Uint32Array(this.u32.length * 2));
    this.u32.set(c, this.nU32);
    this.nU32 += 60;
  }

  finish(): Packed {
    return { ints: this.ints.slice(0, this.nInts), u8: this.u8.slice(0, this.nU8), u32: this.u32.slice(0, this.nU32) };
  }
}

export interface Packed {
  ints: Int32Array;
  u8: Uint8Array;
  u32: Uint32Array;
}

function grow<T extends Int32Array | Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export class PackReader {
  private i = 0;
  private c = 0;

  constructor(private readonly p: Packed) {}

  int(): number {
    return this.p.ints[this.i++];
  }

  bytes(offset: number, length: number): Uint8Array {
    return this.p.u8.slice(offset, offset + length);
  }

  addCounts(into: Uint32Array): void {
    const u = this.p.u32;
    for (let i = 0; i < 60; i++) into[i] += u[this.c + i];
    this.c += 60;
  }
}
