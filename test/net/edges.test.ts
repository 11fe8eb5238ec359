import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbeCommand, type ProbeReport } from '../../src/commands/probe.js';
import { httpProbeCheck } from '../../src/checks/net-http-probe.js';
import { tlsCheck } from '../../src/checks/net-tls.js';
import type { CheckContext } from '../../src/checks/types.js';
import { probeHttp } from '../../src/net/http-probe.js';
import { parseTarget, type ProbeTarget } from '../../src/net/target.js';
import { makeCerts } from './helpers/certs.js';
import { closeAll, startHttp, startRaw } from './helpers/servers.js';
import { testContext } from '../helpers/check-context.js';

/** One test per edge the probe got wrong; each failed before its fix. */
let certs: ReturnType<typeof makeCerts>;
const tlsServers: tls.Server[] = [];
beforeAll(() => {
  certs = makeCerts();
});
afterAll(async () => {
  for (const s of tlsServers) s.close();
  await closeAll();
  certs.cleanup();
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

const base = { keepalive: false, count: 1, json: false };

function target(url: string): ProbeTarget {
  const t = parseTarget(url);
  if (!t.ok) throw new Error(t.error);
  return t.target;
}

function ctx(params: Record<string, string>): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

async function listenTls(server: tls.Server): Promise<number> {
  server.on('tlsClientError', () => {});
  tlsServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('probe command limits', () => {
  it('runs the keep-alive check for an --idle-timeout above 885 s instead of skipping it', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'), (s) => {
      s.keepAliveTimeout = 200;
    });
    const c = capture();
    const code = await runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/`, keepalive: true, idleTimeoutSeconds: 890, json: true }, c.io);
    const report = JSON.parse(c.out.join('\n')) as ProbeReport;
    expect(report.checks.find((x) => x.id === 'net.keepalive')).toMatchObject({ outcome: 'race' });
    expect(code).toBe(1);
    expect(c.err[0]).toMatch(/held idle for at most 905 s/);
  });

  it('refuses an --idle-timeout below 1 s, as its message says', async () => {
    const c = capture();
    expect(await runProbeCommand({ ...base, url: 'http://127.0.0.1:8080/', idleTimeoutSeconds: 0.5 }, c.io)).toBe(2);
    expect(c.err[0]).toMatch(/--idle-timeout must be seconds from 1 to 4000/);
  });

  it('refuses port 0', async () => {
    expect(parseTarget('http://127.0.0.1:0/').ok).toBe(false);
    const c = capture();
    expect(await runProbeCommand({ ...base, url: 'http://127.0.0.1:0/' }, c.io)).toBe(2);
    expect(c.err[0]).toMatch(/port 0 is out of range/);
  });

  it('exits 130 and says interrupted on Ctrl+C during the keep-alive wait, never "nothing wrong found"', async () => {
    const { port } = await startHttp((_q, res) => res.end('ok'), (s) => {
      s.keepAliveTimeout = 60_000;
    });
    const ac = new AbortController();
    const c = capture();
    const running = runProbeCommand({ ...base, url: `http://127.0.0.1:${port}/`, keepalive: true, idleTimeoutSeconds: 30, signal: ac.signal }, {
      out: c.io.out,
      err: (s) => {
        c.io.err(s);
        // Abort once the keep-alive wait has begun.
        if (/waiting for the server to close|keep-alive probe of/.test(s)) setTimeout(() => ac.abort(), 100);
      },
    });
    const code = await running;
    expect(code).toBe(130);
    expect(c.err.join('\n')).toMatch(/interrupted/);
    expect(c.out.join('\n')).not.toMatch(/nothing wrong found/);
  });

  it('strips user:pass@ from the target, the JSON and the request', async () => {
    let auth: string | undefined;
    const { port } = await startHttp((q, res) => {
      auth = q.headers.authorization;
      res.end('ok');
    });
    const c = capture();
    await runProbeCommand({ ...base, url: `http://admin:s3cret@127.0.0.1:${port}/health`, json: true }, c.io);
    const text = c.out.join('\n');
    expect(text).not.toMatch(/s3cret|admin@/);
    expect((JSON.parse(text) as ProbeReport).target).toBe(`http://127.0.0.1:${port}/health`);
    expect(c.err.join('\n')).toMatch(/user:password in the URL was removed/);
    expect(auth).toBeUndefined();
  });
});

describe('http probe bounds', () => {
  it('stops --count N against a silent backend after two timeouts, saying so', async () => {
    const { port } = await startRaw((s: net.Socket) => s.on('error', () => {}));
    const ev = await probeHttp({ target: target(`http://127.0.0.1:${port}/`), count: 10, timeoutMs: 200 });
    expect(ev.attempts).toHaveLength(2);
    expect(ev.stopped).toMatchObject({ reason: 'silent', notSent: 8 });
    const result = httpProbeCheck.evaluate({ probe: ev }, { params: {}, facts: {} });
    expect(result.outcome).toBe('timeout');
    expect(result.details?.join('\n')).toMatch(/stayed silent twice in a row; 8 more/);
  });

  it('bounds all requests together', async () => {
    const { port } = await startHttp((_q, res) => {
      setTimeout(() => res.end('slow'), 150);
    });
    const ev = await probeHttp({ target: target(`http://127.0.0.1:${port}/`), count: 50, timeoutMs: 1000, totalTimeoutMs: 1200 });
    expect(ev.attempts.length).toBeLessThan(50);
    expect(ev.stopped?.reason).toBe('budget');
  });

  it('reports plain HTTP sent to an HTTPS port (nginx 400, captured from nginx 1.22.1)', async () => {
    const raw = readFileSync(new URL('../fixtures/net/fingerprint/captured/nginx-plain-http-to-https-400.txt', import.meta.url));
    const { port } = await startRaw((s: net.Socket) => {
      s.on('error', () => {});
      s.once('data', () => s.end(raw));
    });
    const params = { url: `http://127.0.0.1:${port}/` };
    const result = httpProbeCheck.evaluate(await httpProbeCheck.collect(ctx(params)), ctx(params));
    expect(result.outcome).toBe('plain-http-to-https');
    expect(result.status).toBe('fail');
    expect(result.nextStep).toMatch(/https:\/\/127\.0\.0\.1:\d+\//);
  });
});

describe('TLS messages and options', () => {
  it('says a TLS 1.0-only server is too old, not raw OpenSSL text', async () => {
    const port = await listenTls(tls.createServer({ ...certs.trusted, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }));
    const params = { host: '127.0.0.1', port: String(port) };
    const result = tlsCheck.evaluate(await tlsCheck.collect(ctx(params)), ctx(params));
    expect(result.outcome).toBe('handshake-failed');
    expect(result.summary).toMatch(/TLS 1\.0\/1\.1/);
    expect(result.summary).not.toMatch(/SSL routines|error:0A|\.c:\d+/);
    expect(result.nextStep).toMatch(/TLS 1\.2/);
  });

  it('says an SNI-only server needs --sni when an IP address was probed', async () => {
    // What nginx `ssl_reject_handshake on` sends to a ClientHello without a known name: a fatal unrecognized_name alert.
    const { port } = await startRaw((s: net.Socket) => {
      s.on('error', () => {});
      s.once('data', () => s.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70])));
    });
    const params = { host: '127.0.0.1', port: String(port) };
    const result = tlsCheck.evaluate(await tlsCheck.collect(ctx(params)), ctx(params));
    expect(result.outcome).toBe('handshake-failed');
    expect(result.summary).not.toMatch(/SSL routines|error:0A|\.c:\d+/);
    expect(result.summary).toMatch(/SNI/);
    expect(result.nextStep).toMatch(/--sni/);
  });

  it('--sni and --ca-file reach the TLS check, the HTTPS request and the keep-alive probe', async () => {
    // SNICallback runs on each ClientHello that names a server: one per connection that sent SNI.
    const seen: string[] = [];
    const server = https.createServer(
      { ...certs.trusted, SNICallback: (name, cb) => { seen.push(name); cb(null, tls.createSecureContext(certs.trusted)); } },
      (_q: http.IncomingMessage, res: http.ServerResponse) => res.end('ok'),
    );
    server.keepAliveTimeout = 200;
    const port = await listenTls(server);
    const caFile = join(tmpdir(), `badgate-ca-${process.pid}.pem`);
    writeFileSync(caFile, certs.ca.cert);
    const c = capture();
    const code = await runProbeCommand({ ...base, url: `https://127.0.0.1:${port}/`, sni: 'localhost', caFile, json: true, keepalive: true, idleTimeoutSeconds: 2 }, c.io);
    const report = JSON.parse(c.out.join('\n')) as ProbeReport;
    expect(report.checks.find((x) => x.id === 'net.tls')).toMatchObject({ outcome: 'ok' });
    expect(report.checks.find((x) => x.id === 'net.tls')?.summary).toMatch(/valid for localhost/);
    expect(report.checks.find((x) => x.id === 'net.keepalive')).toMatchObject({ outcome: 'race' });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set(['localhost']));
    expect(code).toBe(1);
  });

  it('refuses --sni and --ca-file on an http:// URL', async () => {
    const c = capture();
    expect(await runProbeCommand({ ...base, url: 'http://127.0.0.1:8080/', sni: 'localhost' }, c.io)).toBe(2);
    expect(c.err[0]).toMatch(/only apply to https/);
  });
});
