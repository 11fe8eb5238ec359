// `badgate check apigw` and `run apigw`, as a user runs the built binary, against moto over HTTP.
// The URL is served on 127.0.0.1 with API Gateway's REST 502 as captured in
// test/fixtures/net/fingerprint/apigw-rest-502.txt (source: https://github.com/aws-amplify/amplify-js/issues/6931,
// listed in that folder's cases.json), so the probe sees what a client sees; the API itself lives in moto.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { describeMoto, newAccount, REGION, type MotoAccount } from '../helpers/moto.js';
import { seedRestApi, seedHttpApi } from '../helpers/seed-apigw.js';
import { closeAll, startRaw } from '../net/helpers/servers.js';

let state: string;
let url: string;
beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'badgate-apigw-cli-'));
  const text = readFileSync(new URL('../fixtures/net/fingerprint/apigw-rest-502.txt', import.meta.url), 'utf8');
  const [head, body] = text.split(/\n\n/);
  const lines = head.split('\n').filter((l) => !/^content-length:/i.test(l)).map((l, i) => (i === 0 ? 'HTTP/1.1 502 Bad Gateway' : l));
  const raw = Buffer.from(`${[...lines, `Content-Length: ${Buffer.byteLength(body)}`].join('\r\n')}\r\n\r\n${body}`);
  const { port } = await startRaw((s) => { s.on('error', () => {}); s.once('data', () => s.end(raw)); });
  url = `http://127.0.0.1:${port}/orders`;
});
afterAll(closeAll);

interface CheckJson { checks: { id: string; outcome: string; status: string }[]; causes: { id: string; confidence: string }[] }

const awsEnv = (endpoint: string, account: MotoAccount) => {
  const c = account.clientConfig.credentials;
  return { BADGATE_STATE_DIR: state, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken };
};

it('run apigw is a flow: without a terminal it points at check apigw; a bad --api is a usage error', () => {
  const r = runCli(['run', 'apigw'], { BADGATE_STATE_DIR: state });
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/badgate check apigw --json/);
  const bad = runCli(['check', 'apigw', '--api', 'https://x.example', '--json'], { BADGATE_STATE_DIR: state });
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--api "https:\/\/x\.example" is not an API id/);
  expect(bad.err).not.toMatch(/at .*\.js:\d+/);
});

describeMoto('check apigw against moto', (endpoint) => {
  it('REST: finds the missing invoke permission behind the URL\'s 502 (exit 1), fingerprinted as API Gateway', async () => {
    const account = await newAccount(endpoint());
    const api = await seedRestApi(account, { name: 'orders', integration: { type: 'AWS_PROXY', fn: { name: 'orders-fn', timeoutSeconds: 10 } }, allowInvoke: false, loggingLevel: 'INFO' });
    const r = await runCliAsync(['check', 'apigw', '--api', api.id, '--stage', 'prod', '--url', url, '--region', REGION, '--json'], awsEnv(endpoint(), account));
    expect(r.code, r.err).toBe(1);
    const out = JSON.parse(r.out) as CheckJson;
    const outcome = (id: string) => out.checks.find((x) => x.id === id)?.outcome;
    expect(outcome('net.http-probe')).toBe('got-502');
    expect(outcome('apigw.resolve')).toBe('found');
    expect(outcome('apigw.integration')).toBe('lambda-proxy');
    expect(outcome('lambda.function')).toBe('no-permission');
    expect(outcome('apigw.stage')).toBe('logs-on');
    expect(out.causes.map((c) => c.id)).toContain('lambda-invoke-permission-missing');
    expect(out.causes.map((c) => c.id)).not.toContain('timeout-mismatch');
  }, 120_000);

  it('HTTP API by id alone: a healthy Lambda route names no cause (exit 0)', async () => {
    const account = await newAccount(endpoint());
    const api = await seedHttpApi(account, { name: 'profile', integration: { type: 'AWS_PROXY', fn: { name: 'profile-fn', timeoutSeconds: 8 } }, accessLog: true });
    const r = await runCliAsync(['check', 'apigw', '--api', api.id, '--url', url, '--region', REGION, '--json'], awsEnv(endpoint(), account));
    const out = JSON.parse(r.out) as CheckJson;
    expect(out.checks.find((x) => x.id === 'apigw.integration')?.outcome).toBe('lambda-proxy');
    expect(out.checks.find((x) => x.id === 'lambda.function')?.outcome).toBe('ok');
    expect(out.causes.filter((c) => c.confidence !== 'ruled-out')).toEqual([]);
    expect(r.code, r.err).toBe(0);
  }, 120_000);
});
