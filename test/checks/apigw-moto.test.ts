// The API Gateway checks against moto_server over HTTP, in the apigw flow's order, on seeded REST and
// HTTP APIs: each broken environment must be found by its cause, and the healthy ones must name none.
// Status codes and messages per API kind: https://repost.aws/knowledge-center/malformed-502-api-gateway,
// https://repost.aws/knowledge-center/api-gateway-internal-server-error and
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html.
import { expect, it } from 'vitest';
import { getCheck } from '../../src/checks/registry.js';
import type { AwsReader } from '../../src/aws/reader.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount, type MotoAccount } from '../helpers/moto.js';
import { seedMetrics } from '../helpers/seed-alb.js';
import { seedHttpApi, seedRestApi, type SeededApi } from '../helpers/seed-apigw.js';

const ORDER = ['apigw.resolve', 'apigw.integration', 'lambda.function', 'apigw.stage', 'apigw.gateway-responses', 'cloudwatch.apigw-metrics'];

/** Runs the checks as the flow does: each gets the facts the earlier ones found; lambda.function only for a Lambda integration. */
async function runApigw(aws: AwsReader, url: string, now: Date, method = 'GET'): Promise<{ results: Record<string, CheckResult>; facts: Facts }> {
  const facts: Facts = {};
  const results: Record<string, CheckResult> = {};
  for (const id of ORDER) {
    if (id === 'lambda.function' && facts['apigw.isLambda'] !== true) continue;
    const params: Record<string, string> = id === 'apigw.resolve' ? { url }
      : id === 'apigw.integration' ? { method }
        : id === 'lambda.function' ? { invoker: 'apigateway', sourceArn: String(facts['apigw.sourceArn'] ?? ''), budgetMs: String(facts['apigw.integrationTimeoutMs'] ?? '') }
          : id === 'cloudwatch.apigw-metrics' ? { since: '30m' } : {};
    const result = await runCheckResult(getCheck(id)!, testContext({ params, facts: { ...facts }, aws, now: () => now }));
    results[id] = result;
    Object.assign(facts, result.facts ?? {});
  }
  return { results, facts };
}

const named = (run: { results: Record<string, CheckResult> }) =>
  [...new Set(Object.values(run.results).flatMap((r) => (r.findings ?? []).filter((f) => f.confidence !== 'ruled-out').map((f) => f.cause)))].sort();

const quiet = { Count: [120, 130, 110], '5XXError': [0, 0, 0], IntegrationLatency: [180, 240, 200], Latency: [200, 260, 220] };

describeMoto('API Gateway checks against moto', (endpoint) => {
  const env = async (seed: (a: MotoAccount) => Promise<SeededApi>, metrics?: (api: SeededApi) => [Record<string, string>, Record<string, number[]>]) => {
    const account = await newAccount(endpoint());
    const api = await seed(account);
    const now = new Date();
    if (metrics) {
      const [dims, points] = metrics(api);
      await seedMetrics(account, dims, points, now, 'AWS/ApiGateway');
    }
    return { aws: account.reader(), api, now, account };
  };
  const restDims = (api: SeededApi): Record<string, string> => ({ ApiName: api.name, Stage: api.stage });

  it('healthy REST API: Lambda proxy, permission for this API, timeout under 29 s, logs on: no cause', async () => {
    const { aws, api, now, account } = await env(
      (a) => seedRestApi(a, { name: 'orders', integration: { type: 'AWS_PROXY', fn: { name: 'orders-fn', timeoutSeconds: 10 } }, loggingLevel: 'INFO', accessLog: true }),
      (x) => [restDims(x), quiet],
    );
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.resolve']).toMatchObject({ outcome: 'found', facts: { 'apigw.kind': 'rest', 'apigw.id': api.id, 'apigw.stage': 'prod', 'apigw.path': '/orders', 'apigw.executionLogGroup': `API-Gateway-Execution-Logs_${api.id}/prod` } });
    expect(run.results['apigw.integration']).toMatchObject({
      outcome: 'lambda-proxy',
      facts: { 'lambda.function': 'orders-fn', 'apigw.integrationTimeoutMs': 29000, 'apigw.sourceArn': `arn:aws:execute-api:us-east-1:${account.accountId}:${api.id}/prod/GET/orders` },
    });
    expect(run.results['lambda.function']).toMatchObject({ outcome: 'ok', facts: { 'lambda.invokeAllowed': true, 'lambda.timeoutSeconds': 10 } });
    expect(run.results['apigw.stage']).toMatchObject({ outcome: 'logs-on', facts: { 'apigw.executionLogs': true, 'apigw.accessLogs': true } });
    expect(run.results['apigw.gateway-responses'].outcome).toBe('defaults');
    expect(run.results['cloudwatch.apigw-metrics']).toMatchObject({ outcome: 'quiet', facts: { 'metrics.apigwCount': 360 } });
    expect(named(run)).toEqual([]);
  }, 60_000);

  it('REST: a 60 s function behind the 29 s integration, IntegrationLatency at the limit: timeout-mismatch', async () => {
    const { aws, api, now } = await env(
      (a) => seedRestApi(a, { name: 'reports', integration: { type: 'AWS_PROXY', fn: { name: 'reports-fn', timeoutSeconds: 60 } }, loggingLevel: 'ERROR' }),
      (x) => [restDims(x), { Count: [40, 40], '5XXError': [0, 6], IntegrationLatency: [900, 29000], Latency: [950, 29010] }],
    );
    const run = await runApigw(aws, api.url, now);
    expect(run.results['lambda.function'].outcome).toBe('timeout-over-budget');
    expect(run.results['cloudwatch.apigw-metrics']).toMatchObject({ status: 'fail', outcome: 'timeouts', facts: { 'metrics.apigw5xx': 6 } });
    expect(named(run)).toEqual(['timeout-mismatch']);
  }, 60_000);

  it('REST: no invoke permission for API Gateway (infrastructure code forgot it): lambda-invoke-permission-missing', async () => {
    const { aws, api, now } = await env((a) => seedRestApi(a, { name: 'cart', integration: { type: 'AWS_PROXY', fn: { name: 'cart-fn', timeoutSeconds: 5 } }, allowInvoke: false }));
    const run = await runApigw(aws, api.url, now);
    expect(run.results['lambda.function']).toMatchObject({ status: 'fail', outcome: 'no-permission', facts: { 'lambda.invokeAllowed': false } });
    expect(run.results['lambda.function'].details?.join('\n')).toContain('aws lambda add-permission --function-name cart-fn');
    expect(named(run)).toEqual(['lambda-invoke-permission-missing']);
  }, 60_000);

  it('REST: the integration points at a deleted function: apigw-integration-misconfigured', async () => {
    const { aws, api, now } = await env((a) => seedRestApi(a, { name: 'legacy', integration: { type: 'AWS_PROXY', missingFunction: 'legacy-fn-v1' } }));
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.integration'].facts?.['lambda.function']).toBe('legacy-fn-v1');
    expect(run.results['lambda.function']).toMatchObject({ outcome: 'missing', facts: { 'lambda.exists': false } });
    expect(named(run)).toEqual(['apigw-integration-misconfigured']);
  }, 60_000);

  it('REST: a non-proxy Lambda integration without integration responses: apigw-integration-misconfigured', async () => {
    const { aws, api, now } = await env((a) => seedRestApi(a, { name: 'quotes', integration: { type: 'AWS', fn: { name: 'quotes-fn', timeoutSeconds: 5 } }, methodResponses: ['200'] }));
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.integration']).toMatchObject({ status: 'fail', outcome: 'misconfigured', facts: { 'apigw.integrationType': 'AWS' } });
    expect(run.results['apigw.integration'].summary).toMatch(/no integration response/);
    expect(named(run)).toEqual(['apigw-integration-misconfigured']);
  }, 60_000);

  it('REST: a private HTTP integration through a FAILED VPC link: apigw-integration-misconfigured, with the NLB named', async () => {
    const { aws, api, now } = await env((a) => seedRestApi(a, {
      name: 'billing',
      integration: { type: 'HTTP_PROXY', uri: 'http://billing.internal.example/orders', vpcLink: { status: 'FAILED', message: 'NLB ARN is malformed' } },
    }));
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.integration']).toMatchObject({ outcome: 'vpc-link-down', facts: { 'apigw.vpcLinkStatus': 'FAILED', 'apigw.nlbName': 'billing-nlb', 'apigw.connectionType': 'VPC_LINK' } });
    expect(run.results['lambda.function']).toBeUndefined();
    expect(named(run)).toEqual(['apigw-integration-misconfigured']);
  }, 60_000);

  it('REST: a function named by a stage variable is resolved from the stage; customised DEFAULT_5XX is reported, not blamed', async () => {
    const { aws, api, now } = await env(async (a) => {
      const seeded = await seedRestApi(a, {
        name: 'search', integration: { type: 'AWS_PROXY', fn: { name: 'search-fn', timeoutSeconds: 5 }, viaStageVariable: 'fn' }, variables: { fn: 'search-fn' },
        gatewayResponses: [{ type: 'DEFAULT_5XX', statusCode: '502', template: '{"error":"upstream"}' }],
      });
      return seeded;
    });
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.integration'].facts?.['apigw.integrationUri']).toMatch(/function:search-fn\/invocations$/);
    expect(run.results['apigw.integration'].facts?.['lambda.function']).toBe('search-fn');
    expect(run.results['lambda.function'].outcome).toBe('ok');
    expect(run.results['apigw.gateway-responses']).toMatchObject({ status: 'warn', outcome: 'customised', facts: { 'apigw.customGatewayResponses': 'DEFAULT_5XX:502' } });
    expect(run.results['apigw.stage'].facts?.['apigw.stageVariables']).toBe('fn=search-fn');
    expect(named(run)).toEqual([]);
  }, 60_000);

  it('REST: the integration names ${stageVariables.fn}, which the stage does not set: apigw-integration-misconfigured', async () => {
    const { aws, api, now } = await env((a) => seedRestApi(a, { name: 'search2', integration: { type: 'AWS_PROXY', fn: { name: 'search2-fn' }, viaStageVariable: 'fn' } }));
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.integration'].status).toBe('fail');
    expect(run.results['apigw.integration'].summary).toContain('${stageVariables.fn}');
    expect(run.results['lambda.function']).toBeUndefined();
    expect(named(run)).toEqual(['apigw-integration-misconfigured']);
  }, 60_000);

  it('healthy HTTP API ($default stage, payload 2.0): no cause; 5xx by ApiId', async () => {
    const { aws, api, now } = await env(
      (a) => seedHttpApi(a, { name: 'profile', integration: { type: 'AWS_PROXY', fn: { name: 'profile-fn', timeoutSeconds: 8 } }, accessLog: true }),
      (x) => [{ ApiId: x.id, Stage: x.stage }, { Count: [50, 60], '5xx': [0, 0], IntegrationLatency: [90, 120] }],
    );
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.resolve']).toMatchObject({ outcome: 'found', facts: { 'apigw.kind': 'http', 'apigw.stage': '$default', 'apigw.path': '/orders' } });
    expect(run.results['apigw.integration']).toMatchObject({ outcome: 'lambda-proxy', facts: { 'apigw.payloadFormatVersion': '2.0', 'apigw.integrationTimeoutMs': 30000, 'lambda.function': 'profile-fn' } });
    expect(run.results['apigw.stage']).toMatchObject({ outcome: 'logs-on', facts: { 'apigw.accessLogs': true, 'apigw.loggingLevel': 'none' } });
    expect(run.results['apigw.gateway-responses'].outcome).toBe('not-applicable');
    expect(run.results['cloudwatch.apigw-metrics'].outcome).toBe('quiet');
    expect(named(run)).toEqual([]);
  }, 60_000);

  it('HTTP API: the permission allows another API only: lambda-invoke-permission-missing', async () => {
    const { aws, api, now, account } = await env((a) => seedHttpApi(a, {
      name: 'pay', integration: { type: 'AWS_PROXY', fn: { name: 'pay-fn', timeoutSeconds: 8, allow: [{ principal: 'apigateway.amazonaws.com', sourceArn: `arn:aws:execute-api:us-east-1:${a.accountId}:otherapi01/*/*/*` }] } },
    }));
    const run = await runApigw(aws, api.url, now);
    expect(run.results['apigw.integration'].facts?.['apigw.sourceArn']).toBe(`arn:aws:execute-api:us-east-1:${account.accountId}:${api.id}/$default/GET/orders`);
    expect(run.results['lambda.function'].outcome).toBe('no-permission');
    expect(named(run)).toEqual(['lambda-invoke-permission-missing']);
  }, 60_000);

  it('HTTP API: an HTTP_PROXY integration through a FAILED VPC link', async () => {
    const { aws, api, now } = await env((a) => seedHttpApi(a, { name: 'inventory', routeKey: 'ANY /{proxy+}', integration: { type: 'HTTP_PROXY', uri: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/inv/0123456789abcdef/0123456789abcdef', vpcLink: { status: 'FAILED' } } }));
    const run = await runApigw(aws, `${api.url.replace(/\/orders$/, '')}/items/42`, now, 'POST');
    expect(run.results['apigw.integration']).toMatchObject({ outcome: 'vpc-link-down', facts: { 'apigw.route': 'ANY /{proxy+}', 'apigw.vpcLinkStatus': 'FAILED' } });
    expect(named(run)).toEqual(['apigw-integration-misconfigured']);
  }, 60_000);

  it('an unknown API id is not-found with the region\'s APIs listed; a path with no route is no-route', async () => {
    const { aws, api } = await env((a) => seedRestApi(a, { name: 'only-one', integration: { type: 'MOCK' } }));
    const missing = await runCheckResult(getCheck('apigw.resolve')!, testContext({ params: { url: 'https://zzzz999999.execute-api.us-east-1.amazonaws.com/prod/x' }, aws }));
    expect(missing.outcome).toBe('not-found');
    expect(missing.details?.join('\n')).toContain('only-one');
    // By id alone (no URL): the only stage is taken; a stage that does not exist is named.
    expect(await runCheckResult(getCheck('apigw.resolve')!, testContext({ params: { api: api.id }, aws }))).toMatchObject({ outcome: 'found', facts: { 'apigw.stage': 'prod', 'apigw.path': '/' } });
    const wrongStage = await runCheckResult(getCheck('apigw.resolve')!, testContext({ params: { api: `${api.id}/staging` }, aws }));
    expect(wrongStage).toMatchObject({ outcome: 'ambiguous', summary: expect.stringContaining('has no stage "staging"') });
    const noRoute = await runCheckResult(getCheck('apigw.integration')!, testContext({ params: { api: api.id, kind: 'rest', stage: 'prod', path: '/nowhere' }, aws }));
    expect(noRoute.outcome).toBe('no-route');
    expect(noRoute.details?.join('\n')).toContain('Missing Authentication Token');
  }, 60_000);
});
