/**
 * Captures the real error responses of the reverse proxies installed here into
 * test/fixtures/net/fingerprint/captured/. Run by hand (not by the test suite):
 *   node --import tsx test/net/capture-fingerprints.ts [server…]
 * and commit the files with the versions it writes to captured/VERSIONS.txt.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ALB_502_BODY } from './helpers/servers.js';
import { findBinary, freePort, rawGet, startProxy, versionOf, type RealServer } from './helpers/real-servers.js';

const OUT = new URL('../fixtures/net/fingerprint/captured/', import.meta.url);

type Behaviour = 'closed' | 'hangup' | 'garbage' | 'silent' | 'app-json-502' | 'alb-502';

/** What the upstream behind the proxy does, one per scenario. */
async function upstream(b: Behaviour): Promise<{ port: number; close(): void }> {
  if (b === 'closed') return { port: await freePort(), close: () => {} };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('data', () => {
      if (b === 'hangup') s.destroy();
      else if (b === 'garbage') s.end('HELLO THIS IS NOT HTTP\r\n\r\n');
      else if (b === 'app-json-502') {
        const body = '{"error":"payment service unavailable","code":"UPSTREAM_DOWN"}';
        s.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nX-Powered-By: Express\r\nConnection: close\r\n\r\n${body}`);
      } else if (b === 'alb-502') {
        s.end(`HTTP/1.1 502 Bad Gateway\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(ALB_502_BODY)}\r\nConnection: close\r\n\r\n${ALB_502_BODY}`);
      }
      // silent: read the request, never answer
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

const SCENARIOS: Behaviour[] = ['closed', 'hangup', 'garbage', 'silent', 'app-json-502', 'alb-502'];
const ALL: RealServer[] = ['nginx', 'apache2', 'haproxy', 'lighttpd', 'varnish', 'caddy'];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const wanted = (process.argv.slice(2) as RealServer[]).filter((s) => ALL.includes(s));
  const versions: string[] = [];
  for (const server of wanted.length ? wanted : ALL) {
    if (!findBinary(server)) {
      console.log(`${server}: not installed, skipped`);
      continue;
    }
    versions.push(`${server}: ${versionOf(server)}`);
    for (const b of SCENARIOS) {
      const up = await upstream(b);
      const proxy = await startProxy(server, { upstreamPort: up.port, keepAliveSeconds: 3, upstreamTimeoutSeconds: 2 });
      try {
        const raw = await rawGet(proxy.port).catch((e: Error) => `(no response: ${e.message})`);
        const status = /^HTTP\/[\d.]+ (\d{3})/.exec(raw)?.[1] ?? 'none';
        const file = `${server}-${b}-${status}.txt`;
        writeFileSync(new URL(file, OUT), raw, 'latin1');
        console.log(`${file}: ${raw.length} bytes`);
      } finally {
        await proxy.stop();
        up.close();
      }
    }
  }
  // Keep the lines of servers not captured in this run.
  const file = new URL('VERSIONS.txt', OUT);
  const done = new Set(versions.map((v) => v.split(':')[0]));
  const kept = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l && !done.has(l.split(':')[0])) : [];
  writeFileSync(file, `${[...kept, ...versions].sort().join('\n')}\n`);
}

await main();
