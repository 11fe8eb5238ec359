// The NLB checks against moto_server over HTTP: client IP preservation means the targets' security
// groups must admit the clients; health comes from DescribeTargetHealth (launcher tag overrides).
import { expect, it } from 'vitest';
import { getCheck } from '../../src/checks/registry.js';
import type { AwsReader } from '../../src/aws/reader.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { seedNlb } from '../helpers/seed-nlb.js';

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
