import { afterAll, describe, expect, it } from 'vitest';
import { runProbeCommand, type ProbeReport } from '../../src/commands/probe.js';
import { answerLikeAlb502, closeAll, closedPort, startHttp } from './helpers/servers.js';

afterAll(closeAll);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

const base = { keepalive: false, count: 1, json: false };

describe.concurrent('runProbeCommand', () => {
  it('exits 2 with one line and a next step for a bad URL, never a stack', async () => {
    for (const url of ['example.com', 'ftp://example.com/', 'http://', '']) {
      const c = capture();
      const code = await runProbeCommand({ ...base, url }, c.io);
      expect(code).toBe(2);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(/Next: /);
      expect(c.err[0]).not.toMatch(/\n\s+at /);
      expect(c.out).toEqual([]);
    }
    const c = capture();
    await runProbeCommand({ ...base, url: 'example.com' }, c.io);
    expect(c.err[0]).toContain('badgate probe https://example.com');
  });

  it('exits 2 for a count out of range', async () => {
    const c = capture();
    expect(await runProbeCommand({ ...base, url: 'http://127.0.0.1/', count: 0 }, c.io)).toBe(2);
    expect(c.err[0]).toMatch(/--count/);
  });

  it('exits 0 and says so for a healthy server, after stating its bounds', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'));
    const c = capture();
    const code = await runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/`, count: 3 }, c.io);
    expect(code).toBe(0);
    expect(c.err[0]).toMatch(/talks only to 127\.0\.0\.1 \(port \d+\).*3 GET requests, each bounded by 10 s.*Nothing else is contacted/);
    expect(c.out.join('\n')).toMatch(/nothing wrong found/);
    expect(c.out.join('\n')).toMatch(/net\.tcp-connect/);
  });

  it('exits 1 on ALB 502s and prints JSON with the gateway and flow', async () => {
    const { port } = await startHttp((_q, res) => answerLikeAlb502(res));
    const c = capture();
    const code = await runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/`, count: 2, json: true }, c.io);
    expect(code).toBe(1);
    const report = JSON.parse(c.out.join('\n')) as ProbeReport;
    expect(report.suggestedFlow).toBe('alb');
    expect(report.checks.find((x) => x.id === 'net.http-probe')).toMatchObject({ outcome: 'got-502', status: 'fail' });
    expect(report.checks.find((x) => x.id === 'net.fingerprint')).toMatchObject({ outcome: 'alb' });
  });

  it('finds the keep-alive race with --keepalive, showing progress while it waits', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'), (s) => {
      s.keepAliveTimeout = 200; // closes at ~1.2 s on Node 20
    });
    const c = capture();
    const code = await runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/`, keepalive: true, idleTimeoutSeconds: 2, maxWaitSeconds: 5, json: true }, c.io);
    expect(code).toBe(1);
    const report = JSON.parse(c.out.join('\n')) as ProbeReport;
    expect(report.causes[0]).toMatchObject({ id: 'keepalive-race', confidence: 'confirmed' });
    expect(c.err.join('\n')).toMatch(/waiting for the server to close the idle connection… \d+s\/5s/);
    expect(c.err[0]).toMatch(/one keep-alive connection held idle for at most 5 s/);
  });

  it('exits 1 with target-not-listening for a refused port and skips the HTTP probe', async () => {
    const c = capture();
    const code = await runProbeCommand({ ...base, url: `http://127.0.0.1:${await closedPort()}/` }, c.io);
    expect(code).toBe(1);
    const text = c.out.join('\n');
    expect(text).toMatch(/target-not-listening \(likely\)/);
    expect(text).not.toMatch(/net\.http-probe/);
    expect(text).toMatch(/Skipped the HTTP/);
  });
});
