/**
 * Worker threads read shares of a directory; the merged result must be the one a single
 * thread finds. The lines are the documented ALB format (fixtures.ts quotes the AWS
 * examples they follow); file names follow the ELB object naming
 * (`…_elasticloadbalancing_<region>_app.<name>.<id>_<end time>_<node ip>_<random>.log.gz`,
 * "Access log files" in the ALB user guide), so each file names its ALB node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeInputs, readInputs } from '../../src/logs/run-analysis.js';
import { LogAnalyzer } from '../../src/logs/log-analyzer.js';
import { resolveLocalSource } from '../../src/logs/local-source.js';
import { shareOut } from '../../src/logs/parallel.js';
import { readAhead } from '../../src/logs/read-ahead.js';
import { ActivityBits, PackReader, PackWriter } from '../../src/logs/target-timeline.js';
import type { LogProgress } from '../../src/logs/types.js';
import { DOC_LAMBDA, NGINX_LINES, T0, albLine, iso } from './fixtures.js';
import { AnalyzerState } from '../../src/logs/analyzer.js';
import { toPartial } from '../../src/logs/partial.js';

const ok = (ms: number, target: string): string =>
  albLine({ time: iso(ms + 3), created: iso(ms), target, timings: '0.000 0.003 0.000', elb: '200', tstat: '200' });
const closed = (ms: number, target: string): string =>
  albLine({ time: iso(ms), created: iso(ms), target, timings: '0.000 0.000 -1', elb: '502', tstat: '-' });

const QUIET = '10.0.2.10:3000';
const NODE = '10.0.0.5';

function elbName(fileEndMs: number, node: string, n: number): string {
  const t = new Date(fileEndMs).toISOString();
  const stamp = `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 13)}${t.slice(14, 16)}Z`;
  return `123456789012_elasticloadbalancing_us-east-2_app.shop-prod.50dc6c495c0c9188_${stamp}_${node}_${n.toString(36)}x.log.gz`;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'badgate-par-'));
  // A quiet target on one node: requests 1 s apart, and after each 5.5 s pause one fails. The
  // files cut the traffic every 40 lines, so the response before a pause is often in one file
  // (one worker's share) and the 502 after it in the next: only merged marks see the gap.
  const lines: string[] = [];
  let t = T0;
  for (let k = 0; k < 12; k++) {
    for (let j = 0; j < 25; j++, t += 1000) lines.push(ok(t, QUIET));
    t += 5_500;
    lines.push(closed(t, QUIET));
    t += 1000;
  }
  let n = 0;
  for (let i = 0; i < lines.length; i += 40, n++) {
    writeFileSync(path.join(dir, elbName(T0 + n * 300_000, NODE, n)), gzipSync(lines.slice(i, i + 40).join('\n') + '\n'));
  }
  // Other nodes: busy targets, one answering 502 itself, one Lambda failure from the docs.
  for (let k = 0; k < 6; k++, n++) {
    const busy: string[] = [];
    for (let m = 0; m < 200; m++) busy.push(ok(T0 + m * 400, `10.0.1.${20 + (m % 4)}:8080`));
    busy.push(albLine({ time: iso(T0 + 90_000 + k), elb: '502', tstat: '502', timings: '0.000 0.021 0.000', target: '10.0.1.21:8080' }));
    if (k === 3) busy.push(DOC_LAMBDA);
    writeFileSync(path.join(dir, elbName(T0 + k * 300_000, `10.0.9.${k}`, n)), gzipSync(busy.join('\n') + '\n'));
  }
  // An nginx error log beside them (lines as ngx_http_upstream.c writes them; fixtures.ts).
  writeFileSync(path.join(dir, 'nginx-error.log'), `${NGINX_LINES.premature}\n${NGINX_LINES.premature.replace('*103', '*104')}\n`);
  // A damaged download: the error is kept whichever thread read it.
  writeFileSync(path.join(dir, elbName(T0, '10.0.9.99', 99)), Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('not deflate data')]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('worker threads', () => {
  it('one or two worker threads find what this thread finds: causes, keep-alive gaps across files, targets, evidence, errors', async () => {
    const inputs = await resolveLocalSource(dir);
    expect(inputs.length).toBeGreaterThan(10);
    // This thread alone, as small inputs are read.
    const here = new LogAnalyzer({});
    await readInputs(here, inputs);
    const one = here.finish();
    const progress: LogProgress[] = [];
    const two = await analyzeInputs(inputs, { jobs: 2, onProgress: (p) => progress.push(p) });
    // 12 on the quiet ALB target, and the two isolated nginx premature closes.
    expect(one.causes.find((c) => c.cause === 'keepalive-race')).toMatchObject({ count: 14 });
    expect(one.keepalive).toMatchObject({ afterIdleGap: 12, signature: true });
    expect(one.files.errors).toHaveLength(1);
    expect(one.nginxMethods).toEqual({ POST: 2 });
    expect(two).toEqual(one);
    expect(await analyzeInputs(inputs, { jobs: 1 })).toEqual(one);
    // Two workers besides this thread: their partials merge in file order too.
    expect(await analyzeInputs(inputs, { jobs: 3 })).toEqual(one);
    expect(progress.at(-1)).toMatchObject({ filesTotal: inputs.length, filesDone: inputs.length, count502: one.count502 });
  });

  it('read ahead: the worker unzips every file and this thread parses them in order, to the same result', async () => {
    const inputs = (await resolveLocalSource(dir)) as Parameters<typeof readAhead>[1];
    const here = new LogAnalyzer({});
    await readInputs(here, inputs);
    const ahead = new LogAnalyzer({});
    const progress: LogProgress[] = [];
    // Left to the worker alone, whatever the timing: the damaged download is still read (and reported) here.
    const r = await readAhead(ahead, inputs, { onProgress: (p) => progress.push(p), progressIntervalMs: 0 }, { claimHere: false });
    expect(r.ahead).toBe(inputs.length - 1);
    expect(ahead.finish()).toEqual(here.finish());
    expect(progress.at(-1)).toMatchObject({ filesTotal: inputs.length, filesDone: inputs.length, bytesRead: inputs.reduce((n, i) => n + (i.size ?? 0), 0) });
  });

  it('read ahead loses nothing when its worker fails: this thread reads every file itself', async () => {
    const inputs = (await resolveLocalSource(dir)) as Parameters<typeof readAhead>[1];
    const here = new LogAnalyzer({});
    await readInputs(here, inputs);
    const alone = new LogAnalyzer({});
    // A worker entry that does not exist fails at once, as a crashed worker would.
    const r = await readAhead(alone, inputs, {}, { claimHere: false, entry: 'no-such-worker' as 'unzip-worker' });
    expect(r.ahead).toBe(0);
    expect(alone.finish()).toEqual(here.finish());
  });

  it('read ahead stops at Ctrl+C (an aborted signal) without waiting for the worker', async () => {
    const inputs = (await resolveLocalSource(dir)) as Parameters<typeof readAhead>[1];
    const ac = new AbortController();
    const an = new LogAnalyzer({});
    let files = 0;
    await readAhead(an, inputs, { signal: ac.signal, progressIntervalMs: 0, onProgress: (p) => { files = p.filesDone; if (p.filesDone >= 2) ac.abort(); } }, { claimHere: false });
    expect(files).toBeGreaterThanOrEqual(2);
    expect(files).toBeLessThan(inputs.length);
  });

  it("a worker's partial result carries every field of the analyzer state but its settings and caches", () => {
    const partial = toPartial(new AnalyzerState({}));
    const perThread = ['opts', 'https', 'slotCaches', 'meter', 'compactAt', 'nextTargetId'];
    for (const field of Object.keys(new AnalyzerState({}))) if (!perThread.includes(field)) expect(partial).toHaveProperty(field);
  });

  it('files are shared out in order, in runs of about equal size', () => {
    const files = [5, 1, 1, 1, 1, 1, 5, 5].map((size, i) => ({ size, i }));
    const shares = shareOut(files, 2);
    expect(shares.flat().map((f) => f.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(shares.map((s) => s.reduce((n, f) => n + f.size, 0))).toEqual([10, 10]);
    expect(shareOut(files, 5).length).toBeLessThanOrEqual(5);
    expect(shareOut([{ size: 3 }], 4)).toEqual([[{ size: 3 }]]);
  });

  it('merged activity marks give the same idle gaps as marks read in one place (sparse and dense hours)', () => {
    const all = new ActivityBits();
    const a = new ActivityBits();
    const b = new ActivityBits();
    const seconds = [1, 7, 9, 40, 41, 300, ...Array.from({ length: 60 }, (_, i) => 3600 + i * 3), 7300];
    seconds.forEach((s, i) => {
      all.mark(T0 + s * 1000);
      (i % 3 === 0 ? a : b).mark(T0 + s * 1000);
    });
    const w = new PackWriter();
    b.pack(w);
    a.unpack(new PackReader(w.finish()));
    for (const s of [2, 8, 39, 42, 299, 301, 3601, 3779, 3781, 7200, 7301, 9000]) {
      expect(a.gapBefore(T0 + s * 1000)).toBe(all.gapBefore(T0 + s * 1000));
    }
    expect(a.marks).toBe(all.marks);
    const gaps = (x: ActivityBits): number[] => {
      const out: number[] = [];
      x.forEachGap(3600, (g) => out.push(g));
      return out;
    };
    expect(gaps(a)).toEqual(gaps(all));
  });
});

describe('small gzip files read whole', () => {
  it('a file of several gzip members (as `cat a.gz b.gz > c.gz` makes; RFC 1952 §2.2) is read to its end', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'badgate-members-'));
    try {
      const part = (from: number): string => Array.from({ length: 30 }, (_, i) => ok(T0 + (from + i) * 1000, QUIET)).join('\n') + '\n';
      // The trailer's size names only the last member: the reader must not stop at it.
      writeFileSync(path.join(d, elbName(T0, NODE, 1)), Buffer.concat([gzipSync(part(0)), gzipSync(part(100)), gzipSync('')]));
      const r = await analyzeInputs(await resolveLocalSource(d));
      expect(r.lines.total).toBe(60);
      expect(r.lines.malformed).toBe(0);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
