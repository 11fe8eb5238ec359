// `badgate check cloudfront` end to end: the built binary against moto over HTTP, with a real
// TLS server on 127.0.0.1 standing in for the origin.
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { describeMoto, newAccount, type MotoAccount } from '../helpers/moto.js';
import { seedDistribution } from '../helpers/seed-cloudfront.js';
import { makeCerts } from '../net/helpers/certs.js';

let certs: ReturnType<typeof makeCerts>;
let server: tls.Server;
let port = 0;
beforeAll(async () => {
  certs = makeCerts();
  server = tls.createServer(certs.mismatched, (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
  server.on('tlsClientError', () => {});
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server?.close();
  certs?.cleanup();
});

const envFor = (a: MotoAccount) => ({
  BADGATE_STATE_DIR: mkdtempSync(join(tmpdir(), 'badgate-cf-cli-')), AWS_ENDPOINT_URL: a.endpoint, AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: a.clientConfig.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: a.clientConfig.credentials.secretAccessKey,
  AWS_SESSION_TOKEN: a.clientConfig.credentials.sessionToken,
});

it('--help names the cloudfront flow and --distribution', () => {
  const r = runCli(['--help']);
  expect(r.out).toMatch(/flows: [^)]*\bcloudfront\b/);
  expect(r.out).toMatch(/--distribution ID/);
});

it('--distribution on another flow is refused, not ignored', () => {
  const r = runCli(['check', 'alb', '--distribution', 'E123']);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--distribution is read by the cloudfront flow, not by "alb"/);
});

describeMoto('badgate check cloudfront (built binary, moto)', (endpoint) => {
  it('finds the origin certificate that does not cover the origin domain, with the JSON contract, and exits 1', async () => {
    const acct = await newAccount(endpoint());
    const d = await seedDistribution(acct, { origin: { domain: 'localhost', httpsPort: port }, aliases: ['www.example.com'] });
    const r = await runCliAsync(['check', 'cloudfront', '--distribution', d.id, '--json'], envFor(acct));
    expect(r.code, r.err).toBe(1);
    const j = JSON.parse(r.out) as { flow: string; checks: { id: string; outcome: string }[]; causes: { id: string }[] };
    expect(j.flow).toBe('cloudfront');
    expect(j.checks.find((c) => c.id === 'cloudfront.resolve')?.outcome).toBe('found');
    expect(j.checks.find((c) => c.id === 'cloudfront.origin-tls')?.outcome).toBe('name-mismatch');
    expect(j.causes[0]).toMatchObject({ id: 'origin-tls-mismatch' });
  }, 120_000);
});
