// lambda.function against moto_server over HTTP: each seeded broken function is found by its
// cause, and the healthy one names none.
import { expect, it } from 'vitest';
import { getCheck } from '../../src/checks/registry.js';
import type { CheckResult } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { seedFunctions } from '../helpers/seed-lambda.js';

const named = (r: CheckResult) => (r.findings ?? []).filter((f) => f.confidence !== 'ruled-out').map((f) => f.cause).sort();

describeMoto('lambda.function against moto', (endpoint) => {
  it('finds a missing invoke permission, a timeout over the integration budget and a missing function; passes a healthy one', async () => {
    const acct = await newAccount(endpoint());
    const api = (id: string) => `arn:aws:execute-api:us-east-1:${acct.accountId}:${id}/*/*/*`;
    const tg = `arn:aws:elasticloadbalancing:us-east-1:${acct.accountId}:targetgroup/fn-tg/0123456789abcdef`;
    await seedFunctions(acct, [
      { name: 'healthy', timeoutSeconds: 10, allow: [{ principal: 'apigateway.amazonaws.com', sourceArn: api('api1') }] },
      { name: 'other-api', timeoutSeconds: 10, allow: [{ principal: 'apigateway.amazonaws.com', sourceArn: api('api2') }] },
      { name: 'slow', timeoutSeconds: 60, allow: [{ principal: 'apigateway.amazonaws.com' }] },
      { name: 'alb-fn', timeoutSeconds: 3, allow: [{ principal: 'elasticloadbalancing.amazonaws.com', sourceArn: tg }] },
    ]);
    const aws = acct.reader();
    const run = (params: Record<string, string>) => runCheckResult(getCheck('lambda.function')!, testContext({ params, aws }));

    const healthy = await run({ function: 'healthy', sourceArn: `arn:aws:execute-api:us-east-1:${acct.accountId}:api1/prod/GET/orders` });
    expect(healthy.outcome).toBe('ok');
    expect(named(healthy)).toEqual([]);
    expect(healthy.facts).toMatchObject({ 'lambda.timeoutSeconds': 10, 'lambda.invokeAllowed': true });

    const wrongApi = await run({ function: 'other-api', sourceArn: `arn:aws:execute-api:us-east-1:${acct.accountId}:api1/prod/GET/orders` });
    expect(wrongApi.outcome).toBe('no-permission');
    expect(named(wrongApi)).toEqual(['lambda-invoke-permission-missing']);
    expect(wrongApi.details?.join('\n')).toContain('aws lambda add-permission --function-name other-api');

    const slow = await run({ function: 'slow', budgetMs: '29000' });
    expect(slow.outcome).toBe('timeout-over-budget');
    expect(named(slow)).toEqual(['timeout-mismatch']);

    // The ALB's permission does not let API Gateway in, and vice versa.
    expect((await run({ function: 'alb-fn', invoker: 'elb', sourceArn: tg })).outcome).toBe('ok');
    expect(named(await run({ function: 'alb-fn', invoker: 'apigateway' }))).toEqual(['lambda-invoke-permission-missing']);

    const missing = await run({ function: 'gone' });
    expect(missing.outcome).toBe('missing');
    expect(named(missing)).toEqual(['apigw-integration-misconfigured']);
  });
});
