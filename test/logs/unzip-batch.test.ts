/**
 * Small files unzipped in one call must give each file exactly its own text, and a bad file
 * must cost only itself. gzip members may follow one another (RFC 1952 §2.2: "A gzip file
 * consists of a series of members"); each member's last 4 bytes are ISIZE, the input size mod 2^32.
 * The lines are the AWS documentation's ALB examples (fixtures.ts quotes their source).
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { unzipBatch, type RawFile } from '../../src/logs/unzip-batch.js';
import { DOC_HTTP, DOC_HTTPS, DOC_LAMBDA } from './fixtures.js';

const noCap = (): undefined => undefined;
const texts = (files: RawFile[], cap: (raw: Buffer) => number | undefined = noCap, joined?: Buffer): Record<number, string> => {
  const b = unzipBatch(files, cap, joined);
  return Object.fromEntries(b.spans.map((s) => [s.index, b.text.toString('utf8', s.start, s.end)]));
};

describe('unzipBatch', () => {
  const a = `${DOC_HTTP}\n${DOC_HTTPS}\n`;
  const b = `${DOC_LAMBDA}\n`;
  const c = `${DOC_HTTPS}\n`.repeat(50);

  it('splits one unzipped run back into the files, by their ISIZE trailers', () => {
    const files = [a, b, c].map((t, i) => ({ index: 10 + i, raw: gzipSync(t) }));
    const out = unzipBatch(files, noCap);
    expect(out.unread).toEqual([]);
    expect(out.spans.map((s) => s.index)).toEqual([10, 11, 12]);
    expect(texts(files)).toEqual({ 10: a, 11: b, 12: c });
    expect(out.spans.map((s) => s.compressed)).toEqual(files.map((f) => f.raw.length));
    // Bytes already side by side (as the worker reads them) give the same.
    expect(texts(files, noCap, Buffer.concat(files.map((f) => f.raw)))).toEqual({ 10: a, 11: b, 12: c });
  });

  it('a file of several members (its ISIZE names only the last one) is still read whole, as are its neighbours', () => {
    const files = [{ index: 0, raw: gzipSync(a) }, { index: 1, raw: Buffer.concat([gzipSync(b), gzipSync(c)]) }, { index: 2, raw: gzipSync(a) }];
    expect(texts(files)).toEqual({ 0: a, 1: b + c, 2: a });
  });

  it('a plain file among gzip files passes as it is', () => {
    const files = [{ index: 0, raw: gzipSync(a) }, { index: 1, raw: Buffer.from(b) }, { index: 2, raw: Buffer.alloc(0) }];
    expect(texts(files)).toEqual({ 0: a, 1: b, 2: '' });
  });

  it('a cut-off or corrupt file is left unread (the reader streams it and reports why); the others are read', () => {
    const whole = gzipSync(c);
    const cut = whole.subarray(0, whole.length >> 1);
    const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('not deflate data, long enough for a trailer')]);
    const files = [{ index: 0, raw: gzipSync(a) }, { index: 1, raw: cut }, { index: 2, raw: corrupt }, { index: 3, raw: gzipSync(b) }];
    const out = unzipBatch(files, noCap);
    expect(out.unread).toEqual([1, 2]);
    expect(texts(files)).toEqual({ 0: a, 3: b });
  });

  it('keeps the bomb limit per file: a file that expands past its cap is left unread, not unzipped', () => {
    const big = gzipSync(Buffer.alloc(1 << 20, 0x0a));
    const cap = (raw: Buffer): number => (raw === big ? 1000 : 1 << 30);
    const out = unzipBatch([{ index: 0, raw: gzipSync(a) }, { index: 1, raw: big }], cap);
    expect(out.unread).toEqual([1]);
    expect(out.text.length).toBe(Buffer.byteLength(a));
  });

  it('a file whose trailer understates its size cannot push the others out of place', () => {
    const lying = gzipSync(c);
    lying.writeUInt32LE(10, lying.length - 4);
    const files = [{ index: 0, raw: gzipSync(a) }, { index: 1, raw: lying }, { index: 2, raw: gzipSync(b) }];
    // zlib checks ISIZE against what it inflated: the file is damaged, and only it is left out.
    expect(texts(files)).toEqual({ 0: a, 2: b });
    expect(unzipBatch(files, noCap).unread).toEqual([1]);
  });
});
