import { describe, expect, it } from 'vitest';
import { awsChecks } from '../../src/checks/aws.js';
import { requireAws } from '../../src/checks/env.js';
import { runCheck as runCheckRecord } from '../../src/checks/runner.js';
import { testContext, type TestContext } from '../helpers/check-context.js';
import type { Check, CheckContext } from '../../src/checks/types.js';

const ctx = (over: TestContext = {}): CheckContext => testContext(over);
const runCheck = async <E>(check: Check<E>, c: CheckContext) => (await runCheckRecord(check, c)).result;

describe('runCheck', () => {
  it('every AWS-reading check is unknown with the configure hint when AWS is not configured', async () => {
    for (const check of awsChecks.filter((c) => c.meta.apis.length)) {
      const r = await runCheck(check, ctx());
      expect(r, check.meta.id).toMatchObject({ status: 'unknown', outcome: 'unknown', summary: 'AWS is not configured: pass --profile/--region or set AWS_PROFILE' });
      expect(r.nextStep).toMatch(/--profile/);
    }
  });

  it('timeout.chain needs no AWS', async () => {
    const check = awsChecks.find((c) => c.meta.id === 'timeout.chain') as Check;
    const r = await runCheck(check, ctx({ params: { server: 'gunicorn' } }));
    expect(r.outcome).toBe('race');
  });

  it('requireAws throws the typed error', () => {
    expect(() => requireAws({ env: testContext().env })).toThrow(expect.objectContaining({ name: 'AwsNotConfiguredError' }));
  });

  it('a bug in evaluate is unknown, not a verdict', async () => {
    const broken: Check<number> = {
      meta: { id: 'x.broken', title: 'x', docs: 'https://x', apis: [], params: {}, outcomes: ['ok'] },
      collect: async () => 1,
      evaluate: () => { throw new Error('boom'); },
    };
    const r = await runCheck(broken, ctx());
    expect(r).toMatchObject({ status: 'unknown', outcome: 'unknown' });
    expect(r.summary).toContain('boom');
  });

  it('an outcome or a cause the check does not declare is a bug, reported as unknown; the evidence is kept', async () => {
    const liar: Check<{ n: number }> = {
      meta: { id: 'x.liar', title: 'x', docs: 'https://x', apis: [], params: {}, outcomes: ['ok'], causes: ['keepalive-race'] },
      collect: async () => ({ n: 1 }),
      evaluate: (ev) => (ev.n === 1
        ? { status: 'fail', outcome: 'surprise', summary: 'x' }
        : { status: 'fail', outcome: 'ok', summary: 'x', findings: [{ cause: 'port-exhaustion', confidence: 'likely', evidence: [] }] }),
    };
    const first = await runCheckRecord(liar, ctx());
    expect(first.result).toMatchObject({ status: 'unknown', outcome: 'unknown' });
    expect(first.result.summary).toContain('"surprise" is not one of its declared outcomes');
    expect(first.evidence).toEqual({ n: 1 });
    const second = await runCheckRecord({ ...liar, collect: async () => ({ n: 2 }) }, ctx());
    expect(second.result.summary).toContain('"port-exhaustion"');
  });

  it('every check declares ids, outcomes and facts the flows can rely on', () => {
    const ids = awsChecks.map((c) => c.meta.id);
    expect(ids).toEqual(expect.arrayContaining(['elbv2.resolve', 'elbv2.target-health', 'ec2.instances', 'ec2.network-path', 'elbv2.lb-attributes', 'elbv2.target-group-config', 'timeout.chain', 'cloudwatch.who-made-502', 'sts.whoami']));
    expect(new Set(ids).size).toBe(ids.length);
    const resolve = awsChecks.find((c) => c.meta.id === 'elbv2.resolve');
    expect(resolve?.meta.facts).toEqual(expect.arrayContaining(['lb.name', 'lb.arn', 'lb.dns', 'lb.scheme', 'lb.type', 'lb.vpcId', 'lb.azs', 'lb.securityGroups', 'lb.targetGroupArns', 'tg.arn', 'tg.name', 'tg.port', 'tg.protocol', 'lb.listenerPorts']));
  });
});

describe('declared causes', () => {
  it('every cause a check declares is in the catalog, and flows lint says so when one is not', async () => {
    const { checkMetas } = await import('../../src/checks/registry.js');
    const { loadCatalog } = await import('../../src/flow-files.js');
    const ids = new Set(loadCatalog().causes.map((c) => c.id));
    const declared = [...checkMetas().values()].flatMap((m) => (m.causes ?? []).map((c) => `${m.id}:${c}`));
    expect(declared.length).toBeGreaterThan(10);
    expect(declared.filter((d) => !ids.has(d.split(':')[1]))).toEqual([]);
  });
});

describe('a failed load balancer lookup', () => {
  it('later checks still use --lb (target.lb) instead of asking for it', async () => {
    const { loadBalancerFor } = await import('../../src/checks/elbv2-common.js');
    const asked: unknown[] = [];
    // Only describeLoadBalancers is exercised; the rest of the reader is unused here.
    const aws = { region: 'us-east-1', describeLoadBalancers: async (q: unknown) => { asked.push(q); return []; } } as unknown as Parameters<typeof loadBalancerFor>[0];
    await expect(loadBalancerFor(aws, { params: {}, facts: { 'target.lb': 'shop-alb' } })).rejects.toThrow(/shop-alb not found/);
    expect(asked).toEqual([{ names: ['shop-alb'] }]);
    await expect(loadBalancerFor(aws, { params: {}, facts: {} })).rejects.toThrow(/no --lb was given/);
  });
});
