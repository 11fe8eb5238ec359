import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LogAnalyzer } from '../../src/logs/log-analyzer.js';
import { parseAccessLine } from '../../src/logs/access-record.js';
import { DOC_HTTP, SEED_BAD, albLine } from './fixtures.js';

function analyseChunks(chunks: Uint8Array[]): ReturnType<LogAnalyzer['finish']> {
  const an = new LogAnalyzer();
  const p = an.openFile('fuzz.log');
  for (const c of chunks) p.push(Buffer.from(c));
  p.end();
  return an.finish();
}

describe('parser fuzzing', () => {
  it('arbitrary bytes never throw and every line is accounted for', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
      const a = analyseChunks(chunks);
      expect(a.lines.total).toBe(a.lines.blank + a.lines.malformed + a.lines.outOfWindow + a.requests + (a.format === 'nginx-error' ? Object.values(a.nginxKinds).reduce((s, n) => s + n, 0) : 0));
      JSON.stringify(a);
    }), { numRuns: 300 });
  });

  it('mutated real lines never throw, in the streaming or the full parser', () => {
    const base = [DOC_HTTP, SEED_BAD, albLine({ elb: '502', tstat: '502' })];
    const mutated = fc.tuple(fc.constantFrom(...base), fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ' ', '\r', '\n', '-', '\\', '5', '\u00ff', '')), { maxLength: 8 }))
      .map(([line, edits]) => {
        let s = line;
        for (const [at, ch] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + ch + s.slice(i + (ch === '' ? 1 : 0));
        }
        return s;
      });
    fc.assert(fc.property(fc.array(mutated, { maxLength: 10 }), fc.integer({ min: 1, max: 64 }), (lines, size) => {
      const text = Buffer.from(lines.join('\n'));
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.subarray(i, i + size));
      analyseChunks(chunks);
      for (const l of lines) parseAccessLine(l);
    }), { numRuns: 300 });
  });

  it('a huge line without newlines is bounded and reported, not buffered forever', () => {
    const an = new LogAnalyzer();
    const p = an.openFile('big.log');
    const chunk = Buffer.alloc(1 << 16, 0x41);
    for (let i = 0; i < 40; i++) p.push(chunk);
    p.push(Buffer.from(`\n${DOC_HTTP}\n`));
    p.end();
    const a = an.finish();
    expect(a.lines.malformedByReason).toEqual({ 'line longer than 1 MiB': 1 });
    expect(a.requests).toBe(1);
  });
});
