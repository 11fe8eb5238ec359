// The CloudWatch Logs checks against moto_server over HTTP, on log groups seeded with lines as AWS
// writes them (sources in test/logs/apigw-lambda-logs.fixtures.ts): a malformed Lambda proxy
// response and a missing invoke permission in a REST execution log, a Lambda timeout in the
// function's log, a missing permission in an HTTP API access log, and clean groups that name no cause.
import { describe, expect, it } from 'vitest';
import { logsApigwAccess } from '../../src/checks/logs-apigw-access.js';
import { logsApigwExecution } from '../../src/checks/logs-apigw-execution.js';
import { logsLambdaErrors } from '../../src/checks/logs-lambda-errors.js';
import { getCheck } from '../../src/checks/registry.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { eventsAt, seedLogGroup } from '../helpers/seed-logs.js';
import { execRequest, HTTP_API_OK, HTTP_API_PERMISSION, LAMBDA, REST_JSON_BACKEND_502 } from '../logs/apigw-lambda-logs.fixtures.js';

const causes = (r: { findings?: { cause: string }[] }) => [...new Set((r.findings ?? []).map((f) => f.cause))];

describeMoto('CloudWatch Logs checks against moto', (endpoint) => {
  it('logs.apigw-execution: malformed proxy response and missing permission named, a clean stage names none, a missing group says how to turn logging on', async () => {
    const acct = await newAccount(endpoint());
    const now = Date.now();
    const broken = [
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-000000000001', 'malformed'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-000000000002', 'ok'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-000000000003', 'malformed'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-000000000004', 'permission'),
    ];
    await seedLogGroup(acct, 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod', eventsAt(now, broken));
    await seedLogGroup(acct, 'API-Gateway-Execution-Logs_a1b2c3d4e5/dev', eventsAt(now, [...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-000000000005', 'ok'), ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-000000000006', 'ok')]));
    const aws = acct.reader();
    const run = (params: Record<string, string>) => runCheckResult(logsApigwExecution, testContext({ aws, params }));

    const r = await run({ restApiId: 'a1b2c3d4e5', stage: 'prod', since: '1h' });
    expect(r).toMatchObject({ status: 'fail', outcome: 'lambda-invalid-response' });
    expect(r.facts).toMatchObject({ 'apigw.exec.failures': 3, 'apigw.exec.cause': 'lambda-invalid-response' });
    expect(r.findings?.map((f) => [f.cause, f.confidence])).toEqual([['lambda-invalid-response', 'confirmed'], ['lambda-invoke-permission-missing', 'confirmed']]);
    expect(r.findings?.[0].evidence[0]).toMatch(/^2 failed request\(s\) in API-Gateway-Execution-Logs_a1b2c3d4e5\/prod, answered 502×2: execution log: Malformed Lambda proxy response/);
    expect(r.findings?.[0].evidence[1]).toMatch(/\(7d3e0c2a-0f4b-4d1c-9a7e-000000000001\) Execution failed due to configuration error: Malformed Lambda proxy response/);
    expect(r.findings?.[1].evidence[0]).toMatch(/answered 500×1/);
    expect(r.sources?.filter((s) => s.api === 'logs:FilterLogEvents')).toHaveLength(8);

    const clean = await run({ restApiId: 'a1b2c3d4e5', stage: 'dev' });
    expect(clean).toMatchObject({ status: 'pass', outcome: 'clean' });
    expect(clean.findings ?? []).toEqual([]);

    const missing = await run({ restApiId: 'a1b2c3d4e5', stage: 'staging' });
    expect(missing).toMatchObject({ status: 'warn', outcome: 'no-logs' });
    expect(missing.nextStep).toContain('aws apigateway update-stage --rest-api-id a1b2c3d4e5 --stage-name staging --patch-operations op=replace,path=/*/*/logging/loglevel,value=INFO');

    // Outside the window: nothing found.
    const old = await run({ restApiId: 'a1b2c3d4e5', stage: 'prod', since: new Date(now - 7_200_000).toISOString(), until: new Date(now - 3_600_000).toISOString() });
    expect(old.outcome).toBe('clean');
  });

  it('logs.lambda-errors: timeouts with their seconds and errors by type; a clean function names no cause', async () => {
    const acct = await newAccount(endpoint());
    const now = Date.now();
    const A = '5f6e6ff0-7a1b-4b44-bc6c-5ef0e0b71b5e';
    const B = '0b7e2c91-3f5d-4e62-8a10-9c4d3b2a1f00';
    const C = 'c793869b-ee49-115b-a5b6-4fd21e8dedac';
    const D = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
    await seedLogGroup(acct, '/aws/lambda/orders', eventsAt(now, [
      LAMBDA.start(A), LAMBDA.timedOut(A), LAMBDA.end(A), LAMBDA.report(A, '3003.37', 'timeout'),
      LAMBDA.start(D), LAMBDA.timedOut(D), LAMBDA.end(D), LAMBDA.report(D, '3001.02', 'timeout'),
      LAMBDA.start(B), LAMBDA.nodeError(B), LAMBDA.end(B), LAMBDA.report(B, '41.02', 'error'),
      LAMBDA.start(C), LAMBDA.info(C), LAMBDA.end(C), LAMBDA.report(C),
    ]));
    await seedLogGroup(acct, '/aws/lambda/healthy', eventsAt(now, [LAMBDA.start(C), LAMBDA.info(C), LAMBDA.end(C), LAMBDA.report(C)]));
    const aws = acct.reader();
    const run = (functionName: string) => runCheckResult(logsLambdaErrors, testContext({ aws, params: { functionName, since: '1h' } }));

    const r = await run(`arn:aws:lambda:us-east-1:${acct.accountId}:function:orders:live`);
    expect(r).toMatchObject({ status: 'fail', outcome: 'timeouts' });
    expect(r.facts).toMatchObject({ 'lambda.logs.group': '/aws/lambda/orders', 'lambda.logs.timeouts': 2, 'lambda.logs.errors': 1, 'lambda.logs.invocations': 4, 'lambda.logs.timeoutSeconds': 3 });
    expect(r.summary).toMatch(/orders: 2 timeout\(s\) at 3.00 s, 1 error\(s\) of 4 invocations/);
    expect(causes(r)).toEqual(['lambda-error-or-timeout']);
    expect(r.findings?.[0].evidence[0]).toMatch(/2 invocation\(s\) of orders timed out after 3.00 s ×2/);
    expect(r.findings?.[1].evidence[0]).toMatch(/ReferenceError ×1/);
    expect(r.details?.join('\n')).toMatch(/throttled invocations never run/);

    const clean = await run('healthy');
    expect(clean).toMatchObject({ status: 'pass', outcome: 'clean' });
    expect(clean.findings ?? []).toEqual([]);
    expect((await run('never-ran')).outcome).toBe('no-logs');
  });

  it('logs.apigw-access: an Insights query, classified here: missing permission and a backend 502 named; a clean group names none', async () => {
    const acct = await newAccount(endpoint());
    const now = Date.now();
    await seedLogGroup(acct, '/aws/apigateway/orders-http', eventsAt(now, [HTTP_API_OK, HTTP_API_PERMISSION, HTTP_API_OK, HTTP_API_PERMISSION, REST_JSON_BACKEND_502]));
    await seedLogGroup(acct, '/aws/apigateway/orders-ok', eventsAt(now, [HTTP_API_OK, HTTP_API_OK]));
    const aws = acct.reader();
    const run = (logGroup: string) => runCheckResult(logsApigwAccess, testContext({ aws, params: { logGroup, since: '1h' } }));

    const r = await run(`arn:aws:logs:us-east-1:${acct.accountId}:log-group:/aws/apigateway/orders-http:*`);
    expect(r).toMatchObject({ status: 'fail', outcome: 'permission' });
    expect(r.facts).toMatchObject({ 'apigw.access.requests': 5, 'apigw.access.failures': 3, 'apigw.access.cause': 'lambda-invoke-permission-missing' });
    expect(causes(r)).toEqual(['lambda-invoke-permission-missing', 'target-generated-502']);
    expect(r.findings?.[0].evidence[0]).toMatch(/2 failed request\(s\) in \/aws\/apigateway\/orders-http, answered 500×2: integration error: The IAM role configured on the integration/);
    expect(r.sources?.map((s) => s.api)).toEqual(['logs:DescribeLogGroups', 'logs:StartQuery']);

    const clean = await run('/aws/apigateway/orders-ok');
    expect(clean).toMatchObject({ status: 'pass', outcome: 'clean' });
    expect(clean.findings ?? []).toEqual([]);
    expect((await run('/aws/apigateway/none')).outcome).toBe('no-logs');
  });
});

describe('CloudWatch Logs checks without AWS or with bad input', () => {
  it('are registered, and bad params are unknown with a next step, not a crash', async () => {
    for (const id of ['logs.apigw-execution', 'logs.lambda-errors', 'logs.apigw-access']) expect(getCheck(id)?.meta.id).toBe(id);
    const r = await runCheckResult(logsApigwExecution, testContext({ params: { stage: 'prod' } }));
    expect(r).toMatchObject({ status: 'unknown', summary: 'pass restApiId and stage, or logGroup' });
    const since = await runCheckResult(logsLambdaErrors, testContext({ params: { functionName: 'orders', since: 'yesterday' } }));
    expect(since.status).toBe('unknown');
    expect(since.summary).toMatch(/neither a duration/);
    const noAws = await runCheckResult(logsApigwAccess, testContext({ params: { logGroup: '/aws/apigateway/x' } }));
    expect(noAws.status).toBe('unknown');
    expect(noAws.nextStep).toBeTruthy();
  });
});
