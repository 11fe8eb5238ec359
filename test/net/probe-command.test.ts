import { afterAll, describe, expect, it } from 'vitest';
import { runProbeCommand, type ProbeReport } from '../../src/commands/probe.js';
import { readFileSync } from 'node:fs';
import { ALB_502_BODY, answerLikeAlb502, closeAll, closedPort, startHttp, startRaw } from './helpers/servers.js';

/** A server that answers every request with a captured response, byte for byte. */
async function replay(file: string): Promise<number> {
  const raw = readFileSync(new URL(`../fixtures/net/fingerprint/${file}`, import.meta.url));
  const { port } = await startRaw((s) => {
    s.on('error', () => {});
    s.once('data', () => s.end(raw));
  });
  return port;
}

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

  it("names nginx as the maker of its own 502 page, with the Server it saw and what to do", async () => {
    const port = await replay('captured/nginx-closed-502.txt');
    const c = capture();
    expect(await runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/` }, c.io)).toBe(1);
    const text = c.out.join('\n');
    expect(text).toMatch(/net\.fingerprint .*nginx.*its own error page.*\(Server: nginx\/1\.22\.1\)/);
    expect(text).toContain('Verdict: nginx made this 502: its upstream failed — run the nginx flow');
    expect(text).not.toMatch(/no cause could be pinned/);
  });

  it('does not blame nginx for a JSON 502 it only relayed', async () => {
    const port = await replay('captured/nginx-app-json-502-502.txt');
    const c = capture();
    await runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/` }, c.io);
    const text = c.out.join('\n');
    expect(text).toMatch(/relayed by nginx \(Server: nginx\/1\.22\.1\), not made by it/);
    expect(text).not.toMatch(/nginx made this/);
    expect(text).not.toMatch(/badgate run nginx/);
  });

  it('shows CloudFront as also seen in front of an ALB 502', async () => {
    const { port } = await startHttp((_q, res) => {
      res.writeHead(502, {
        Server: 'awselb/2.0', 'Content-Type': 'text/html', 'X-Cache': 'Error from cloudfront',
        Via: '1.1 5f8d6e7c2a0b3b0f1d6c0c1e2a3b4c5d.cloudfront.net (CloudFront)', 'X-Amz-Cf-Id': 'abc==',
      });
      res.end(ALB_502_BODY);
    });
    const c = capture();
    await runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/` }, c.io);
    const text = c.out.join('\n');
    expect(text).toMatch(/AWS Application Load Balancer.*\(Server: awselb\/2\.0\); also seen: Amazon CloudFront/);
    expect(text).toMatch(/also seen: Amazon CloudFront \(relayed it\) — x-cache: Error from cloudfront/);
  });
});
