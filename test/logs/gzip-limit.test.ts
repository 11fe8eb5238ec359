import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeInputs } from '../../src/logs/run-analysis.js';

// A newline bomb: 96 MB of "\n" gzips to about 93 KB (a ratio near 1000x, where ELB logs are 10-20x).
const bomb = gzipSync(Buffer.alloc(96 * 1024 * 1024, 0x0a), { level: 9 });
const input = (name: string, body: Buffer) => ({ name, size: body.length, open: async () => Readable.from([body]) });

describe('gzip expansion limit', () => {
  it('stops a file that expands past the limit and says what to do', async () => {
    const a = await analyzeInputs([input('bomb.log.gz', bomb)]);
    expect(a.files.errors).toEqual([expect.objectContaining({ source: 'bomb.log.gz', message: expect.stringMatching(/stopped after \d+ MB: it expands \d+× .*gzip bomb/), nextStep: expect.stringContaining('--no-limit') })]);
  });

  it('stops it on the whole-file path for small files too', async () => {
    const a = await analyzeInputs([{ ...input('bomb.log.gz', bomb), read: async () => bomb }]);
    expect(a.files.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/gzip bomb/), nextStep: expect.stringContaining('--no-limit') })]);
  });

  it('reads it to the end with the limit off (--no-limit)', async () => {
    const a = await analyzeInputs([input('bomb.log.gz', bomb)], { gzipLimit: false });
    expect(a.files.errors).toEqual([]);
  });
});
