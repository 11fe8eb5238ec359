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

});
