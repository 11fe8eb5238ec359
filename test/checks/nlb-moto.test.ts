// The NLB checks against moto_server over HTTP: client IP preservation means the targets' security
// groups must admit the clients; health comes from DescribeTargetHealth (launcher tag overrides).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCheck } from '../../src/checks/registry.js';
import type { AwsReader } from '../../src/aws/reader.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { seedNlb } from '../helpers/seed-nlb.js';
import { seedAlb, seedMetrics } from '../helpers/seed-alb.js';
import { lbDimension, tgDimension } from '../../src/checks/elbv2-common.js';
import { liveDns } from '../../src/net/port.js';
import { startMiniDns, type MiniDns } from '../net/helpers/mini-dns.js';

async function runNlb(aws: AwsReader, lb: string): Promise<Record<string, CheckResult>> {
  const facts: Facts = { 'target.lb': lb };
  const results: Record<string, CheckResult> = {};
  for (const id of ['elbv2.resolve', 'elbv2.target-health', 'nlb.client-path']) {
    const r = await runCheckResult(getCheck(id)!, testContext({ params: id === 'elbv2.resolve' ? { lb } : {}, facts: { ...facts }, aws }));
    results[id] = r;
    Object.assign(facts, r.facts ?? {});
  }
  return results;
}

const named = (results: Record<string, CheckResult>) => new Set(Object.values(results).flatMap((r) => (r.findings ?? []).filter((f) => f.confidence !== 'ruled-out').map((f) => f.cause)));

describeMoto('NLB checks against moto', (endpoint) => {
  it('healthy: targets admit the clients and the health checks; no cause is named', async () => {
    const account = await newAccount(endpoint());
    const { name } = await seedNlb(account, { ingress: 'clients' });
    const r = await runNlb(account.reader(), name);
    expect(r['elbv2.resolve'].facts?.['lb.type']).toBe('network');
    expect(r['nlb.client-path']).toMatchObject({ outcome: 'open', facts: { 'nlb.preserveClientIp': true } });
    expect([...named(r)]).toEqual([]);
  }, 30_000);

  it('client IP preserved, but the targets only admit the NLB subnets: the clients are blocked', async () => {
    const account = await newAccount(endpoint());
    const { name } = await seedNlb(account, { ingress: 'nlb-subnets' });
    const r = await runNlb(account.reader(), name);
    expect(r['nlb.client-path']).toMatchObject({ status: 'fail', outcome: 'blocked' });
    expect(r['nlb.client-path'].summary).toMatch(/from the clients \(0\.0\.0\.0\/0; client IP is preserved\)/);
    expect(named(r)).toContain('sg-blocks-lb-to-target');
  }, 30_000);

  it('every target fails its TCP health check', async () => {
    const account = await newAccount(endpoint());
    // Reason code and text as DescribeTargetHealth documents them (TargetHealth, Target.FailedHealthChecks).
    const { name } = await seedNlb(account, { ingress: 'clients', health: 'unhealthy|Target.FailedHealthChecks|Health checks failed' });
    const r = await runNlb(account.reader(), name);
    expect(r['elbv2.target-health'].status).toBe('fail');
    expect([...named(r)].some((c) => ['all-targets-unhealthy', 'health-check-misconfigured', 'target-not-listening'].includes(c))).toBe(true);
  }, 30_000);
});

describeMoto('elbv2.resolve in the nlb flow: no --lb, only the URL (or nothing)', (endpoint) => {
  // moto names every elbv2 load balancer <name>-1.<region>.elb.amazonaws.com (moto/elbv2/models.py).
  let dns: MiniDns;
  beforeAll(async () => {
    dns = await startMiniDns({
      'pay.example.test': { cname: 'pay-edge.example.test' },
      'pay-edge.example.test': { cname: 'pay-nlb-1.us-east-1.elb.amazonaws.com' },
      'pay-nlb-1.us-east-1.elb.amazonaws.com': { a: ['192.0.2.20'] },
      'alias.example.test': { a: ['192.0.2.30'] },
    });
  });
  afterAll(() => dns.close());
  const resolve = (aws: AwsReader, params: Record<string, string>) => runCheckResult(getCheck('elbv2.resolve')!, testContext({
    params: { type: 'network', ...params }, aws, env: { dns: { ...liveDns, cname: (h) => dns.resolver().resolveCname(h) } },
  }));

  it('finds the NLB whose DNS name ends the URL host\'s CNAME chain, among several', async () => {
    const account = await newAccount(endpoint());
    await seedNlb(account, { ingress: 'clients', name: 'pay-nlb' });
    await seedNlb(account, { ingress: 'clients', name: 'other-nlb' });
    const r = await resolve(account.reader(), { url: 'https://pay.example.test/v1/charge' });
    expect(r).toMatchObject({ outcome: 'found', facts: { 'lb.name': 'pay-nlb', 'lb.type': 'network', 'tg.name': 'pay-nlb-tg' } });
    expect(r.summary).not.toMatch(/only one/i);
  }, 30_000);

  it('takes the only NLB in the region (an ALB beside it does not count) and says so', async () => {
    const account = await newAccount(endpoint());
    await seedAlb(account, { name: 'web' });
    await seedNlb(account, { ingress: 'clients', name: 'solo-nlb' });
    // A Route 53 alias answers A records, not a CNAME: the host names no load balancer.
    for (const params of [{}, { url: 'https://alias.example.test/' }] as Record<string, string>[]) {
      const r = await resolve(account.reader(), params);
      expect(r, JSON.stringify(params)).toMatchObject({ status: 'pass', outcome: 'found', facts: { 'lb.name': 'solo-nlb', 'lb.type': 'network' } });
      expect(r.summary).toMatch(/^The only one: solo-nlb/);
      expect(r.details?.join('\n')).toMatch(/only Network Load Balancer in this region/);
    }
  }, 30_000);

  it('several NLBs and no name on the URL: asks, listing only the NLBs', async () => {
    const account = await newAccount(endpoint());
    await seedAlb(account, { name: 'web' });
    await seedNlb(account, { ingress: 'clients', name: 'a-nlb' });
    await seedNlb(account, { ingress: 'clients', name: 'b-nlb' });
    const r = await resolve(account.reader(), { url: 'https://alias.example.test/' });
    expect(r).toMatchObject({ status: 'warn', outcome: 'ambiguous' });
    expect(r.summary).toMatch(/^2 Network Load Balancers in this region; none has the DNS name of alias\.example\.test: pick one with --lb NAME/);
    const listing = r.details?.join('\n') ?? '';
    expect(listing).toContain('a-nlb');
    expect(listing).toContain('b-nlb');
    expect(listing).not.toContain('web-alb');
  }, 30_000);
});

describeMoto('cloudwatch.nlb-resets against moto: who sent the RST', (endpoint) => {
  // Metric names, namespace and dimensions (LoadBalancer=net/<name>/<id>, TargetGroup=targetgroup/<name>/<id>) as
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html lists them.
  const env = async (lbMetrics: Record<string, number[]>, tgMetrics: Record<string, number[]>, idleTimeoutSeconds?: number) => {
    const account = await newAccount(endpoint());
    const seeded = await seedNlb(account, { ingress: 'clients', ...(idleTimeoutSeconds ? { idleTimeoutSeconds } : {}) });
    const now = new Date();
    const lb = lbDimension(seeded.lbArn);
    await seedMetrics(account, { LoadBalancer: lb }, lbMetrics, now, 'AWS/NetworkELB');
    await seedMetrics(account, { LoadBalancer: lb, TargetGroup: tgDimension(seeded.tgArn) }, tgMetrics, now, 'AWS/NetworkELB');
    const aws = account.reader();
    const resolved = await runCheckResult(getCheck('elbv2.resolve')!, testContext({ params: { lb: seeded.name }, aws }));
    const r = await runCheckResult(getCheck('cloudwatch.nlb-resets')!, testContext({ params: { since: '30m' }, facts: resolved.facts, aws, now: () => now }));
    return { r, causes: (r.findings ?? []).map((f) => f.cause) };
  };

  it('healthy: flows but no target or NLB resets, every target healthy; no cause', async () => {
    const { r, causes } = await env({ NewFlowCount: [120, 130, 110], TCP_Target_Reset_Count: [0, 0, 0], TCP_ELB_Reset_Count: [0, 0, 0] }, { UnHealthyHostCount: [0, 0, 0], HealthyHostCount: [2, 2, 2] });
    expect(r).toMatchObject({ status: 'pass', outcome: 'quiet', facts: { 'metrics.nlbTargetResets': 0, 'metrics.nlbElbResets': 0 } });
    expect(r.sources?.map((s) => s.api)).toContain('cloudwatch:GetMetricData');
    expect(causes).toEqual([]);
  }, 30_000);

  it('targets reset while they turn unhealthy, down to none healthy: target-not-listening and all-targets-unhealthy', async () => {
    const { r, causes } = await env({ NewFlowCount: [100, 100, 100], TCP_Target_Reset_Count: [0, 30, 45] }, { UnHealthyHostCount: [0, 1, 2], HealthyHostCount: [2, 1, 0] });
    expect(r).toMatchObject({ status: 'fail', outcome: 'target-resets', facts: { 'metrics.nlbTargetResets': 75, 'metrics.nlbUnhealthyMax': 2 } });
    expect(causes).toEqual(expect.arrayContaining(['target-not-listening', 'all-targets-unhealthy']));
    expect(causes).not.toContain('keepalive-race');
  }, 30_000);

  it('the NLB resets with no unhealthy target: flows idle past the 350 s timeout (timeout-mismatch)', async () => {
    const { r, causes } = await env({ NewFlowCount: [100, 100, 100], TCP_ELB_Reset_Count: [4, 9, 6] }, { UnHealthyHostCount: [0, 0, 0], HealthyHostCount: [2, 2, 2] });
    expect(r).toMatchObject({ status: 'fail', outcome: 'elb-resets', facts: { 'metrics.nlbElbResets': 19, 'nlb.idleTimeoutSeconds': 350 } });
    // moto answers tcp.idle_timeout.seconds 350 for a TCP listener left at its default, as AWS does.
    expect(r.findings?.[0].evidence.join(' ')).toMatch(/idle timeout \(350 s, read from the listener\)/);
    expect(causes).toEqual(['timeout-mismatch']);
  }, 30_000);

  it('the idle timeout the resets are measured against is the listener\'s tcp.idle_timeout.seconds when set', async () => {
    // Listener attribute tcp.idle_timeout.seconds, 60-6000 (network/update-idle-timeout.html).
    const { r } = await env({ NewFlowCount: [100, 100, 100], TCP_ELB_Reset_Count: [2, 3, 1] }, { UnHealthyHostCount: [0, 0, 0], HealthyHostCount: [2, 2, 2] }, 120);
    expect(r.facts?.['nlb.idleTimeoutSeconds']).toBe(120);
    expect(r.findings?.[0].evidence.join(' ')).toMatch(/idle timeout \(120 s, read from the listener\)/);
    expect(r.sources?.map((s) => s.api)).toEqual(expect.arrayContaining(['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeListenerAttributes']));
  }, 30_000);

  it('healthy targets reset reused connections: the keep-alive race behind the proxy in front', async () => {
    const { r, causes } = await env({ NewFlowCount: [100, 100, 100], TCP_Target_Reset_Count: [3, 2, 4] }, { UnHealthyHostCount: [0, 0, 0], HealthyHostCount: [2, 2, 2] });
    expect(r.outcome).toBe('target-resets');
    expect(causes).toEqual(['keepalive-race']);
  }, 30_000);
});
