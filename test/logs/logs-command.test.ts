import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { runLogsCommand, type LogsCommandOptions } from '../../src/commands/logs.js';
import { DOC_HTTP, DOC_LAMBDA, SEED_BAD, SEED_GOOD, NGINX_LINES } from './fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'badgate-cmd-'));
  writeFileSync(path.join(dir, 'seed.log.gz'), gzipSync([SEED_GOOD, SEED_BAD, ''].join('\n')));
  writeFileSync(path.join(dir, 'ok.log'), `${DOC_HTTP}\n`);
  writeFileSync(path.join(dir, 'junk.log'), 'hello\nworld\n');
  writeFileSync(path.join(dir, 'error.log'), Object.values(NGINX_LINES).join('\n'));
  const gz = gzipSync(Array.from({ length: 3000 }, () => DOC_HTTP).join('\n'));
  writeFileSync(path.join(dir, 'cut.log.gz'), gz.subarray(0, gz.length - 20));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(opts: Partial<LogsCommandOptions> & { source: string }, stdin?: NodeJS.ReadableStream): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runLogsCommand({ json: false, ...opts }, { out: (s) => (out += s), err: (s) => (err += s), stdin }, { now: () => new Date('2024-03-05T12:00:00Z') });
  return { code, out, err };
}

describe('badgate logs', () => {
  it('502s found and classified: exit 1, verdict, why, evidence', async () => {
    const r = await run({ source: path.join(dir, 'seed.log.gz') });
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Verdict: keepalive-race \(likely\)/);
    expect(r.out).toMatch(/evidence: .*seed\.log\.gz:2/);
    expect(r.out).toMatch(/next step: .*keepAliveTimeout = 65000/);
    expect(r.out).toMatch(/Examples:\n {2}\[keepalive-race\] .*seed\.log\.gz:2\n {4}https 2024-03-05T10:00:06/);
  });

  it('no 502s: exit 0', async () => {
    const r = await run({ source: path.join(dir, 'ok.log') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Verdict: no 502s — no 502s among 1 requests/);
  });

  it('--json prints the analysis and nothing else on stdout', async () => {
    const r = await run({ source: path.join(dir, 'seed.log.gz'), json: true, top: 3 });
    const a = JSON.parse(r.out);
    expect(a).toMatchObject({ count502: 1, requests: 2, verdict: { cause: 'keepalive-race' } });
  });

  it('reads stdin with -', async () => {
    const r = await run({ source: '-', json: true }, Readable.from([Buffer.from(`${DOC_LAMBDA}\n`)]));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).causes[0].cause).toBe('lambda-invalid-response');
  });

  it('an nginx error log', async () => {
    const r = await run({ source: path.join(dir, 'error.log') });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/nginx-error/);
    expect(r.out).toMatch(/read as UTC/);
  });

  it('--since/--until filter the lines', async () => {
    const r = await run({ source: path.join(dir, 'seed.log.gz'), since: '2024-03-05T10:00:05Z', json: true });
    expect(JSON.parse(r.out)).toMatchObject({ requests: 1, lines: { outOfWindow: 1 } });
    const d = await run({ source: path.join(dir, 'seed.log.gz'), since: '1h', json: true });
    expect(JSON.parse(d.out)).toMatchObject({ requests: 0 });
    expect(d.code).toBe(0);
  });

  it.each([
    [{ source: '' }, /no source given/],
    [{ source: 'x', since: 'yesterday' }, /--since "yesterday" is neither a duration/],
    [{ source: 'x', since: '2h', until: '3h' }, /--until must be later than --since/],
    [{ source: 'x', top: 0 }, /--top must be a positive whole number/],
    [{ source: 'x', jobs: 0 }, /--jobs must be a whole number from 1 to 64/],
    [{ source: 'x', jobs: 1.5 }, /--jobs must be a whole number from 1 to 64/],
    [{ source: '/nope/missing.log' }, /no such file or directory/],
    [{ source: 'x.log', athena: true }, /--athena reads logs in place in S3/],
    [{ source: 's3://' }, /is not an S3 URI/],
  ])('usage and setup errors: exit 2, one line and a next step (%o)', async (opts, msg) => {
    const r = await run(opts as LogsCommandOptions);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(msg);
    expect(r.err).toMatch(/\n {2}next step: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a file that is not a log: exit 2 with a next step', async () => {
    const r = await run({ source: path.join(dir, 'junk.log') });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no line could be read as an ALB, CLB, CloudFront, App Gateway, API Gateway \(access or execution\) or Lambda log/);
  });

  it('a truncated gzip: partial result, exit by what was read, and a warning', async () => {
    const r = await run({ source: path.join(dir, 'cut.log.gz') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warning: .*gzip stream ends early/);
    expect(r.err).toMatch(/partial result/);
  });

  it('S3 access denied is one line naming the permission', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const store = { bucket: 'b', list: () => { throw denied; }, listPrefixes: async () => { throw denied; }, get: async () => { throw denied; } };
    let err = '';
    const code = await runLogsCommand({ source: 's3://b/p', since: '1h', json: false }, { out: () => {}, err: (s) => (err += s) }, { createStore: () => store });
    expect(code).toBe(2);
    expect(err).toMatch(/^badgate logs: Access denied/);
    expect(err).toMatch(/next step: .*iam-policy/);
  });
});
