/**
 * Bounded-memory activity records per target, bucketed by hour: a bitmap of the seconds in
 * which a target finished a response (for idle gaps) and per-minute request counts (for
 * bursts). A day of traffic costs ~450 bytes × 24 per (ALB node, target) for the bitmap.
 */

const HOUR_MS = 3_600_000;

/** Seconds in which a target completed a response. */
export class ActivityBits {
  private readonly hours = new Map<number, Uint8Array>();
  private curHour = -1;
  private cur: Uint8Array | null = null;
  /** Number of marks; a second may be marked more than once. */
  marks = 0;

  mark(ms: number): void {
    const hour = Math.floor(ms / HOUR_MS);
    if (hour !== this.curHour) {
      let bits = this.hours.get(hour);
      if (!bits) {
        bits = new Uint8Array(450);
        this.hours.set(hour, bits);
      }
      this.curHour = hour;
      this.cur = bits;
    }
    const sec = Math.floor((ms - hour * HOUR_MS) / 1000);
    (this.cur as Uint8Array)[sec >> 3] |= 1 << (sec & 7);
    this.marks++;
  }

  private isSet(sec: number): boolean {
    const hour = Math.floor(sec / 3600);
    const bits = this.hours.get(hour);
    if (!bits) return false;
    const s = sec - hour * 3600;
    return (bits[s >> 3] & (1 << (s & 7))) !== 0;
  }

  /**
   * Whole seconds between the latest marked second strictly before `sec` and `sec`
   * (0 when a response ended in the same second). Infinity when none within `lookback`.
   * Walks bitmap bytes backwards and skips empty bytes and hours, so it stays cheap even
   * for hundreds of thousands of 502s.
   */
  gapBefore(ms: number, lookback = 3600): number {
    const sec = Math.floor(ms / 1000);
    if (this.isSet(sec)) return 0;
    const stop = sec - lookback;
    let s = sec - 1;
    while (s >= stop) {
      const hour = Math.floor(s / 3600);
      const start = hour * 3600;
      const bits = this.hours.get(hour);
      if (bits) {
        let off = s - start;
        while (off >= 0 && start + off >= stop) {
          const byte = bits[off >> 3];
          if (byte === 0) {
            off = (off & ~7) - 1;
            continue;
          }
          if ((byte & (1 << (off & 7))) !== 0) return sec - (start + off);
          off--;
        }
      }
      s = start - 1;
    }
    return Infinity;
  }

  /** Calls back with the gap before each marked second, in time order (baseline for ok requests). */
  forEachGap(lookback: number, cb: (gap: number) => void): void {
    const hours = [...this.hours.keys()].sort((a, b) => a - b);
    let prev = -Infinity;
    for (const h of hours) {
      const bits = this.hours.get(h) as Uint8Array;
      for (let i = 0; i < 450; i++) {
        const byte = bits[i];
        if (byte === 0) continue;
        for (let b = 0; b < 8; b++) {
          if ((byte & (1 << b)) === 0) continue;
          const sec = h * 3600 + i * 8 + b;
          const gap = sec - prev;
          cb(gap > lookback ? Infinity : gap);
          prev = sec;
        }
      }
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

  at(minute: number): number {
    const hour = Math.floor(minute / 60);
    return this.hours.get(hour)?.[minute - hour * 60] ?? 0;
  }
}
