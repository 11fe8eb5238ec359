// An AWS endpoint that accepts connections and never answers must not hang a run.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

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

const badgate = (args: string[]) => runCliAsync(args, {
  BADGATE_STATE_DIR: mkdtempSync(join(tmpdir(), 'badgate-hang-')), AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_REGION: 'us-east-1',
});

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
