import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsCheck } from '../../src/checks/net-tls.js';
import type { CheckContext } from '../../src/checks/types.js';
import { probeTls } from '../../src/net/tls-probe.js';
import { makeCerts, type KeyPair } from './helpers/certs.js';
import { closeAll, closedPort, startRaw } from './helpers/servers.js';
import { testContext } from '../helpers/check-context.js';

let certs: ReturnType<typeof makeCerts>;
const servers: tls.Server[] = [];

beforeAll(() => {
  certs = makeCerts();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await closeAll();
  certs.cleanup();
});

async function tlsServer(pair: KeyPair, options: tls.TlsOptions = {}): Promise<number> {
  const server = tls.createServer({ ...pair, ...options }, (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
  server.on('tlsClientError', () => {});
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function ctx(params: Record<string, string>): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

async function check(params: Record<string, string>) {
  return tlsCheck.evaluate(await tlsCheck.collect(ctx(params)), ctx(params));
}

describe('net.tls against local TLS servers', () => {
  it('ok for a certificate from a trusted CA that covers the name', async () => {
    const port = await tlsServer(certs.trusted);
    const ev = await probeTls({ host: '127.0.0.1', port, servername: 'localhost', ca: certs.ca.cert });
    expect(ev.authorized).toBe(true);
    expect(ev.chain?.[0].subject).toBe('localhost');
    const result = tlsCheck.evaluate({ tls: ev }, { params: {}, facts: {} });
    expect(result.outcome).toBe('ok');
    expect(result.facts?.['tls.protocol']).toMatch(/^TLSv1\.[23]$/);
    expect(Date.parse(String(result.facts?.['tls.expiresAt']))).toBeGreaterThan(Date.now());
  });

  it('expired for a certificate whose notAfter is in the past', async () => {
    const port = await tlsServer(certs.expired);
    const result = await check({ host: '127.0.0.1', port: String(port), servername: 'localhost' });
    expect(result.outcome).toBe('expired');
    expect(result.facts?.['tls.expiresAt']).toBe('2020-02-01T00:00:00.000Z');
    expect(result.findings?.[0]).toMatchObject({ cause: 'origin-tls-mismatch', confidence: 'likely' });
  });

  it('name-mismatch when the certificate does not cover the name the gateway sends', async () => {
    const port = await tlsServer(certs.mismatched);
    const result = await check({ host: '127.0.0.1', port: String(port), servername: 'localhost' });
    expect(result.outcome).toBe('name-mismatch');
    expect(result.summary).toContain('DNS:wrong.example');
    // The same server checked for the name it was issued to is no longer a mismatch.
    const right = await check({ host: '127.0.0.1', port: String(port), servername: 'wrong.example' });
    expect(right.outcome).toBe('untrusted');
  });

  it('untrusted for a self-signed certificate that covers the name', async () => {
    const port = await tlsServer(certs.selfSigned);
    const result = await check({ host: `https://localhost:${port}/` });
    expect(result.outcome).toBe('untrusted');
    expect(result.summary).toMatch(/SELF_SIGNED|self-signed|self signed/i);
  });

  it('handshake-failed when the port speaks plain HTTP, or no protocol is shared', async () => {
    const { port } = await startRaw((socket: net.Socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    const plain = await check({ host: '127.0.0.1', port: String(port) });
    expect(plain.outcome).toBe('handshake-failed');
    expect(plain.findings?.map((f) => f.cause).sort()).toEqual(['origin-tls-mismatch', 'target-tls-handshake']);

    // A server stuck on TLS 1.1 shares no protocol with a modern client (CloudFront wants 1.2+ too).
    const old = await tlsServer(certs.trusted, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
    const noCommon = await check({ host: '127.0.0.1', port: String(old), servername: 'localhost' });
    expect(noCommon.outcome).toBe('handshake-failed');
    expect(noCommon.summary).toMatch(/protocol|alert|version/i);
  });

  it('unknown with a next step, not a TLS verdict, when the port is closed', async () => {
    const result = await check({ host: '127.0.0.1', port: String(await closedPort()) });
    expect(result.outcome).toBe('unknown');
    expect(result.nextStep).toMatch(/net.tcp-connect/);
  });
});
