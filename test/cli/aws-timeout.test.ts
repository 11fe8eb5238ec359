// An AWS endpoint that accepts connections and never answers must not hang a run.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let server: Server;
const sockets: Socket[] = [];
let endpoint: string;

beforeAll(async () => {
  // Accepts, reads, never writes a byte back.
  server = createServer((s) => { sockets.push(s); s.on('data', () => {}); });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((ok) => server.close(() => ok()));
});

function badgate(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, BADGATE_STATE_DIR: mkdtempSync(join(tmpdir(), 'badgate-hang-')), AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_REGION: 'us-east-1', AWS_PROFILE: '', NO_COLOR: '1' },
    }, (err, out, stderr) => ok({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: stderr }));
  });
}

describe('AWS request timeouts', () => {
  it('check against a silent endpoint ends, says it could not reach AWS and what to do, and exits 3', async () => {
    const r = await badgate(['check', 'alb', '--lb', 'shop', '--json', '--aws-timeout', '1']);
    expect(r.err).toMatch(/AWS checks off: Could not reach the AWS endpoint http:\/\/127\.0\.0\.1:\d+ \((TimeoutError|ETIMEDOUT|RequestTimeout)\).*Next: check AWS_ENDPOINT_URL/);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.out) as { couldNotCheck: { id: string; summary: string; nextStep?: string }[] };
    const health = j.couldNotCheck.find((c) => c.id === 'elbv2.target-group-config');
    // Every AWS check carries the real reason, not a generic "not configured".
    expect(health?.summary).toMatch(/AWS is off for this run: Could not reach the AWS endpoint/);
    expect(health?.nextStep).toMatch(/AWS_ENDPOINT_URL/);
    expect(r.err + r.out).not.toContain('wJalrXUtnFEMI');
  }, 120_000);

  it('--aws-timeout outside 1-600 seconds is a usage error', async () => {
    const r = await badgate(['check', 'alb', '--aws-timeout', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--aws-timeout must be seconds from 1 to 600');
  });
});
