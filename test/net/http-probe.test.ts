import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProbeCheck } from '../../src/checks/net-http-probe.js';
import type { CheckContext } from '../../src/checks/types.js';
import { probeHttp } from '../../src/net/http-probe.js';
import { parseTarget } from '../../src/net/target.js';
import { ALB_502_BODY, answerLikeAlb502, closeAll, closedPort, startHttp, startRaw } from './helpers/servers.js';
import { startMiniDns, type MiniDns } from './helpers/mini-dns.js';
import { testContext } from '../helpers/check-context.js';

let dns: MiniDns;
beforeAll(async () => {
  dns = await startMiniDns({
    'two.test': { a: ['127.0.0.1', '127.0.0.2'] },
  });
});
afterAll(async () => {
  await closeAll();
  await dns.close();
});

function ctx(params: Record<string, string>): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

async function check(params: Record<string, string>) {
  const c = ctx(params);
  return httpProbeCheck.evaluate(await httpProbeCheck.collect(c), c);
}

function target(url: string) {
  const t = parseTarget(url);
  if (!t.ok) throw new Error(t.error);
  return t.target;
}

describe.concurrent('net.http-probe against real servers', () => {
  it('reports status, timings and version for a healthy server', async () => {
    const { port } = await startHttp((_q, res) => res.end('hello'));
    const ev = await probeHttp({ target: target(`http://127.0.0.1:${port}/health`), count: 1 });
    const a = ev.attempts[0];
    expect(a.status).toBe(200);
    expect(a.httpVersion).toBe('1.1');
    expect(a.ip).toBe('127.0.0.1');
    expect(a.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(a.timings.ttfbMs).toBeGreaterThanOrEqual(a.timings.connectMs ?? 0);
    expect(a.timings.totalMs).toBeGreaterThanOrEqual(a.timings.ttfbMs ?? 0);
    expect(a.body).toBe('hello');
    const result = httpProbeCheck.evaluate({ probe: ev }, { params: {}, facts: {} });
    expect(result.outcome).toBe('ok');
    expect(result.facts?.['probe.status']).toBe(200);
    expect(result.facts?.['probe.count502']).toBe(0);
  });

  it('counts an intermittent 502 among N requests and fingerprints the ALB page', async () => {
    let n = 0;
    const { port } = await startHttp((_q, res) => {
      n += 1;
      if (n % 3 === 0) answerLikeAlb502(res);
      else res.end('fine');
    });
    const result = await check({ url: `http://127.0.0.1:${port}/`, count: '6' });
    expect(result.outcome).toBe('got-502');
    expect(result.facts?.['probe.count502']).toBe(2);
    expect(result.facts?.['probe.count']).toBe(6);
    expect(result.facts?.['probe.status']).toBe(502);
    expect(result.facts?.['probe.server']).toBe('awselb/2.0');
    expect(result.facts?.['probe.ips502']).toBe('127.0.0.1');
    expect(result.facts?.['gateway.kind']).toBe('alb');
    expect(result.facts?.['gateway.flow']).toBe('alb');
    expect(result.summary).toMatch(/^2\/6 requests got 502/);
    expect(result.sources?.[0]).toMatchObject({ api: 'probe:http', params: { url: `http://127.0.0.1:${port}/` } });
  });

  it('keeps the ALB 502 body intact for fingerprinting', async () => {
    const { port } = await startHttp((_q, res) => answerLikeAlb502(res));
    const ev = await probeHttp({ target: target(`http://127.0.0.1:${port}/`), count: 1 });
    expect(ev.attempts[0].body).toBe(ALB_502_BODY);
  });

  it('rotates over every address, falls back like the TCP connect when one refuses, and says which one failed', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'));
    const resolver = dns.resolver();
    const ev = await probeHttp({ target: target(`http://two.test:${port}/`), count: 2, lookup: (h) => resolver.resolve4(h) });
    expect(ev.addresses).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(ev.attempts.map((a) => a.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(ev.attempts.map((a) => a.status)).toEqual([200, 200]);
    expect(ev.attempts[1].failedAddresses).toEqual([{ ip: '127.0.0.2', error: expect.objectContaining({ code: 'ECONNREFUSED' }) }]);
    const result = httpProbeCheck.evaluate({ probe: ev }, { params: {}, facts: {} });
    expect(result.outcome).toBe('ok');
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/127\.0\.0\.2 refused/);
  });

  it('reaches a dual-stack name whose first address (::1) does not listen, as the TCP connect does', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'));
    const ev = await probeHttp({ target: target(`http://dual.test:${port}/`), count: 1, lookup: async () => ['::1', '127.0.0.1'] });
    expect(ev.attempts[0]).toMatchObject({ ip: '127.0.0.1', status: 200 });
    expect(ev.attempts[0].failedAddresses?.[0].ip).toBe('::1');
  });

  it('turns a reset before the response into no-response (RST), cleanly', async () => {
    const { port } = await startHttp((req) => req.socket.resetAndDestroy());
    const result = await check({ url: `http://127.0.0.1:${port}/` });
    expect(result.outcome).toBe('no-response');
    expect(result.summary).toMatch(/reset/);
  });

  it('flags malformed response headers and shows the bytes received', async () => {
    const { port } = await startRaw((socket: net.Socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nthis is not a header\r\n\r\nok'));
    });
    const result = await check({ url: `http://127.0.0.1:${port}/` });
    expect(result.outcome).toBe('malformed-response');
    expect(result.findings?.[0]).toMatchObject({ cause: 'malformed-response', confidence: 'likely' });
    expect(result.details?.join('\n')).toContain('this is not a header');
  });

  it('times out on a server that accepts and never answers', async () => {
    const { port } = await startRaw((socket: net.Socket) => {
      socket.on('error', () => {});
    });
    const ev = await probeHttp({ target: target(`http://127.0.0.1:${port}/`), count: 1, timeoutMs: 300 });
    expect(ev.attempts[0].error).toMatchObject({ code: 'TIMEOUT', phase: 'response' });
    const result = httpProbeCheck.evaluate({ probe: ev }, { params: {}, facts: {} });
    expect(result.outcome).toBe('timeout');
  });

  it('is unreachable, not a throw, on a refused port or a name that does not exist', async () => {
    const refused = await check({ url: `http://127.0.0.1:${await closedPort()}/` });
    expect(refused.outcome).toBe('unreachable');
    expect(refused.summary).toMatch(/refused/);
    const resolver = dns.resolver();
    const ev = await probeHttp({ target: target('http://missing.test/'), count: 1, lookup: (h) => resolver.resolve4(h) });
    expect(ev.attempts[0].error).toMatchObject({ code: 'ENOTFOUND', phase: 'dns' });
    expect(httpProbeCheck.evaluate({ probe: ev }, { params: {}, facts: {} }).outcome).toBe('unreachable');
  });

  it('stops when aborted', async () => {
    const { port } = await startRaw((socket: net.Socket) => {
      socket.on('error', () => {});
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const ev = await probeHttp({ target: target(`http://127.0.0.1:${port}/`), count: 3, signal: ac.signal, timeoutMs: 5000 });
    expect(ev.attempts).toHaveLength(1);
    expect(ev.attempts[0].error?.code).toBe('ABORT_ERR');
  });

  it('refuses a bad url or count with a next step', async () => {
    expect((await check({ url: 'ftp://x/' })).nextStep).toBeTruthy();
    expect((await check({ url: 'http://127.0.0.1/', count: '1000' })).summary).toMatch(/count must be a whole number from 1 to 100/);
  });
});
