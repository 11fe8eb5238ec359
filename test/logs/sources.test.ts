import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { analyzeInputs } from '../../src/logs/run-analysis.js';
import { resolveLocalSource, stdinInput, globToRegExp, readChunkSize } from '../../src/logs/local-source.js';
import type { LogProgress } from '../../src/logs/types.js';
import { DOC_CLB, DOC_HTTP, SEED_BAD, SEED_GOOD, T0, albLine, iso } from './fixtures.js';

let dir: string;
const many = Array.from({ length: 2000 }, (_, i) => albLine({ time: iso(T0 + i * 100), elb: i % 100 === 0 ? '502' : '200', tstat: i % 100 === 0 ? '502' : '200' })).join('\n') + '\n';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'badgate-logs-'));
  mkdirSync(path.join(dir, 'alb', '2024', '03'), { recursive: true });
  writeFileSync(path.join(dir, 'alb', '2024', '03', 'a.log.gz'), gzipSync([SEED_GOOD, SEED_BAD, ''].join('\n')));
  writeFileSync(path.join(dir, 'alb', '2024', '03', 'b.log'), [DOC_HTTP, ''].join('\n'));
  writeFileSync(path.join(dir, 'alb', 'README.md'), 'not a log');
  writeFileSync(path.join(dir, 'clb.log'), `${DOC_CLB}\r\n${DOC_CLB.replace('200 200', '502 502')}\r\n`);
  writeFileSync(path.join(dir, 'empty.log'), '');
  const gz = gzipSync(many);
  writeFileSync(path.join(dir, 'cut.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  writeFileSync(path.join(dir, 'many.log.gz'), gz);
  writeFileSync(path.join(dir, 'corrupt.log.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('definitely not deflate data')]));
  // Misnamed: gzip without .gz, plain with .gz. Detection is by magic bytes.
  writeFileSync(path.join(dir, 'misnamed.log'), gzipSync(DOC_HTTP));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('local sources', () => {
  it('a directory: every log file below it, gz and plain, README skipped', async () => {
    const inputs = await resolveLocalSource(path.join(dir, 'alb'));
    expect(inputs.map((i) => path.basename(i.name))).toEqual(['a.log.gz', 'b.log']);
    const a = await analyzeInputs(inputs);
    expect(a).toMatchObject({ requests: 3, count502: 1, partial: false });
    expect(a.causes[0].evidence[0]).toMatch(/a\.log\.gz:2$/);
  });

  it('a glob, with ** and *', async () => {
    expect((await resolveLocalSource(path.join(dir, '**/*.log.gz'))).map((i) => path.basename(i.name)).sort())
      .toEqual(['a.log.gz', 'corrupt.log.gz', 'cut.log.gz', 'many.log.gz']);
    expect(globToRegExp('logs/*.gz').test('logs/x/y.gz')).toBe(false);
    await expect(resolveLocalSource(path.join(dir, '*.nothing'))).rejects.toThrow(/no files match/);
  });

  it('a CLB file with CRLF', async () => {
    const a = await analyzeInputs(await resolveLocalSource(path.join(dir, 'clb.log')));
    expect(a).toMatchObject({ format: 'clb', requests: 2, count502: 1, lines: { malformed: 0 } });
    expect(a.causes[0].cause).toBe('target-generated-502');
  });

  it('stdin', async () => {
    const a = await analyzeInputs([stdinInput(Readable.from([Buffer.from(`${SEED_GOOD}\n${SEED_BAD}\n`)]))]);
    expect(a).toMatchObject({ requests: 2, count502: 1 });
    expect(a.causes[0].evidence).toEqual(['stdin:2']);
  });

  it('an empty file is no data, not an error', async () => {
    const a = await analyzeInputs(await resolveLocalSource(path.join(dir, 'empty.log')));
    expect(a).toMatchObject({ requests: 0, partial: false, files: { count: 1, errors: [] } });
  });

  it('a gzip stream cut in the middle: the lines before the cut, and a clear error', async () => {
    const a = await analyzeInputs(await resolveLocalSource(path.join(dir, 'cut.log.gz')));
    expect(a.partial).toBe(true);
    expect(a.requests).toBeGreaterThan(100);
    expect(a.requests).toBeLessThan(2000);
    expect(a.files.errors[0].message).toMatch(/gzip stream ends early/);
    expect(a.files.errors[0].nextStep).toMatch(/before the cut were analysed/);
  });

  it('corrupt gzip and magic-byte detection', async () => {
    const bad = await analyzeInputs(await resolveLocalSource(path.join(dir, 'corrupt.log.gz')));
    expect(bad.files.errors[0].message).toMatch(/not a readable gzip file/);
    const mis = await analyzeInputs(await resolveLocalSource(path.join(dir, 'misnamed.log')));
    expect(mis.requests).toBe(1);
  });

  it('a missing or unreadable file names the problem and the next step', async () => {
    await expect(resolveLocalSource(path.join(dir, 'nope.log'))).rejects.toMatchObject({ message: expect.stringMatching(/no such file/), nextStep: expect.any(String) });
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.log');
      writeFileSync(locked, DOC_HTTP);
      chmodSync(locked, 0);
      const a = await analyzeInputs(await resolveLocalSource(locked));
      expect(a.files.errors[0].message).toMatch(/permission denied/);
    }
  });

  it('reports progress: files, bytes, lines, 502s', async () => {
    const seen: LogProgress[] = [];
    const inputs = await resolveLocalSource(path.join(dir, 'many.log.gz'));
    await analyzeInputs([...inputs, ...inputs], { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ filesTotal: 2, filesDone: 2, lines: 4000, count502: 40 });
    expect(last.bytesRead).toBe(last.bytesTotal);
    expect(seen.some((p) => p.lines > 0 && p.lines < 4000)).toBe(true);
  });
});

describe('read buffers', () => {
  it('are sized to small files and capped at 1 MiB for big ones', () => {
    expect(readChunkSize(0)).toBe(16 << 10);
    expect(readChunkSize(11_000)).toBe(16 << 10);
    expect(readChunkSize(100_000)).toBe(128 << 10);
    expect(readChunkSize(50 << 20)).toBe(1 << 20);
  });
});
