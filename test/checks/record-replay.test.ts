// A recorded session (`check --record`) replays offline with its probes and logs, and
// `report --reevaluate` re-runs evaluate on the evidence the journal kept.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { albLine } from '../logs/fixtures.js';

let dir: string;
let server: Server;
let url: string;
let hits = 0;

const badgate = (args: string[]) => runCliAsync(args, { BADGATE_STATE_DIR: join(dir, 'state'), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'badgate-rr-'));
  // The ALB's own 502 page (reference/domain-502.md: `Server: awselb/2.0` and this body).
  server = createServer((_q, r) => {
    hits++;
    r.writeHead(502, { server: 'awselb/2.0', 'content-type': 'text/html' });
    r.end('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // A request the target answered, then one it reset after an idle gap: the keep-alive signature.
  const t = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace('Z', '000Z');
  writeFileSync(join(dir, 'alb.log'), [
    albLine({ time: t(600_000), created: t(600_000), timings: '0.000 0.003 0.000', elb: '200', tstat: '200' }),
    albLine({ time: t(60_000), created: t(60_000), timings: '0.000 0.000 -1', elb: '502', tstat: '-' }),
  ].join('\n'));
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const summary = (out: string) => {
  const j = JSON.parse(out) as { session: string; checks: { id: string; outcome: string; summary: string }[] };
  return { session: j.session, checks: Object.fromEntries(j.checks.filter((c) => ['net.http-probe', 'logs.access-log'].includes(c.id)).map((c) => [c.id, c.outcome])) };
};

describe('record, replay offline, re-evaluate', () => {
  it('--record keeps probes and log reads; --replay answers them with the server gone and the same verdicts', async () => {
    const rec = join(dir, 'rec.json');
    const args = ['check', 'alb', '--url', url, '--json', '--answer', `logs-source=${join(dir, 'alb.log')}`, '--answer', 'intake-started=30m ago'];
    const live = await badgate([...args, '--record', rec]);
    expect(live.err).not.toMatch(/\n\s+at /);
    const first = summary(live.out);
    expect(first.checks['net.http-probe']).toBe('got-502');
    expect(first.checks['logs.access-log']).not.toBe('no-logs');
    const recording = JSON.parse(readFileSync(rec, 'utf8')) as { version: number; calls: { port?: string; method: string }[] };
    expect(recording.version).toBe(2);
    expect(recording.calls.map((c) => `${c.port}.${c.method}`)).toEqual(expect.arrayContaining(['net.http', 'files.readLogs']));

    await new Promise<void>((ok) => server.close(() => ok()));
    const before = hits;
    writeFileSync(join(dir, 'alb.log'), 'the file is gone too\n');
    const replayed = summary((await badgate([...args, '--replay', rec])).out);
    expect(replayed.checks).toEqual(first.checks);
    expect(hits).toBe(before);
  });

  it('report --reevaluate re-runs evaluate on the journal\'s evidence', async () => {
    const live = summary((await badgate(['check', 'alb', '--replay', join(dir, 'rec.json'), '--url', url, '--json', '--answer', `logs-source=${join(dir, 'alb.log')}`, '--answer', 'intake-started=30m ago'])).out);
    const journal = readFileSync(join(dir, 'state', 'sessions', `${live.session}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; check?: string; evidence?: unknown });
    const probe = journal.find((e) => e.type === 'check' && e.check === 'net.http-probe');
    expect(probe?.evidence).toMatchObject({ probe: { attempts: expect.any(Array) } });
    const r = await badgate(['report', live.session, '--reevaluate']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Re-evaluated \d+ check\(s\) from their stored evidence; no outcome changed/);
    expect(r.out).toContain('502');
  });
});
