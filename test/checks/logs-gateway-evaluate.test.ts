// evaluate() of the CloudWatch Logs checks from evidence as collect() stores it: the paths the
// moto tests do not reach (a stage logging at ERROR only, a format that is not an access log,
// searches cut at the limit, a journal re-evaluated offline).
import { describe, expect, it } from 'vitest';
import { logsApigwAccess } from '../../src/checks/logs-apigw-access.js';
import { logsApigwExecution, type ApigwExecutionEvidence } from '../../src/checks/logs-apigw-execution.js';
import { logsLambdaErrors, functionBaseName } from '../../src/checks/logs-lambda-errors.js';
import { execRequest, HTTP_API_PERMISSION, LAMBDA, REST_CLF_502 } from '../logs/apigw-lambda-logs.fixtures.js';

const window = { startTime: Date.parse('2026-12-03T07:00:00Z'), endTime: Date.parse('2026-12-03T09:00:00Z') };
const at = (i: number) => Date.parse('2026-12-03T08:00:00Z') + i * 1000;
const ctx = { params: {}, facts: {} };

describe('logs.apigw-execution evaluate', () => {
  it('a stage at log level ERROR writes the failure lines only: each still counts, by cause', () => {
    const lines = ['7d3e0c2a-0f4b-4d1c-9a7e-000000000001', '7d3e0c2a-0f4b-4d1c-9a7e-000000000002'].flatMap((id) => execRequest(id, 'function-timeout').filter((l) => l.includes('customer function error')));
    const ev: ApigwExecutionEvidence = { logGroup: 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod', restApiId: 'a1b2c3d4e5', stage: 'prod', window, exists: true, events: lines.map((message, i) => ({ timestamp: at(i), message })), limit: 2, capped: ['"Lambda execution failed"'] };
    const r = logsApigwExecution.evaluate(ev, ctx);
    expect(r).toMatchObject({ status: 'fail', outcome: 'lambda-error' });
    expect(r.findings?.[0].evidence[0]).toMatch(/^2 failed request\(s\) in API-Gateway-Execution-Logs_a1b2c3d4e5\/prod: execution log: the function timed out after 3.00 s/);
    expect(r.details?.join('\n')).toMatch(/reached the limit of 2 events: counts are at least these/);
  });

  it('a 502 with no failure line stays unclassified and asks for log level INFO', () => {
    const ev: ApigwExecutionEvidence = { logGroup: 'g', window, exists: true, events: [{ timestamp: at(0), message: '(7d3e0c2a-0f4b-4d1c-9a7e-000000000009) Method completed with status: 502' }], capped: [] };
    const r = logsApigwExecution.evaluate(ev, ctx);
    expect(r).toMatchObject({ status: 'warn', outcome: 'unclassified', findings: [] });
    expect(r.nextStep).toMatch(/log level to INFO/);
  });
});

describe('logs.apigw-access evaluate', () => {
  it('lines in no access-log format: a warning with the format to set, not a pass', () => {
    const r = logsApigwAccess.evaluate({ logGroup: '/aws/apigateway/x', window, exists: true, rows: [{ timestamp: '2026-12-03 08:00:00.000', message: 'hello world' }], limit: 1000 }, ctx);
    expect(r).toMatchObject({ status: 'warn', outcome: 'unclassified' });
    expect(r.nextStep).toMatch(/access-log format to JSON/);
  });

  it('a CLF 502 without integration fields asks for them; a JSON permission error is named', () => {
    const r = logsApigwAccess.evaluate({ logGroup: '/aws/apigateway/x', window, exists: true, rows: [REST_CLF_502, HTTP_API_PERMISSION].map((message) => ({ timestamp: '2026-12-03 08:00:05.000', message })), limit: 2 }, ctx);
    expect(r.outcome).toBe('permission');
    expect(r.details?.join('\n')).toMatch(/1 failure\(s\) name no integration error: add \$context.integrationErrorMessage/);
    expect(r.details?.join('\n')).toMatch(/returned its limit of 2/);
  });
});

describe('logs.lambda-errors evaluate', () => {
  it('names the log group from a name, an alias or an ARN', () => {
    expect(functionBaseName('orders')).toBe('orders');
    expect(functionBaseName('orders:live')).toBe('orders');
    expect(functionBaseName('arn:aws:lambda:eu-west-1:123456789012:function:orders:7')).toBe('orders');
  });

  it('an import error before any invocation is an error of its own type', () => {
    const r = logsLambdaErrors.evaluate({ functionName: 'orders', logGroup: '/aws/lambda/orders', window, exists: true, events: [{ timestamp: at(0), message: LAMBDA.importError }], capped: [] }, ctx);
    expect(r).toMatchObject({ status: 'fail', outcome: 'errors' });
    expect(r.findings?.[0].evidence[0]).toMatch(/Runtime.ImportModuleError ×1/);
  });
});
