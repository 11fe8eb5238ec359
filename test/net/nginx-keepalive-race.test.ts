import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCliAsync } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';
import { nginxScratchHead, requireServer, startNginxWith, versionOf } from './helpers/real-servers.js';

/**
 * The keep-alive race behind a real nginx (Debian's package, started here on 127.0.0.1 with a
 * scratch prefix): nginx pools connections to an upstream that closes idle ones at 2 s, reuses
 * one just as the upstream drops it, and answers the POST with 502 while it quietly retries
 * the GET. Then `badgate check nginx` reads that nginx's `nginx -T` and error log and measures
 * the upstream, and must name the keep-alive race.
 */
const IDLE_MS = 2000;
/**
 * In life the race window is the moment between the upstream's close and nginx noticing it;
 * this upstream widens it to the last 500 ms before its idle close, so the test is
 * deterministic: a request arriving then is answered as a closed socket answers it, with RST.
 */
const RACE_WINDOW_MS = 500;
const REUSE_AFTER_MS = 1700;

/** An HTTP/1.1 upstream that closes idle keep-alive connections after IDLE_MS, as Node's keepAliveTimeout does. */
function closingUpstream(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let idleSince = Date.now();
    let timer = setTimeout(() => socket.end(), IDLE_MS);
    socket.on('error', () => {});
    socket.on('close', () => clearTimeout(timer));
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        clearTimeout(timer);
        if (Date.now() - idleSince >= IDLE_MS - RACE_WINDOW_MS) {
          socket.resetAndDestroy();
          return;
        }
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nKeep-Alive: timeout=2\r\n\r\nok\n');
        idleSince = Date.now();
        timer = setTimeout(() => socket.end(), IDLE_MS);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function request(port: number, method: 'GET' | 'POST'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = method === 'POST' ? 'item=42&qty=1' : '';
    const req = http.request({
      host: '127.0.0.1', port, method, path: '/cart', agent: false,
      headers: { Host: 'shop.example.com', Connection: 'close', ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { available, reason } = requireServer('nginx');
if (!available) console.warn(`skipping the real nginx keep-alive race test: ${reason}`);

describe.skipIf(!available)(`keep-alive race behind real nginx (${available ? versionOf('nginx') : 'missing'})`, () => {
  let upstream: net.Server;
  let nginx: Awaited<ReturnType<typeof startNginxWith>>;
  let upstreamPort: number;
  const work = mkdtempSync(join(tmpdir(), 'badgate-nginx-race-'));

  beforeAll(async () => {
    upstream = await closingUpstream();
    upstreamPort = (upstream.address() as AddressInfo).port;
    nginx = await startNginxWith((dir, port) => [
      ...nginxScratchHead(dir, 'error'),
      '  upstream shop_app {',
      `    server 127.0.0.1:${upstreamPort};`,
      '    keepalive 8;',
      '    keepalive_timeout 75s;',
      '  }',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    server_name shop.example.com;',
      '    location / {',
      '      proxy_pass http://shop_app;',
      '      proxy_http_version 1.1;',
      '      proxy_set_header Connection "";',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'));
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
  });

  it('a POST on a pooled connection the upstream is closing gets nginx\'s 502; a GET is retried and gets 200', async () => {
    expect((await request(nginx.port, 'GET')).status).toBe(200);
    await sleep(REUSE_AFTER_MS);
    const post = await request(nginx.port, 'POST');
    expect(post.status, nginx.output()).toBe(502);
    expect(post.body).toContain('<center><h1>502 Bad Gateway</h1></center>');

    expect((await request(nginx.port, 'GET')).status).toBe(200);
    await sleep(REUSE_AFTER_MS);
    // Same race on a GET: nginx tries again on a fresh connection (a failure on a cached one grants an extra try).
    expect((await request(nginx.port, 'GET')).status).toBe(200);

    const log = readFileSync(nginx.errorLog, 'utf8');
    const races = log.split('\n').filter((l) => l.includes('recv() failed (104: Connection reset by peer) while reading response header from upstream'));
    expect(races.map((l) => /request: "(\w+) /.exec(l)?.[1]), log).toEqual(['POST', 'GET']);
    expect(races[0]).toContain(`upstream: "http://127.0.0.1:${upstreamPort}/cart"`);
  }, 30_000);

  /** What a responder saves on the nginx host: `nginx -v; nginx -T` with stderr, as the flow asks. */
  function saveDump(): string {
    const v = spawnSync(nginx.bin, ['-v'], { encoding: 'utf8' });
    const t = spawnSync(nginx.bin, ['-T', '-p', nginx.dir, '-c', nginx.conf, '-e', nginx.errorLog], { encoding: 'utf8' });
    expect(t.status, t.stderr).toBe(0);
    const dump = join(work, 'nginx-T.txt');
    writeFileSync(dump, `${v.stderr}${t.stderr}${t.stdout}`);
    return dump;
  }

  it('`badgate check nginx` on that nginx\'s `nginx -T` and error log reaches the keep-alive race, measured', async () => {
    const dump = saveDump();
    expect(readFileSync(dump, 'utf8')).toMatch(/^nginx version: nginx\/\d+\.\d+\.\d+\n[\s\S]*# configuration file .*nginx\.conf:\n/);

    const r = await runCliAsync(['check', 'nginx', '--json', '--config', dump, '--error-log', nginx.errorLog], { BADGATE_STATE_DIR: join(work, 'state') });
    expect(r.code, r.err).toBe(1);
    const out = JSON.parse(r.out) as {
      flow: string; target: { mode: string };
      checks: { id: string; outcome: string; summary: string }[];
      causes: { id: string; confidence: string; evidence: { text: string; strength: string; source: string }[] }[];
    };
    expect(out.flow).toBe('nginx');
    const outcome = (id: string) => out.checks.find((c) => c.id === id)?.outcome;
    expect(outcome('nginx.upstream-config')).toBe('keepalive-on');
    expect(out.checks.find((c) => c.id === 'nginx.upstream-config')?.summary).toMatch(/up to 75 s/);
    expect(outcome('logs.nginx-error')).toBe('reset');
    expect(outcome('net.keepalive')).toBe('race');
    expect(out.causes[0]).toMatchObject({ id: 'keepalive-race', confidence: 'confirmed' });
    const evidence = out.causes[0].evidence.map((e) => `${e.source}: ${e.text}`).join('\n');
    expect(evidence).toMatch(/net\.keepalive: measured backend keep-alive (?:1\.9\d|2\.\d\d) s \(closed by FIN\) vs gateway idle timeout 75 s/);
    expect(evidence).toMatch(/logs\.nginx-error/);
    // No AWS call is made for nginx.
    expect(r.err).toMatch(/Local checks only/);
  }, 120_000);

  const tmux = existsSync(BIN) && Tmux.available();
  it.skipIf(!tmux && !process.env.CI)('`badgate run nginx --config … --error-log …` in a terminal reaches the race and writes it in the postmortem', async () => {
    expect(tmux, 'needs dist/cli.js (npm test builds it) and tmux').toBe(true);
    const dump = saveDump();
    const report = join(work, 'postmortem.md');
    const t = new Tmux(`bg-nginx-${process.pid}`);
    try {
      t.start(`cd ${ROOT} && BADGATE_STATE_DIR=${join(work, 'state-run')} NO_COLOR=1 node ${BIN} run nginx --config ${dump} --error-log ${nginx.errorLog} --out ${report}`, 100, 50);
      await t.waitFor('? Incident title');
      t.type('Checkout POSTs get 502');
      await t.waitFor('? When it started');
      t.type('10m ago');
      await t.waitFor('? Affected URL');
      t.type('');
      await t.waitFor('? Which nginx');
      t.type('1');
      await t.waitFor('? Which requests fail');
      t.type('3');
      await t.waitFor('? Recent change');
      t.type('4');
      // The config and the error log were given: no question for them, both checks run.
      await t.waitFor('▶ Which methods get the 502', 30_000);
      t.type('1');
      await t.waitFor('? Probe the upstream from the config');
      expect(t.screen()).toContain(`http://127.0.0.1:${upstreamPort}/`);
      t.type('1');
      await t.waitFor('▶ Keep-alive race?', 30_000);
      t.type('1');
      await t.waitFor('▶ Ask the backend directly');
      t.type('3');
      await t.waitFor('▶ Process state and resources');
      t.type('3');
      await t.waitFor('▶ Response shape and header size');
      t.type('3');
      await t.waitFor('▶ Emergency moves');
      t.type('1');
      await t.waitFor('▶ Verify');
      t.type('1');
      await t.waitFor('Postmortem written to', 30_000);
      t.type('');
    } finally {
      t.kill();
    }
    const md = readFileSync(report, 'utf8');
    expect(md).toMatch(/### Backend closes idle keep-alive connections before the gateway does \(keepalive-race\): confirmed/);
    expect(md).toMatch(/measured backend keep-alive (?:1\.9\d|2\.\d\d) s \(closed by FIN\) vs gateway idle timeout 75 s/);
  }, 120_000);
});
