// The Classic ELB checks against moto_server over HTTP, in flow order, on seeded environments:
// each broken one must be found by its cause, and the healthy one must name none.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getCheck } from '../../src/checks/registry.js';
import type { AwsReader } from '../../src/aws/reader.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { seedClb, seedClbMetrics, type SeedClbConfig } from '../helpers/seed-clb.js';

const ORDER = ['clb.resolve', 'clb.instance-health', 'clb.network-path', 'clb.attributes', 'cloudwatch.clb-metrics', 'net.keepalive'];

// Wording of InstanceState.Description from
// https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_InstanceState.html
const FAILED_CHECKS = 'OutOfService|Instance|Instance has failed at least the UnhealthyThreshold number of health checks consecutively.';

/** A real HTTP backend on 127.0.0.1 that closes idle keep-alive connections after `keepAliveMs`. */
async function backend(keepAliveMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => { res.setHeader('Content-Type', 'text/plain'); res.end('ok'); });
  server.keepAliveTimeout = keepAliveMs;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

async function runClb(aws: AwsReader, lb: string, backendUrl: string, now: Date): Promise<{ results: Record<string, CheckResult>; facts: Facts }> {
  const facts: Facts = { 'target.lb': lb };
  const results: Record<string, CheckResult> = {};
  for (const id of ORDER) {
    const params: Record<string, string> = id === 'net.keepalive'
      ? { target: backendUrl, idleTimeoutSeconds: String(facts['clb.idleTimeoutSeconds'] ?? 60), maxWaitSeconds: String(Number(facts['clb.idleTimeoutSeconds'] ?? 60) + 2) }
      : id === 'clb.resolve' ? { lb } : id === 'cloudwatch.clb-metrics' ? { since: '30m' } : {};
    const result = await runCheckResult(getCheck(id)!, testContext({ params, facts: { ...facts }, aws, now: () => now }));
    results[id] = result;
    Object.assign(facts, result.facts ?? {});
  }
  return { results, facts };
}

const named = (run: { results: Record<string, CheckResult> }) =>
  new Set(Object.values(run.results).flatMap((r) => (r.findings ?? []).filter((f) => f.confidence !== 'ruled-out').map((f) => f.cause)));

describeMoto('Classic ELB checks against moto', (endpoint) => {
  const servers: Server[] = [];
  let slow: string; // keeps idle connections 5 s: longer than the 2 s idle timeout of the healthy CLB
  let fast: string; // closes them after 0.5 s: shorter than the default 60 s
  beforeAll(async () => {
    const a = await backend(5000);
    const b = await backend(500);
    servers.push(a.server, b.server);
    slow = a.url;
    fast = b.url;
  });
  afterAll(() => { for (const s of servers) s.close(); });

  const env = async (cfg: SeedClbConfig, metrics?: Record<string, number[]>) => {
    const account = await newAccount(endpoint());
    const seeded = await seedClb(account, cfg);
    const now = new Date();
    if (metrics) await seedClbMetrics(account, seeded.name, metrics, now);
    return { aws: account.reader(), seeded, now };
  };

  it('healthy: every check passes and no cause is named', async () => {
    const { aws, seeded, now } = await env({ idleTimeoutSeconds: 2 }, { RequestCount: [120, 130, 110], HTTPCode_ELB_5XX: [0, 0, 0] });
    const run = await runClb(aws, seeded.name, slow, now);
    expect(run.results['clb.resolve']).toMatchObject({ outcome: 'found', facts: { 'clb.instanceCount': 2, 'clb.instancePort': 8080, 'clb.healthCheckTarget': 'HTTP:8080/health' } });
    expect(run.results['clb.instance-health'].outcome).toBe('healthy');
    expect(run.results['clb.network-path'].outcome).toBe('open');
    expect(run.results['clb.attributes']).toMatchObject({ outcome: 'ok', facts: { 'clb.idleTimeoutSeconds': 2, 'clb.accessLogs.enabled': true } });
    expect(run.results['cloudwatch.clb-metrics'].outcome).toBe('quiet');
    expect(run.results['net.keepalive'].outcome).toBe('ok');
    expect([...named(run)]).toEqual([]);
  }, 30_000);

  it('security group: the app group has no rule from the CLB group on the instance port', async () => {
    const { aws, seeded, now } = await env({ allowLbToInstance: false, idleTimeoutSeconds: 2 });
    const run = await runClb(aws, seeded.name, slow, now);
    expect(run.results['clb.network-path']).toMatchObject({ status: 'fail', outcome: 'sg-blocked' });
    expect(run.results['clb.network-path'].summary).toContain(seeded.appSg);
    expect(named(run)).toContain('sg-blocks-lb-to-target');
  }, 30_000);

  it('NACL: the app subnets deny the replies on ephemeral ports', async () => {
    const { aws, seeded, now } = await env({ naclDenyEphemeral: true, idleTimeoutSeconds: 2 });
    const run = await runClb(aws, seeded.name, slow, now);
    expect(run.results['clb.network-path'].outcome).toBe('nacl-blocked');
    expect(named(run)).toContain('nacl-blocks-traffic');
    expect(named(run)).not.toContain('sg-blocks-lb-to-target');
  }, 30_000);

  it('OutOfService: every instance fails the health check (ReasonCode Instance)', async () => {
    const { aws, seeded, now } = await env({ idleTimeoutSeconds: 2, health: { 0: FAILED_CHECKS, 1: FAILED_CHECKS } });
    const run = await runClb(aws, seeded.name, slow, now);
    const health = run.results['clb.instance-health'];
    expect(health).toMatchObject({ status: 'fail', outcome: 'all-unhealthy', facts: { 'clb.outOfService': 2, 'clb.inService': 0 } });
    expect(health.details?.join('\n')).toContain('UnhealthyThreshold');
    expect(named(run)).toContain('all-targets-unhealthy');
    expect(named(run)).toContain('health-check-misconfigured');
  }, 30_000);

  it('one instance OutOfService is reported alone, not as all unhealthy', async () => {
    const { aws, seeded, now } = await env({ idleTimeoutSeconds: 2, health: { 1: FAILED_CHECKS } });
    const run = await runClb(aws, seeded.name, slow, now);
    expect(run.results['clb.instance-health']).toMatchObject({ outcome: 'some-unhealthy', facts: { 'clb.unhealthyIds': seeded.instanceIds[1] } });
    expect(named(run)).not.toContain('all-targets-unhealthy');
  }, 30_000);

  it('keep-alive race: the backend closes idle connections before the CLB idle timeout (60 s)', async () => {
    const { aws, seeded, now } = await env({}, { HTTPCode_ELB_5XX: [0, 3, 1], HTTPCode_Backend_5XX: [0, 0, 0], RequestCount: [100, 100, 100] });
    const run = await runClb(aws, seeded.name, fast, now);
    expect(run.results['clb.attributes'].facts?.['clb.idleTimeoutSeconds']).toBe(60);
    expect(run.results['net.keepalive']).toMatchObject({ status: 'fail', outcome: 'race' });
    expect(run.results['cloudwatch.clb-metrics']).toMatchObject({ outcome: 'lb-made', facts: { 'metrics.clbElb5xx': 4 } });
    expect(named(run)).toContain('keepalive-race');
    expect(named(run)).not.toContain('target-generated-502');
  }, 30_000);

  it('instances answer 5xx themselves: HTTPCode_Backend_5XX with no CLB-made 5xx; access logs off is reported', async () => {
    const { aws, seeded, now } = await env({ idleTimeoutSeconds: 2, accessLogs: false }, { HTTPCode_ELB_5XX: [0, 0], HTTPCode_Backend_5XX: [4, 9] });
    const run = await runClb(aws, seeded.name, slow, now);
    expect(run.results['cloudwatch.clb-metrics']).toMatchObject({ outcome: 'backend-made' });
    expect(run.results['clb.attributes'].outcome).toBe('logs-off');
    expect(named(run)).toContain('target-generated-502');
  }, 30_000);

  it('an unknown name is not-found with the region\'s Classic LBs listed', async () => {
    const { aws } = await env({ name: 'only-one' });
    const r = await runCheckResult(getCheck('clb.resolve')!, testContext({ params: { lb: 'nope' }, aws }));
    expect(r.outcome).toBe('not-found');
    expect(r.details?.join('\n')).toContain('only-one');
  }, 30_000);
});
