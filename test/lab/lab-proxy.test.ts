import net from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startLabBackend, type LabBackend } from '../../src/lab/lab-backend.js';
import { ALB_502_BODY, startLabProxy, type LabProxy } from '../../src/lab/lab-proxy.js';
import { parseAccessLine } from '../../src/logs/access-record.js';
import { get, tempLog, until } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((c) => c()));
});

async function lab(backendKeepAliveMs: number, idleTimeoutMs: number, logPath?: string): Promise<{ backend: LabBackend; proxy: LabProxy }> {
  const backend = await startLabBackend({ keepAliveMs: backendKeepAliveMs });
  const proxy = await startLabProxy({ backend: { host: '127.0.0.1', port: backend.port }, idleTimeoutMs, logPath });
  cleanup.push(() => proxy.close(), () => backend.close());
  return { backend, proxy };
}

/** A backend that reads one request and then ends the connection its own way. */
async function rawBackend(onRequest: (s: net.Socket) => void): Promise<{ port: number; requests: () => number }> {
  let requests = 0;
  const server = net.createServer((s) => {
    s.on('data', (d: Buffer) => {
      if (!d.includes('\r\n\r\n')) return;
      requests++;
      onRequest(s);
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => sockets.add(s));
  cleanup.push(() => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return { port: (server.address() as net.AddressInfo).port, requests: () => requests };
}

describe('lab proxy', () => {
  it('answers one ALB 502 for a request sent on a pooled connection the backend closed, without retrying', async () => {
    const log = tempLog();
    const { backend, proxy } = await lab(50, 10_000, log);
    expect((await get(proxy.url)).status).toBe(200);
    await until(() => backend.closedIdle === 1, 'the backend to close the idle connection');

    const r = await get(`${proxy.url}/after-idle`);
    expect(r.status).toBe(502);
    expect(r.headers.server).toBe('awselb/2.0');
    expect(r.body).toBe(ALB_502_BODY);
    expect(backend.requests).toBe(1);
    expect(proxy.stats).toMatchObject({ responses502: 1, sentOnClosedConnection: 1, backendClosedWhileIdle: 1, connectionsReused: 1 });

    // The broken connection is gone: the next request opens a new one and is answered.
    expect((await get(proxy.url)).status).toBe(200);
    expect(backend.requests).toBe(2);
    expect(proxy.stats.connectionsOpened).toBe(2);

    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    const failed = parseAccessLine(lines[1]);
    expect(failed.ok && failed.record).toMatchObject({
      requestProcessingTime: -1, targetProcessingTime: -1, responseProcessingTime: -1,
      elbStatusCode: 502, targetStatusCode: null, target: `127.0.0.1:${backend.port}`, path: '/after-idle', errorReason: '-',
    });
    const ok = parseAccessLine(lines[0]);
    expect(ok.ok && ok.record).toMatchObject({ elbStatusCode: 200, targetStatusCode: 200, targetStatusCodeList: '200' });
    expect(ok.ok && ok.record.targetProcessingTime).toBeGreaterThanOrEqual(0);
  });

  it('closes idle pooled connections itself when its idle timeout comes first: no 502', async () => {
    const { backend, proxy } = await lab(10_000, 50);
    expect((await get(proxy.url)).status).toBe(200);
    await until(() => proxy.stats.closedByIdleTimeout === 1, 'the proxy idle timeout');
    expect((await get(proxy.url)).status).toBe(200);
    expect(backend.requests).toBe(2);
    expect(backend.closedIdle).toBe(0);
    expect(proxy.stats.responses502).toBe(0);
  });

  it('answers 502 once when the backend resets or closes the connection under the request', async () => {
    for (const end of [(s: net.Socket) => s.resetAndDestroy(), (s: net.Socket) => s.end()]) {
      const raw = await rawBackend(end);
      const proxy = await startLabProxy({ backend: { host: '127.0.0.1', port: raw.port }, idleTimeoutMs: 10_000 });
      cleanup.push(() => proxy.close());
      const r = await get(proxy.url);
      expect(r.status).toBe(502);
      expect(r.headers.server).toBe('awselb/2.0');
      expect(raw.requests()).toBe(1);
    }
  });

  it('forwards a chunked response as one plain body', async () => {
    const raw = await rawBackend((s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'));
    const proxy = await startLabProxy({ backend: { host: '127.0.0.1', port: raw.port }, idleTimeoutMs: 10_000 });
    cleanup.push(() => proxy.close());
    const r = await get(proxy.url);
    expect(r).toMatchObject({ status: 200, body: 'hello world' });
    expect(r.headers['content-length']).toBe('11');
  });

  it('answers 502 when nothing listens on the backend port', async () => {
    const raw = await rawBackend(() => undefined);
    const port = raw.port;
    await Promise.all(cleanup.splice(0).map((c) => c()));
    const proxy = await startLabProxy({ backend: { host: '127.0.0.1', port }, idleTimeoutMs: 10_000 });
    cleanup.push(() => proxy.close());
    expect((await get(proxy.url)).status).toBe(502);
  });
});
