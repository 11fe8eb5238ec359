// Records the AWS side of the Classic and Network Load Balancer drills from moto into each file's
// `aws:` key; the rest of the file stays as written:
//   node --import tsx scripts/record-lb-drills.ts [drill-id…]
// Per drill: a fresh moto state with a fixed random seed keeps ids stable; the checks of the
// drill's flow run through a recording reader, with and without the load balancer's name.
import { createRecordingReader, newRecording } from '../src/aws/recorded.js';
import type { AwsReader } from '../src/aws/reader.js';
import { getCheck } from '../src/checks/registry.js';
import type { Facts } from '../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../test/helpers/check-context.js';
import { changingAt, flat, MINUTES, recordDrills } from './drill-aws.js';
import type { MotoAccount } from '../test/helpers/moto-server.js';
import { seedClb, seedClbMetrics } from '../test/helpers/seed-clb.js';
import { seedNlb } from '../test/helpers/seed-nlb.js';
import { seedMetrics } from '../test/helpers/seed-alb.js';
import { lbDimension, tgDimension } from '../src/checks/elbv2-common.js';


interface LbDrill {
  note: string;
  checks: string[];
  params?: Record<string, Record<string, string>>;
  /** Builds the environment; returns the load balancer's name. */
  seed(account: MotoAccount, clock: Date): Promise<string>;
}

const DRILLS: Record<string, LbDrill> = {
  'legacy-api-502-after-upgrade': {
    note: 'Three InService instances on :8080 behind the Classic Load Balancer legacy-api (HTTP:80), idle timeout 60 s, access logs on; CLB-made 5xx since minute 40 with no backend 5xx or connection errors.',
    checks: ['sts.whoami', 'clb.resolve', 'cloudwatch.clb-metrics', 'clb.instance-health', 'clb.network-path', 'clb.attributes'],
    params: { 'cloudwatch.clb-metrics': { since: '3h' } },
    async seed(account, clock) {
      const seeded = await seedClb(account, { name: 'legacy-api', instances: 3, port: 8080 });
      // Since the 09:20 deploy (minute 40): a steady share of CLB-made 5xx, nothing from the instances.
      const series = changingAt(40);
      await seedClbMetrics(account, seeded.name, {
        RequestCount: series(310, (i) => 300 + (i % 7)),
        HTTPCode_ELB_5XX: series(0, (i) => 14 + (i % 4)),
        HTTPCode_Backend_5XX: series(0, () => 0),
        BackendConnectionErrors: series(0, () => 0),
        SurgeQueueLength: series(0, () => 0),
      }, clock);
      return seeded.name;
    },
  },
  'payments-nlb-502-after-migration': {
    note: 'Two healthy instance targets on :443 behind the Network Load Balancer payments-nlb (TCP:443, client IP preserved); the targets\' security group admits only the NLB subnets 10.2.1.0/24 and 10.2.2.0/24.',
    checks: ['sts.whoami', 'elbv2.resolve', 'elbv2.target-health', 'nlb.client-path', 'cloudwatch.nlb-resets'],
    params: { 'elbv2.resolve': { type: 'network' }, 'cloudwatch.nlb-resets': { since: '3h' } },
    async seed(account, clock) {
      const seeded = await seedNlb(account, { ingress: 'nlb-subnets', name: 'payments-nlb' });
      // The clients' SYNs are dropped by the targets' group: flows start, nobody resets, every target stays healthy.
      const lb = lbDimension(seeded.lbArn);
      await seedMetrics(account, { LoadBalancer: lb }, { NewFlowCount: flat(240), TCP_Target_Reset_Count: flat(0), TCP_ELB_Reset_Count: flat(0), TCP_Client_Reset_Count: flat(0) }, clock, 'AWS/NetworkELB');
      await seedMetrics(account, { LoadBalancer: lb, TargetGroup: tgDimension(seeded.tgArn) }, { UnHealthyHostCount: flat(0), HealthyHostCount: flat(2) }, clock, 'AWS/NetworkELB');
      return seeded.name;
    },
  },
  'booking-clb-502-after-release': {
    note: 'Two InService instances on :80 behind the Classic Load Balancer booking-web (HTTP:80 → HTTP:80, the health check on nginx\'s own /health); since minute 35 the instances answer 502 themselves (HTTPCode_Backend_5XX rises, the CLB makes no 5xx of its own, no connection errors).',
    checks: ['sts.whoami', 'clb.resolve', 'cloudwatch.clb-metrics', 'clb.instance-health', 'clb.network-path', 'clb.attributes'],
    params: { 'cloudwatch.clb-metrics': { since: '3h' } },
    async seed(account, clock) {
      const seeded = await seedClb(account, { name: 'booking-web', instances: 2, port: 80 });
      const series = changingAt(35);
      await seedClbMetrics(account, seeded.name, {
        RequestCount: series(420, (i) => 410 + (i % 5)),
        HTTPCode_ELB_5XX: series(0, () => 0),
        HTTPCode_Backend_5XX: series(0, (i) => 140 + (i % 6)),
        BackendConnectionErrors: series(0, () => 0),
        SurgeQueueLength: series(0, () => 0),
        HealthyHostCount: series(2, () => 2),
        UnHealthyHostCount: series(0, () => 0),
      }, clock);
      return seeded.name;
    },
  },
  'tiles-nlb-502-idle-resets': {
    note: 'Two healthy instance targets on :443 behind the Network Load Balancer tiles-nlb (TCP:443, client IP preserved, groups admit the clients), its TCP listener\'s idle timeout lowered to 120 s; a few NLB resets most minutes (TCP_ELB_Reset_Count) with no target reset and no unhealthy target.',
    checks: ['sts.whoami', 'elbv2.resolve', 'elbv2.target-health', 'nlb.client-path', 'cloudwatch.nlb-resets'],
    params: { 'elbv2.resolve': { type: 'network' }, 'cloudwatch.nlb-resets': { since: '3h' } },
    async seed(account, clock) {
      const seeded = await seedNlb(account, { ingress: 'clients', name: 'tiles-nlb', idleTimeoutSeconds: 120 });
      // Since minute 20 (the change): the edge reuses pooled flows idle past 120 s, and the NLB resets them.
      const resets = Array.from({ length: MINUTES }, (_, i) => (i < 20 ? 0 : i % 3 === 0 ? 4 : i % 2 === 0 ? 2 : 1));
      const lb = lbDimension(seeded.lbArn);
      await seedMetrics(account, { LoadBalancer: lb }, { NewFlowCount: flat(260), TCP_ELB_Reset_Count: resets, TCP_Target_Reset_Count: flat(0), TCP_Client_Reset_Count: flat(1) }, clock, 'AWS/NetworkELB');
      await seedMetrics(account, { LoadBalancer: lb, TargetGroup: tgDimension(seeded.tgArn) }, { UnHealthyHostCount: flat(0), HealthyHostCount: flat(2) }, clock, 'AWS/NetworkELB');
      return seeded.name;
    },
  },
};

async function record(reader: AwsReader, drill: LbDrill, lbName: string, clock: Date): Promise<void> {
  for (const lb of ['', lbName]) {
    const facts: Facts = lb ? { 'target.lb': lb } : {};
    for (const id of drill.checks) {
      const params: Record<string, string> = { ...(drill.params?.[id] ?? {}), ...(id.endsWith('.resolve') ? { lb } : {}) };
      const r = await runCheckResult(getCheck(id)!, testContext({ params, facts: { ...facts }, aws: reader, now: () => clock }));
      console.log(`${id}: ${r.outcome} · ${r.summary}`);
      Object.assign(facts, r.facts ?? {});
    }
  }
}

// Names on the command line re-record only those drills.
await recordDrills(DRILLS, () => 17, async ({ drill, clock, account }) => {
  const lbName = await drill.seed(account, clock);
  const rec = newRecording(account.reader().region, `${drill.note} Recorded from moto by scripts/record-lb-drills.ts.`);
  await record(createRecordingReader(account.reader(), rec), drill, lbName, clock);
  return rec;
});
