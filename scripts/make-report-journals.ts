// Regenerates the journals the postmortem snapshot tests read (test/fixtures/journals/) by
// driving the real headless walker: two replays of the recorded incidents in flows/recordings/,
// and one live run against a local HTTP server with a local ALB access log.
//   node --import tsx scripts/make-report-journals.ts
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { albLine } from '../test/logs/fixtures.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test/fixtures/journals');
const state = mkdtempSync(join(tmpdir(), 'badgate-journals-'));

/** Async, so a server in this process keeps answering while the walker probes it. */
async function check(name: string, args: string[]): Promise<void> {
  const before = new Set(readdirSync(join(state, 'sessions')));
  const code = await new Promise<number>((ok) => {
    const child = execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), 'check', 'alb', ...args], {
      cwd: ROOT,
      env: { ...process.env, BADGATE_STATE_DIR: state, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_REGION: '', AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' },
    }, (err, _out, stderr) => {
      if (err && Number((err as { code?: number }).code) !== 1) process.stderr.write(stderr);
      ok(err ? Number((err as { code?: number }).code ?? 1) : 0);
    });
    child.stdin?.end();
  });
  // Exit 1 means causes were found: that is the point of these runs.
  if (code > 1) throw new Error(`${name}: check exited ${code}`);
  const made = readdirSync(join(state, 'sessions')).filter((f) => !before.has(f));
  if (made.length !== 1) throw new Error(`${name}: expected one new session, got ${made.join(', ')}`);
  copyFileSync(join(state, 'sessions', made[0]), join(OUT, `${name}.jsonl`));
  console.log(`${name}.jsonl ← ${made[0]}`);
}

const answers = (a: Record<string, string>) => Object.entries(a).flatMap(([k, v]) => ['--answer', `${k}=${v}`]);

execFileSync('mkdir', ['-p', join(state, 'sessions')]);

// keepalive-race.jsonl is older: the same replay with these answers, plus a note typed at
// intake-change (notes have no --answer), which the escaping tests rely on.
//   --replay flows/recordings/alb-keepalive-race.json intake-pattern=intermittent ka-server=node
//   ka-node-version=20 ka-verdict=race wrap-emergency=fixed-config wrap-verify=resolved

await check('sg-blocked', ['--replay', 'flows/recordings/alb-sg-blocked.json', ...answers({
  'intake-title': 'Orders API down: every request 502', 'intake-started': '25m ago', 'intake-pattern': 'all', 'intake-change': 'config',
  'wrap-emergency': 'fixed-config', 'wrap-verify': 'resolved',
})]);

await check('still-failing', ['--replay', 'flows/recordings/alb-keepalive-race.json', ...answers({
  'intake-title': 'Sporadic 502 on the storefront', 'intake-started': '2h ago', 'intake-pattern': 'all',
  'ka-server': 'other', 'ka-verdict': 'unsure', 'wrap-emergency': 'none', 'wrap-verify': 'ongoing',
})]);

// Target-generated: the app's own 502s pass through the ALB (elb_status 502 = target_status 502).
// The page is nginx's stock 502 (nginx src/http/ngx_http_special_response.c), as an inner proxy sends it.
const server = createServer((_q, r) => {
  r.writeHead(502, { server: 'nginx/1.24.0', 'content-type': 'text/html' });
  r.end('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n');
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/orders`;
const now = Date.now();
const t = (msAgo: number) => new Date(now - msAgo).toISOString().replace('Z', '000Z');
const lines: string[] = [];
// 1000 requests over 40 minutes; 24 of them (2.4 %) answered 502 by one target on /api/orders.
for (let i = 0; i < 1000; i++) {
  const ago = 40 * 60_000 - i * 2_400;
  const bad = i % 41 === 7 && lines.filter((l) => l.includes(' 502 502 ')).length < 24;
  lines.push(albLine({
    time: t(ago), created: t(ago + 20),
    target: bad ? '10.0.1.12:8080' : i % 2 ? '10.0.1.12:8080' : '10.0.2.31:8080',
    timings: bad ? '0.000 0.012 0.000' : '0.000 0.004 0.000', elb: bad ? '502' : '200', tstat: bad ? '502' : '200',
    path: bad || i % 3 === 0 ? '/api/orders' : '/api/cart',
  }));
}
const logFile = join(state, 'alb-target-502.log');
writeFileSync(logFile, `${lines.join('\n')}\n`);
await check('target-generated', ['--url', url, ...answers({
  'intake-title': "Orders: some 502s since this morning's release", 'intake-started': '40m ago', 'intake-pattern': 'some-paths', 'intake-change': 'deploy',
  'logs-source': logFile, 'wrap-emergency': 'rolled-back', 'wrap-verify': 'resolved',
})]);
server.close();
