// Regenerates the replayable example incidents of the clb, nlb, cloudfront and apigw flows in
// flows/recordings/: each seeds a broken environment in moto, runs the built binary
// (`badgate check <flow> --record …`) against it with no targeting flag, so the recording holds
// what a replay with no flag asks, then anonymises and compacts the recording.
//   npx tsup --silent && node --import tsx scripts/record-flow-examples.ts [clb-backend-502|nlb-idle-resets|cloudfront-origin-cert|apigw-malformed-response]
import { mkdtempSync, readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { anonymiseRecording, compactRecording, loadRecording, saveRecording } from '../src/aws/recorded.js';
import { lbDimension, tgDimension } from '../src/checks/elbv2-common.js';
import { runCliAsync } from '../test/helpers/cli.js';
import { newAccount, REGION, startMoto, type MotoAccount } from '../test/helpers/moto-server.js';
import { seedMetrics } from '../test/helpers/seed-alb.js';
import { seedRestApi } from '../test/helpers/seed-apigw.js';
import { seedClb, seedClbMetrics } from '../test/helpers/seed-clb.js';
import { seedDistribution } from '../test/helpers/seed-cloudfront.js';
import { seedLogGroup } from '../test/helpers/seed-logs.js';
import { seedNlb } from '../test/helpers/seed-nlb.js';
import { execRequest, LAMBDA } from '../test/logs/apigw-lambda-logs.fixtures.js';
import { makeCerts } from '../test/net/helpers/certs.js';

const minutes = 60;
const flat = (v: number) => Array.from({ length: minutes }, () => v);
// 502s from the instances after a deploy 25 minutes ago.
const afterDeploy = Array.from({ length: minutes }, (_, i) => (i >= 35 ? 12 + (i % 4) : 0));
// A proxy in front reusing pooled connections after idle gaps: a few NLB resets most minutes.
const idleResets = Array.from({ length: minutes }, (_, i) => (i % 6 === 2 ? 3 : i % 4 === 1 ? 1 : 0));

interface Scenario {
  flow: string;
  note: string;
  /** Seeds moto; returns extra CLI flags and a clean-up. */
  seed(account: MotoAccount, now: Date): Promise<{ flags: string[]; cleanup?: () => void }>;
}

export const SCENARIOS: Record<string, Scenario> = {
  'clb-backend-502': {
    flow: 'clb',
    note: 'Classic Load Balancer legacy-web (HTTP:80 → instances HTTP:8080), two healthy instances; since a deploy 25 minutes ago the instances answer 502 themselves (HTTPCode_Backend_5XX rises, the CLB makes no 5xx of its own).',
    async seed(account, now) {
      const s = await seedClb(account, { name: 'legacy-web' });
      await seedClbMetrics(account, s.name, { RequestCount: flat(600), HTTPCode_Backend_5XX: afterDeploy, HTTPCode_ELB_5XX: flat(0), HealthyHostCount: flat(2), UnHealthyHostCount: flat(0) }, now);
      return { flags: [] };
    },
  },
  'nlb-idle-resets': {
    flow: 'nlb',
    note: 'Network Load Balancer tcp-nlb (TCP:443 → two healthy instances, client IP preserved, security groups open); an nginx in front pools upstream connections longer than the NLB idle timeout (350 s), so the NLB resets reused flows (TCP_ELB_Reset_Count, no unhealthy target) and nginx answers 502.',
    async seed(account, now) {
      const s = await seedNlb(account, { ingress: 'clients' });
      const lb = lbDimension(s.lbArn);
      await seedMetrics(account, { LoadBalancer: lb }, { NewFlowCount: flat(300), TCP_ELB_Reset_Count: idleResets, TCP_Target_Reset_Count: flat(0), TCP_Client_Reset_Count: flat(1) }, now, 'AWS/NetworkELB');
      await seedMetrics(account, { LoadBalancer: lb, TargetGroup: tgDimension(s.tgArn) }, { UnHealthyHostCount: flat(0), HealthyHostCount: flat(2) }, now, 'AWS/NetworkELB');
      return { flags: [] };
    },
  },
  'cloudfront-origin-cert': {
    flow: 'cloudfront',
    note: 'CloudFront distribution for www.example.com with one custom origin (localhost, HTTPS): the origin\'s certificate names another host, so CloudFront cannot finish TLS with the origin and answers 502.',
    async seed(account) {
      const certs = makeCerts();
      const server = tls.createServer(certs.mismatched, (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
      server.on('tlsClientError', () => {});
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      const port = (server.address() as AddressInfo).port;
      await seedDistribution(account, { origin: { domain: 'localhost', httpsPort: port }, aliases: ['www.example.com'] });
      return { flags: [], cleanup: () => { server.close(); certs.cleanup(); } };
    },
  },
  'apigw-malformed-response': {
    flow: 'apigw',
    note: 'REST API orders-api (stage prod, GET /orders → Lambda proxy integration to the function orders, invoke permission granted, timeout 10 s under the 29 s integration timeout); since a deploy 25 minutes ago the function returns its result object as the body instead of a string, so API Gateway logs "Malformed Lambda proxy response" and answers 502 (5XXError rises, the function itself reports no error).',
    async seed(account, now) {
      const api = await seedRestApi(account, { name: 'orders-api', integration: { type: 'AWS_PROXY', fn: { name: 'orders', timeoutSeconds: 10 } }, loggingLevel: 'ERROR' });
      await seedMetrics(account, { ApiName: api.name, Stage: api.stage }, { Count: flat(400), '5XXError': afterDeploy, '4XXError': flat(0), IntegrationLatency: flat(120), Latency: flat(140) }, now, 'AWS/ApiGateway');
      // Execution log lines as CloudWatch stores them (request id prefix), the messages as the Knowledge Center quotes them
      // (see test/logs/apigw-lambda-logs.fixtures.ts): one request in four after the deploy fails.
      const events = Array.from({ length: 24 }, (_, i) => {
        const at = now.getTime() - (24 - i) * 60_000;
        const id = `7c2f${String(i).padStart(4, '0')}-1a2b-4c3d-8e9f-0123456789ab`;
        return execRequest(id, i >= 10 ? 'malformed' : 'ok').map((message, k) => ({ at: at + k * 5, message }));
      }).flat();
      await seedLogGroup(account, `API-Gateway-Execution-Logs_${api.id}/${api.stage}`, events);
      // The function's own log: every invocation ends cleanly (START/END/REPORT, no error), as it does when only the shape is wrong.
      const fnEvents = Array.from({ length: 24 }, (_, i) => {
        const at = now.getTime() - (24 - i) * 60_000;
        const id = `9d1e${String(i).padStart(4, '0')}-2b3c-4d5e-8f90-123456789abc`;
        return [LAMBDA.start(id), LAMBDA.end(id), LAMBDA.report(id, '18.20')].map((message, k) => ({ at: at + k * 3, message }));
      }).flat();
      await seedLogGroup(account, '/aws/lambda/orders', fnEvents);
      // The affected URL answers with API Gateway's REST 502 as captured in test/fixtures/net/fingerprint/apigw-rest-502.txt
      // (source: https://github.com/aws-amplify/amplify-js/issues/6931), so the probe sees what a client saw.
      const text = readFileSync(new URL('../test/fixtures/net/fingerprint/apigw-rest-502.txt', import.meta.url), 'utf8');
      const [head, body] = text.split(/\n\n/);
      const lines = head.split('\n').filter((l) => !/^content-length:/i.test(l)).map((l, i) => (i === 0 ? 'HTTP/1.1 502 Bad Gateway' : l));
      const raw = Buffer.from(`${[...lines, `Content-Length: ${Buffer.byteLength(body)}`].join('\r\n')}\r\n\r\n${body}`);
      const server = net.createServer((sock) => { sock.on('error', () => {}); sock.once('data', () => sock.end(raw)); });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      const port = (server.address() as AddressInfo).port;
      return { flags: ['--api', api.id, '--stage', api.stage, '--url', `http://127.0.0.1:${port}/orders`], cleanup: () => server.close() };
    },
  },
};

async function record(name: string, scenario: Scenario, account: MotoAccount): Promise<string> {
  const seeded = await scenario.seed(account, new Date());
  const tmp = join(mkdtempSync(join(tmpdir(), 'badgate-rec-')), `${name}.json`);
  const c = account.clientConfig.credentials;
  try {
    const r = await runCliAsync(['check', scenario.flow, ...seeded.flags, '--record', tmp, '--json'], {
      BADGATE_STATE_DIR: mkdtempSync(join(tmpdir(), 'badgate-rec-state-')), AWS_ENDPOINT_URL: account.endpoint, AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken,
    });
    if (r.code !== 1) throw new Error(`${name}: expected exit 1 (a cause found), got ${r.code}\n${r.err}`);
    const rec = await loadRecording(tmp);
    const saved = compactRecording(anonymiseRecording({ ...rec, note: `${scenario.note} Recorded from moto by scripts/record-flow-examples.ts.` }));
    const file = join(import.meta.dirname, '../flows/recordings', `${name}.json`);
    await saveRecording(file, saved);
    const out = JSON.parse(r.out) as { checks: { id: string; outcome: string; summary: string }[]; causes: { id: string; confidence: string }[] };
    return [
      `${name}: ${saved.calls.length} distinct calls → ${file}`,
      ...out.checks.map((x) => `  ${x.id.padEnd(28)} ${x.outcome.padEnd(16)} ${x.summary}`),
      `  causes: ${out.causes.map((x) => `${x.id} (${x.confidence})`).join(', ')}`,
    ].join('\n');
  } finally {
    seeded.cleanup?.();
  }
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    // A fresh moto per scenario, so each recording holds one load balancer or distribution only, in the
    // stand-in account of the AWS documentation (moto's CloudFront ARNs lack the region field that
    // anonymiseRecording keys on, so the account id must be the stand-in from the start).
    const moto = await startMoto();
    try {
      console.log(await record(name, scenario, await newAccount(moto.endpoint, '123456789012')));
    } finally {
      await moto.stop();
    }
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await main();
