/**
 * Bounded-memory activity records per target, bucketed by hour: the seconds in which a
 * target finished a response (for idle gaps) and per-minute request counts (for bursts).
 * An hour of marks costs at most ~450 bytes per (ALB node, target), and only a few dozen
 * bytes while it has few responses, so many targets × many hours stay small.
 */

const HOUR_MS = 3_600_000;

/**
 * Seconds of one hour: a sorted list while few are marked, a 3,600-bit map once more are.
 * Most (ALB node, target) pairs are quiet in most hours (each node sees a share of the
 * traffic), so the list keeps many targets × many hours small; busy hours cost 450 bytes.
 */
export type HourMarks = number[] | Uint8Array;

/** Past this many distinct seconds a list costs more than the bitmap. */
const SPARSE_MAX = 32;

function toBitmap(list: number[]): Uint8Array {
  const bits = new Uint8Array(450);
  for (const s of list) bits[s >> 3] |= 1 << (s & 7);
  return bits;
}

/** Inserts `s` into a sorted list; false when it was already there. Logs come in time order, so this is almost always a push. */
function insertSorted(list: number[], s: number): boolean {
  let i = list.length;
  while (i > 0 && list[i - 1] > s) i--;
  if (i > 0 && list[i - 1] === s) return false;
  if (i === list.length) list.push(s);
  else list.splice(i, 0, s);
  return true;
}

/** Latest marked second ≤ `off` in one hour, or -1. */
function latestAtOrBefore(h: HourMarks, off: number): number {
  if (Array.isArray(h)) {
    for (let i = h.length - 1; i >= 0; i--) if (h[i] <= off) return h[i];
    return -1;
  }
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

/** Marked seconds of one hour in order. */
function forEachSecond(h: HourMarks, cb: (off: number) => void): void {
  if (Array.isArray(h)) {
    for (const s of h) cb(s);
    return;
  }
  for (let i = 0; i < 450; i++) {
    const byte = h[i];
    if (byte === 0) continue;
    for (let b = 0; b < 8; b++) if ((byte & (1 << b)) !== 0) cb(i * 8 + b);
  }
}

function unionMarks(a: HourMarks, b: HourMarks): HourMarks {
  if (Array.isArray(a) && Array.isArray(b)) {
    const merged = [...new Set([...a, ...b])].sort((x, y) => x - y);
    return merged.length > SPARSE_MAX ? toBitmap(merged) : merged;
  }
  const bits = Array.isArray(a) ? toBitmap(a) : Uint8Array.from(a);
  if (Array.isArray(b)) for (const s of b) bits[s >> 3] |= 1 << (s & 7);
  else for (let i = 0; i < bits.length; i++) bits[i] |= b[i];
  return bits;
}

/** Seconds in which a target completed a response. */
export class ActivityBits {
  private readonly hours = new Map<number, HourMarks>();
  private curHour = -1;
  private cur: HourMarks | null = null;
  /** Number of marks; a second may be marked more than once. */
  marks = 0;

  mark(ms: number): void {
    const hour = Math.floor(ms / HOUR_MS);
    if (hour !== this.curHour) {
      let h = this.hours.get(hour);
      if (!h) {
        h = [];
        this.hours.set(hour, h);
      }
      this.curHour = hour;
      this.cur = h;
    }
    const sec = Math.floor((ms - hour * HOUR_MS) / 1000);
    const h = this.cur as HourMarks;
    this.marks++;
    if (!Array.isArray(h)) {
      h[sec >> 3] |= 1 << (sec & 7);
      return;
    }
    if (insertSorted(h, sec) && h.length > SPARSE_MAX) {
      const bits = toBitmap(h);
      this.hours.set(hour, bits);
      this.cur = bits;
    }
  }

  /** Appends the marks to a pack (to post from a worker thread as a few typed arrays). */
  pack(w: PackWriter): void {
    w.int(this.marks);
    w.int(this.hours.size);
    for (const [hour, h] of this.hours) {
      w.int(hour);
      if (Array.isArray(h)) {
        w.int(-h.length - 1);
        for (const sec of h) w.int(sec);
      } else {
        w.int(w.bytes(h));
      }
    }
  }

  /** Adds marks read from a pack (the same node and target, read from other files). */
  unpack(r: PackReader): void {
    this.marks += r.int();
    for (let n = r.int(); n > 0; n--) {
      const hour = r.int();
      const kind = r.int();
      const theirs: HourMarks = kind < 0 ? Array.from({ length: -kind - 1 }, () => r.int()) : r.bytes(kind, 450);
      const mine = this.hours.get(hour);
      this.hours.set(hour, mine === undefined ? theirs : unionMarks(mine, theirs));
    }
    // The cached hour may have been replaced.
    this.curHour = -1;
    this.cur = null;
  }

  /** Bytes held by the marks (lists counted at 8 bytes an entry), for memory tests and reports. */
  get storedBytes(): number {
    let n = 0;
    for (const h of this.hours.values()) n += Array.isArray(h) ? h.length * 8 : h.length;
    return n;
  }

  /**
   * Whole seconds between the latest marked second strictly before `sec` and `sec`
   * (0 when a response ended in the same second). Infinity when none within `lookback`.
   * Skips empty bytes and hours, so it stays cheap even for hundreds of thousands of 502s.
   */
  gapBefore(ms: number, lookback = 3600): number {
    const sec = Math.floor(ms / 1000);
    const stop = sec - lookback;
    let s = sec;
    while (s >= stop) {
      const hour = Math.floor(s / 3600);
      const start = hour * 3600;
      const h = this.hours.get(hour);
      if (h) {
        const found = latestAtOrBefore(h, s - start);
        if (found >= 0) return start + found >= stop ? sec - (start + found) : Infinity;
      }
      s = start - 1;
    }
    return Infinity;
  }

  /** Calls back with the gap before each marked second, in time order (baseline for ok requests). */
  forEachGap(lookback: number, cb: (gap: number) => void): void {
    const hours = [...this.hours.keys()].sort((a, b) => a - b);
    let prev = -Infinity;
    for (const hr of hours) {
      forEachSecond(this.hours.get(hr) as HourMarks, (off) => {
        const sec = hr * 3600 + off;
        const gap = sec - prev;
        cb(gap > lookback ? Infinity : gap);
        prev = sec;
      });
    }
  }
}

/** Requests per minute for one target. */
export class MinuteCounts {
  private readonly hours = new Map<number, Uint32Array>();
  private curHour = -1;
  private cur: Uint32Array | null = null;

  add(ms: number): void {
    const hour = Math.floor(ms / HOUR_MS);
    if (hour !== this.curHour) {
      let c = this.hours.get(hour);
      if (!c) {
        c = new Uint32Array(60);
        this.hours.set(hour, c);
      }
      this.curHour = hour;
      this.cur = c;
    }
    (this.cur as Uint32Array)[Math.floor((ms - hour * HOUR_MS) / 60000)]++;
  }

  pack(w: PackWriter): void {
    w.int(this.hours.size);
    for (const [hour, c] of this.hours) {
      w.int(hour);
      w.counts(c);
    }
  }

  unpack(r: PackReader): void {
    for (let n = r.int(); n > 0; n--) {
      const hour = r.int();
      const theirs = r.counts();
      const mine = this.hours.get(hour);
      if (mine === undefined) this.hours.set(hour, theirs);
      else for (let i = 0; i < 60; i++) mine[i] += theirs[i];
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

  counts(): Uint32Array {
    this.c += 60;
    return this.p.u32.slice(this.c - 60, this.c);
  }
}
