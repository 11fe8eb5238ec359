// The ALB checks on a target group of type lambda, against moto over HTTP. moto answers the
// Lambda target `healthy`; the seed makes it answer as AWS does with health checks off, the
// default: `unavailable` / Target.HealthCheckDisabled
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html).
import { expect, it } from 'vitest';
import { getCheck } from '../../src/checks/registry.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { seedMetrics } from '../helpers/seed-alb.js';
import { seedLambdaAlb } from '../helpers/seed-alb-lambda.js';

const standing = (r: CheckResult) => (r.findings ?? []).filter((f) => f.confidence !== 'ruled-out').map((f) => f.cause);

describeMoto('ALB checks on a Lambda target group (moto)', (endpoint) => {
  it('target health, target group, idle timeout and keep-alive checks read a Lambda group as one', async () => {
    const account = await newAccount(endpoint());
    const s = await seedLambdaAlb(account, { name: 'quotes', fn: { name: 'quotes-api', timeoutSeconds: 6, allowAlb: true } });
    const aws = account.reader();
    let facts: Facts = {};
    const run = async (id: string, params: Record<string, string> = {}) => {
      const r = await runCheckResult(getCheck(id)!, testContext({ aws, params, facts }));
      facts = { ...facts, ...r.facts };
      return r;
    };

    const resolved = await run('elbv2.resolve', { lb: s.lbName });
    expect(resolved.facts).toMatchObject({ 'tg.targetType': 'lambda', 'tg.arn': s.tgArn });

    // Health checks off is no "all targets unhealthy": the function still gets every request.
    const health = await run('elbv2.target-health');
    expect(health.outcome).toBe('all-healthy');
    expect(standing(health)).toEqual([]);
    expect(health.facts).toMatchObject({ 'lambda.function': s.fnArn, 'lambda.name': 'quotes-api', 'lambda.targetGroupArn': s.tgArn, 'tg.targetType': 'lambda' });

    const tg = await run('elbv2.target-group-config');
    expect(tg.outcome).toBe('ok');
    expect(tg.details?.join('\n')).toMatch(/idle timeout is not applied/);
    expect(tg.facts).toMatchObject({ 'tg.lambdaMultiValueHeaders': false });

    const attrs = await run('elbv2.lb-attributes');
    expect(attrs.details?.join('\n')).toMatch(/not applied to Lambda targets/);

    // The flow passes the target group as the source ARN the policy must allow.
    const fn = await run('lambda.function', { invoker: 'elb', sourceArn: s.tgArn });
    expect(fn.outcome).toBe('ok');
    expect(fn.facts).toMatchObject({ 'lambda.timeoutSeconds': 6, 'lambda.invokeAllowed': true });

    const chain = await run('timeout.chain', { server: 'node' });
    expect(chain.outcome).toBe('not-applicable');
    expect(chain.summary).toMatch(/up to 6 s/);
    expect(chain.findings).toEqual([expect.objectContaining({ cause: 'keepalive-race', confidence: 'ruled-out' })]);

    const ka = await run('net.keepalive', { target: '127.0.0.1:9' });
    expect(ka.outcome).toBe('not-applicable');
  });

  it('cloudwatch.lambda-metrics finds the function from the load balancer alone, and reads throttling', async () => {
    const account = await newAccount(endpoint());
    const s = await seedLambdaAlb(account, { name: 'burst', fn: { name: 'burst-api', timeoutSeconds: 10, allowAlb: true } });
    await seedMetrics(account, { FunctionName: 'burst-api' }, { Invocations: [400, 410], Throttles: [35, 60] }, new Date(), 'AWS/Lambda');
    const r = await runCheckResult(getCheck('cloudwatch.lambda-metrics')!, testContext({ aws: account.reader(), params: { lb: s.lbName } }));
    expect(r.outcome).toBe('throttled');
    expect(r.facts).toMatchObject({ 'lambda.throttles': 95, 'lambda.invocations': 810 });
    expect(standing(r)).toEqual(['lambda-error-or-timeout']);
    expect(r.sources?.map((x) => x.api)).toContain('cloudwatch:GetMetricData');
  });
});
