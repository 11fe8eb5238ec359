import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ActivityBits } from '../../src/logs/target-timeline.js';

describe('ActivityBits.gapBefore', () => {
  it('matches a brute-force search over marked seconds', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 60 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 5000 }), (marks, at, lookback) => {
      const base = 1_709_632_800; // an hour boundary, in seconds
      const bits = new ActivityBits();
      for (const m of marks) bits.mark((base + m) * 1000 + 123);
      const set = new Set(marks);
      let expected = Infinity;
      if (set.has(at)) expected = 0;
      else for (let g = 1; g <= lookback; g++) if (set.has(at - g)) { expected = g; break; }
      expect(bits.gapBefore((base + at) * 1000 + 999, lookback)).toBe(expected);
    }), { numRuns: 500 });
  });


  it('gives the same gaps in list and bitmap form, across hours', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 9_000 }), { maxLength: 400 }), fc.integer({ min: 0, max: 9_000 }), (marks, at) => {
      const base = 1_709_632_800;
      const bits = new ActivityBits();
      for (const m of marks) bits.mark((base + m) * 1000);
      const sorted = [...new Set(marks)].sort((x, y) => x - y);
      const gaps: number[] = [];
      bits.forEachGap(3600, (g) => gaps.push(g));
      expect(gaps).toEqual(sorted.map((m, i) => (i === 0 || m - sorted[i - 1] > 3600 ? Infinity : m - sorted[i - 1])));
      const before = sorted.filter((m) => m <= at).pop();
      expect(bits.gapBefore((base + at) * 1000 + 500)).toBe(before === undefined || at - before > 3600 ? Infinity : at - before);
      expect(bits.marks).toBe(marks.length);
    }), { numRuns: 300 });
  });

  it('keeps quiet hours small and never more than the bitmap for busy ones', () => {
    const base = 1_709_632_800_000;
    const quiet = new ActivityBits();
    for (let h = 0; h < 24; h++) for (let k = 0; k < 4; k++) quiet.mark(base + h * 3_600_000 + k * 60_000);
    expect(quiet.storedBytes).toBe(24 * 4 * 4);
    const busy = new ActivityBits();
    for (let t = 0; t < 3_600_000; t += 250) busy.mark(base + t);
    expect(busy.storedBytes).toBe(450);
  });
});
