// Records the AWS side of the API Gateway drills from moto into each file's `aws:` key (API Gateway,
// Lambda, CloudWatch metrics and the execution and function logs); the rest of the file stays as written:
//   node --import tsx scripts/record-apigw-drills.ts [drill-id…]
// Per drill: a fresh moto state with a fixed random seed keeps the API's id stable (the briefing names
// its URL); the checks run in the apigw flow's order, each with the facts the earlier ones found.
import { createRecordingReader, newRecording } from '../src/aws/recorded.js';
import type { AwsReader } from '../src/aws/reader.js';
import { getCheck } from '../src/checks/registry.js';
import type { Facts } from '../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../test/helpers/check-context.js';
import { MINUTES, changingAt, recordDrills } from './drill-aws.js';
import type { MotoAccount } from '../test/helpers/moto-server.js';
import { seedMetrics } from '../test/helpers/seed-alb.js';
import { seedRestApi, type SeededApi } from '../test/helpers/seed-apigw.js';
import { seedLogGroup } from '../test/helpers/seed-logs.js';
import { execRequest, LAMBDA } from '../test/logs/apigw-lambda-logs.fixtures.js';

const ORDER = ['sts.whoami', 'apigw.resolve', 'apigw.integration', 'lambda.function', 'apigw.stage', 'logs.apigw-execution', 'logs.lambda-errors', 'apigw.gateway-responses', 'cloudwatch.apigw-metrics'];

interface ApigwDrill {
  note: string;
  /** The affected URL's path under the stage, as the briefing gives it. */
  path: string;
  /** moto's random seed: another value gives the drill its own API id. */
  motoSeed?: number;
  seed(account: MotoAccount, clock: Date): Promise<SeededApi>;
}

/** One request's execution-log lines (test/logs/apigw-lambda-logs.fixtures.ts, as AWS documents them) for this drill's function and path. */
const execLines = (id: string, kind: Parameters<typeof execRequest>[1], fn: string, path: string) =>
  execRequest(id, kind).map((m) => m.replace('function:orders/', `function:${fn}/`).replace('Resource Path: /orders', `Resource Path: ${path}`));

/** A function log where every invocation ends cleanly: START, END, REPORT. */
const cleanInvocation = (id: string, ms: string) => [LAMBDA.start(id), LAMBDA.end(id), LAMBDA.report(id, ms)];

const DRILLS: Record<string, ApigwDrill> = {
  'menu-api-502-after-refactor': {
    note: 'REST API menu-api (stage prod, GET /menu → Lambda proxy integration to the function menu, invoke permission granted, timeout 10 s); since minute 38 (a refactor of the translation code path) the function returns its result object as the body for requests with a lang parameter, about one in three: "Malformed Lambda proxy response" and status 502 in the execution log, 5XXError up, the function log clean, IntegrationLatency low.',
    path: '/menu',
    motoSeed: 31,
    async seed(account, clock) {
      const api = await seedRestApi(account, { name: 'menu-api', pathPart: 'menu', integration: { type: 'AWS_PROXY', fn: { name: 'menu', timeoutSeconds: 10 } }, loggingLevel: 'ERROR' });
      const after = (i: number) => i >= 38;
      const series = changingAt(38);
      await seedMetrics(account, { ApiName: api.name, Stage: api.stage }, {
        Count: series(540, (i) => 530 + (i % 13)),
        '5XXError': series(0, (i) => 170 + (i % 9)),
        '4XXError': series(2, () => 2),
        IntegrationLatency: series(95, () => 88),
        Latency: series(110, () => 104),
      }, clock, 'AWS/ApiGateway');
      const exec: { at: number; message: string }[] = [];
      const fn: { at: number; message: string }[] = [];
      for (let i = 0; i < MINUTES; i++) {
        for (let k = 0; k < 3; k++) {
          const at = clock.getTime() - (MINUTES - i) * 60_000 + k * 17_000;
          const id = `4e${String(i).padStart(3, '0')}${k}a1-7b2c-4d3e-8f4a-5b6c7d8e9f0a`;
          exec.push(...execLines(id, after(i) && k === 1 ? 'malformed' : 'ok', 'menu', '/menu').map((message, n) => ({ at: at + n * 4, message })));
          fn.push(...cleanInvocation(id, '41.30').map((message, n) => ({ at: at + n * 3, message })));
        }
      }
      await seedLogGroup(account, `API-Gateway-Execution-Logs_${api.id}/${api.stage}`, exec);
      await seedLogGroup(account, '/aws/lambda/menu', fn);
      return api;
    },
  },
  'pricing-api-502-under-load': {
    note: 'REST API pricing-api (stage prod, GET /prices → Lambda proxy integration to the function pricing, invoke permission granted, function timeout 3 s); since minute 40 the rates service it calls answers slowly and one invocation in four runs out of its 3 s: "Task timed out after 3.00 seconds" in the function log, "customer function error" and status 502 in the execution log, 5XXError up, IntegrationLatency at 3 s (far below the 29 s integration timeout).',
    path: '/prices',
    async seed(account, clock) {
      const api = await seedRestApi(account, { name: 'pricing-api', pathPart: 'prices', integration: { type: 'AWS_PROXY', fn: { name: 'pricing', timeoutSeconds: 3 } }, loggingLevel: 'ERROR' });
      const after = (i: number) => i >= 40;
      const series = changingAt(40);
      await seedMetrics(account, { ApiName: api.name, Stage: api.stage }, {
        Count: series(320, (i) => 310 + (i % 9)),
        '5XXError': series(0, (i) => 72 + (i % 11)),
        '4XXError': series(1, () => 1),
        IntegrationLatency: series(140, () => 3004),
        Latency: series(160, () => 3021),
      }, clock, 'AWS/ApiGateway');
      // Four sampled requests a minute in the logs: after minute 40 the first of each minute times out.
      const exec: { at: number; message: string }[] = [];
      const fn: { at: number; message: string }[] = [];
      for (let i = 0; i < MINUTES; i++) {
        for (let k = 0; k < 4; k++) {
          const at = clock.getTime() - (MINUTES - i) * 60_000 + k * 13_000;
          const id = `5b${String(i).padStart(3, '0')}${k}e7-3c4d-4e5f-9a0b-1c2d3e4f5a6b`;
          const timedOut = after(i) && k === 0;
          exec.push(...execLines(id, timedOut ? 'function-timeout' : 'ok', 'pricing', '/prices').map((message, n) => ({ at: at + n * 4, message })));
          fn.push(...(timedOut
            ? [LAMBDA.start(id), LAMBDA.timedOut(id, '3.00'), LAMBDA.end(id), LAMBDA.report(id, '3003.41', 'timeout')]
            : cleanInvocation(id, '121.70')).map((message, n) => ({ at: at + n * 3, message })));
        }
      }
      await seedLogGroup(account, `API-Gateway-Execution-Logs_${api.id}/${api.stage}`, exec);
      await seedLogGroup(account, '/aws/lambda/pricing', fn);
      return api;
    },
  },
};

async function record(reader: AwsReader, api: SeededApi, drill: ApigwDrill, clock: Date, startedAt: string): Promise<void> {
  const facts: Facts = { 'incident.url': `${api.url.replace(/\/[^/]+$/, '')}${drill.path}`, 'incident.method': 'GET' };
  for (const id of ORDER) {
    const params: Record<string, string> = id === 'apigw.resolve' ? { url: String(facts['incident.url']) }
      : id === 'apigw.integration' ? { path: String(facts['apigw.path'] ?? ''), method: 'GET' }
        : id === 'lambda.function' ? { invoker: 'apigateway', sourceArn: String(facts['apigw.sourceArn'] ?? ''), budgetMs: String(facts['apigw.integrationTimeoutMs'] ?? '') }
          : id === 'logs.apigw-execution' ? { restApiId: api.id, stage: api.stage, since: startedAt, window: '3h' }
            : id === 'logs.lambda-errors' ? { functionName: String(facts['lambda.function'] ?? ''), since: startedAt, window: '3h' }
              : id === 'cloudwatch.apigw-metrics' ? { since: '3h' } : {};
    const r = await runCheckResult(getCheck(id)!, testContext({ params, facts: { ...facts }, aws: reader, now: () => clock }));
    console.log(`${id}: ${r.outcome} · ${r.summary}`);
    Object.assign(facts, r.facts ?? {});
  }
  console.log(`url: ${facts['incident.url']}`);
}

await recordDrills(DRILLS, (drill) => drill.motoSeed ?? 17, async ({ drill, clock, account }) => {
  const api = await drill.seed(account, clock);
  const rec = newRecording(account.reader().region, `${drill.note} Recorded from moto by scripts/record-apigw-drills.ts.`);
  await record(createRecordingReader(account.reader(), rec), api, drill, clock, new Date(clock.getTime() - 25 * 60_000).toISOString());
  return rec;
});
