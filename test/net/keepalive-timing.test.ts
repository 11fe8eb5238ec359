import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureKeepAlive } from '../../src/net/keepalive-probe.js';
import { parseTarget, type ProbeTarget } from '../../src/net/target.js';
import { closeAll, recordServerIdle, startHttp } from './helpers/servers.js';
import { makeCerts } from './helpers/certs.js';

let certs: ReturnType<typeof makeCerts>;
let tlsServer: https.Server | undefined;
beforeAll(() => {
  certs = makeCerts();
});
afterAll(async () => {
  tlsServer?.closeAllConnections();
  await new Promise((r) => (tlsServer ? tlsServer.close(r) : r(undefined)));
  await closeAll();
  certs.cleanup();
});

function target(port: number): ProbeTarget {
  const t = parseTarget(`http://127.0.0.1:${port}/`);
  if (!t.ok) throw new Error(t.error);
  return t.target;
}

/**
 * Node 20 destroys an idle keep-alive socket at keepAliveTimeout plus a buffer:
 * `server.keepAliveTimeoutBuffer` where it exists (set to 0 here), else a hard-coded 1 s.
 */
async function nodeServer(keepAliveTimeout: number): Promise<{ port: number; serverIdle: number[]; expectedMs: number }> {
  let buffer = 1000;
  const { port, server } = await startHttp((_req, res) => res.end('hello'), (s) => {
    s.keepAliveTimeout = keepAliveTimeout;
    if ('keepAliveTimeoutBuffer' in s) {
      (s as http.Server & { keepAliveTimeoutBuffer: number }).keepAliveTimeoutBuffer = 0;
      buffer = 0;
    }
  });
  return { port, serverIdle: recordServerIdle(server), expectedMs: keepAliveTimeout + buffer };
}

async function serverSaw(idle: number[]): Promise<number> {
  for (let i = 0; i < 50 && !idle.length; i++) await new Promise((r) => setTimeout(r, 10));
  return idle[0];
}

describe.concurrent('keep-alive probe against real Node servers', () => {
  it('measures a 500 ms keepAliveTimeout server within 10% of when it really closes (FIN)', async () => {
    const s = await nodeServer(500);
    const ev = await measureKeepAlive({ target: target(s.port), maxWaitMs: 5000 });
    expect(ev.result).toBe('closed');
    expect(ev.closedBy).toBe('fin');
    const truth = await serverSaw(s.serverIdle);
    expect(Math.abs((ev.idleMs ?? 0) - truth)).toBeLessThanOrEqual(truth * 0.1);
    expect(Math.abs((ev.idleMs ?? 0) - s.expectedMs)).toBeLessThanOrEqual(s.expectedMs * 0.1);
    expect(ev.response?.status).toBe(200);
  });

  it('measures a 3000 ms keepAliveTimeout server within 10%', async () => {
    const s = await nodeServer(3000);
    const ev = await measureKeepAlive({ target: target(s.port), maxWaitMs: 8000 });
    expect(ev.result).toBe('closed');
    const truth = await serverSaw(s.serverIdle);
    expect(Math.abs((ev.idleMs ?? 0) - truth)).toBeLessThanOrEqual(truth * 0.1);
    expect(Math.abs((ev.idleMs ?? 0) - s.expectedMs)).toBeLessThanOrEqual(s.expectedMs * 0.1);
    expect(ev.response?.keepAlive).toBe('timeout=3');
  });

  it('tells a reset (RST) from a FIN and times it', async () => {
    const { port } = await startHttp((req, res) => {
      res.on('finish', () => setTimeout(() => req.socket.resetAndDestroy(), 800));
      res.end('bye soon');
    }, (s) => {
      s.keepAliveTimeout = 0; // never closes by itself; the handler resets instead
    });
    const ev = await measureKeepAlive({ target: target(port), maxWaitMs: 5000 });
    expect(ev.result).toBe('closed');
    expect(ev.closedBy).toBe('rst');
    expect(Math.abs((ev.idleMs ?? 0) - 800)).toBeLessThanOrEqual(80);
  });

  it('stops at the max wait and reports the connection still open', async () => {
    const s = await nodeServer(3000);
    const ticks: number[] = [];
    const ev = await measureKeepAlive({ target: target(s.port), maxWaitMs: 700, tickMs: 200, onTick: (e) => ticks.push(e) });
    expect(ev.result).toBe('still-open');
    expect(ev.idleMs).toBeGreaterThanOrEqual(650);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
  });

  it('measures over TLS too (https target)', async () => {
    tlsServer = https.createServer({ ...certs.selfSigned }, (_req, res) => res.end('secure'));
    tlsServer.keepAliveTimeout = 300;
    const serverIdle = recordServerIdle(tlsServer);
    await new Promise<void>((resolve) => tlsServer?.listen(0, '127.0.0.1', resolve));
    const { port } = tlsServer.address() as AddressInfo;
    const t = parseTarget(`https://localhost:${port}/`);
    if (!t.ok) throw new Error(t.error);
    const ev = await measureKeepAlive({ target: t.target, maxWaitMs: 5000 });
    expect(ev.result).toBe('closed');
    const truth = await serverSaw(serverIdle);
    expect(Math.abs((ev.idleMs ?? 0) - truth)).toBeLessThanOrEqual(truth * 0.1);
  });
});
