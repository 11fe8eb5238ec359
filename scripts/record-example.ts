// Regenerates the replayable example incidents in flows/recordings/ from moto, so a user
// with no AWS account can walk a real-looking investigation:
//   node --import tsx scripts/record-example.ts [alb-keepalive-race|alb-sg-blocked]
import { join } from 'node:path';
import { anonymiseRecording, compactRecording, createRecordingReader, newRecording, saveRecording } from '../src/aws/recorded.js';
import { lbDimension, tgDimension } from '../src/checks/elbv2-common.js';
import { newAccount, startMoto, type MotoAccount } from '../test/helpers/moto-server.js';
import { CHECK_ORDER, runAwsChecks } from '../test/helpers/moto-check-run.js';
import { seedAlb, seedMetrics, type SeedAlbConfig, type SeededAlb } from '../test/helpers/seed-alb.js';

interface Scenario {
  note: string;
  seed: SeedAlbConfig;
  /** Per-minute points over the last hour, LB-level and per target group. */
  lbMetrics: Record<string, number[]>;
  tgMetrics: Record<string, number[]>;
  params: Record<string, Record<string, string>>;
}

const minutes = 60;
const flat = (v: number) => Array.from({ length: minutes }, () => v);
// A low, steady trickle: the keep-alive race follows connection churn, not load.
const trickle = Array.from({ length: minutes }, (_, i) => (i % 7 === 3 ? 2 : i % 5 === 1 ? 1 : 0));
const outage = Array.from({ length: minutes }, (_, i) => (i >= 35 ? 40 : 0));

export const SCENARIOS: Record<string, Scenario> = {
  'alb-keepalive-race': {
    note: 'Healthy targets, ALB idle timeout 60 s, Node 20 backend (5 s keep-alive): a steady trickle of ALB-generated 502s with no connection errors.',
    seed: {
      name: 'shop', instancesPerGroup: 3,
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'shop-alb-logs', 'access_logs.s3.prefix': 'prod', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '30' },
    },
    lbMetrics: { HTTPCode_ELB_502_Count: trickle, HTTPCode_ELB_5XX_Count: trickle, RequestCount: flat(1200) },
    tgMetrics: { RequestCount: flat(1200), HealthyHostCount: flat(3), UnHealthyHostCount: flat(0) },
    params: { 'timeout.chain': { server: 'node', nodeVersion: '20' } },
  },
  'alb-sg-blocked': {
    note: 'A security-group change removed the ALB → app rule on port 8080: health checks time out, every target goes unhealthy, the ALB fails open and connections to the targets fail.',
    seed: {
      name: 'shop', instancesPerGroup: 2, allowLbToTarget: false,
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'false' },
      health: { 0: 'unhealthy|Target.Timeout|Request timed out', 1: 'unhealthy|Target.Timeout|Request timed out' },
    },
    lbMetrics: {
      HTTPCode_ELB_502_Count: outage.map((v) => v / 4), HTTPCode_ELB_5XX_Count: outage, TargetConnectionErrorCount: outage,
      RequestCount: flat(900),
    },
    tgMetrics: { TargetConnectionErrorCount: outage, UnHealthyHostCount: outage.map((v) => (v ? 2 : 0)), HealthyHostCount: outage.map((v) => (v ? 0 : 2)), RequestCount: flat(900) },
    params: { 'timeout.chain': { server: 'nginx' } },
  },
};

async function record(name: string, scenario: Scenario, account: MotoAccount, now: Date): Promise<string> {
  const seeded: SeededAlb = await seedAlb(account, scenario.seed);
  const lb = lbDimension(seeded.lbArn);
  await seedMetrics(account, { LoadBalancer: lb }, scenario.lbMetrics, now);
  await seedMetrics(account, { TargetGroup: tgDimension(seeded.tgArns[0]), LoadBalancer: lb }, scenario.tgMetrics, now);

  const rec = newRecording(account.reader().region, `${scenario.note} Recorded from moto by scripts/record-example.ts.`);
  const reader = createRecordingReader(account.reader(), rec);
  // Without --lb (the only ALB is picked), and with the name: both replay.
  const run = await runAwsChecks(reader, scenario.params, now);
  await runAwsChecks(reader, { ...scenario.params, 'elbv2.resolve': { lb: seeded.lbName } }, now);
  const file = join(import.meta.dirname, '../flows/recordings', `${name}.json`);
  const saved = compactRecording(anonymiseRecording(rec));
  await saveRecording(file, saved);
  const lines = CHECK_ORDER.map((id) => `  ${id.padEnd(26)} ${run.results[id].outcome.padEnd(16)} ${run.results[id].summary}`);
  return [`${name}: ${saved.calls.length} distinct calls → ${file}`, ...lines].join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  const moto = await startMoto();
  try {
    for (const name of names) {
      const scenario = SCENARIOS[name];
      if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
      // One fresh account per scenario, so each recording holds one ALB only.
      console.log(await record(name, scenario, await newAccount(moto.endpoint), new Date()));
    }
  } catch (err) {
    console.error(moto.stderr().split('\n').filter((l) => !/HTTP\/1\.1" 200/.test(l)).slice(-30).join('\n'));
    throw err;
  } finally {
    await moto.stop();
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await main();
