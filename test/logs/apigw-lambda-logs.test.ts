// API Gateway access and execution logs and Lambda function logs in `badgate logs`: detected per
// line, each failed request counted once and named by cause. Fixture sources: apigw-lambda-logs.fixtures.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLogsCommand } from '../../src/commands/logs.js';
import { detectLine } from '../../src/logs/line-format.js';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { DOC_HTTP, NGINX_LINES } from './fixtures.js';
import { execRequest, HTTP_API_OK, HTTP_API_PERMISSION, HTTP_CLF_PERMISSION, KC_MALFORMED_CONSOLE, LAMBDA, REST_CLF_200, REST_CLF_502, REST_JSON_BACKEND_502, REST_JSON_TIMEOUT } from './apigw-lambda-logs.fixtures.js';

const detect = (line: string) => {
  const b = Buffer.from(line);
  const d = detectLine(b, 0, b.length);
  return { format: d.format, rest: b.toString('utf8', d.start) };
};
const byCause = (a: ReturnType<typeof analyzeText>) => Object.fromEntries(a.causes.map((c) => [c.cause, c.count]));

describe('API Gateway execution logs', () => {
  it('reads the Knowledge Center example: a malformed proxy response, then the 502', () => {
    const a = analyzeText({ 'exec.txt': KC_MALFORMED_CONSOLE.join('\n') });
    expect(a.format).toBe('apigw-execution');
    expect(a.requests).toBe(1);
    expect(a.count502).toBe(1);
    expect(a.causes[0]).toMatchObject({ cause: 'lambda-invalid-response', confidence: 'confirmed', evidence: ['exec.txt:1'] });
  });

  it('ties each failure line to its request id, whatever status the gateway answered', () => {
    const lines = [
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-111111111111', 'malformed'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-222222222222', 'permission'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-333333333333', 'function-timeout'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-444444444444', 'integration-timeout'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-555555555555', 'http-502'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-666666666666', 'vpc-link'),
      ...execRequest('7d3e0c2a-0f4b-4d1c-9a7e-777777777777', 'ok'),
    ];
    const a = analyzeText({ 'exec.log': lines.join('\n') });
    expect(a.requests).toBe(7);
    expect(a.count502).toBe(6);
    expect(a.lines.malformed).toBe(0);
    expect(byCause(a)).toEqual({
      'lambda-invalid-response': 1, 'lambda-invoke-permission-missing': 1, 'lambda-error-or-timeout': 1,
      'timeout-mismatch': 1, 'target-generated-502': 1, 'apigw-integration-misconfigured': 1,
    });
    expect(a.target502).toBe(1);
    expect(a.causes.find((c) => c.cause === 'lambda-error-or-timeout')?.evidence).toEqual(['exec.log:17']);
    expect(a.byPath[0]).toMatchObject({ key: 'GET /orders', count502: 6 });
  });

  it('reads lines with the time `aws logs tail` prints (and the stream name), and keeps the window', () => {
    const id = '7d3e0c2a-0f4b-4d1c-9a7e-888888888888';
    const lines = execRequest(id, 'malformed').map((l, i) => `2026-12-03T08:00:0${i}.000000+00:00 0123456789abcdef0123456789abcdef ${l}`);
    expect(detect(lines[4])).toEqual({ format: 'apigw-execution', rest: execRequest(id, 'malformed')[4] });
    const a = analyzeText({ 'tail.txt': lines.join('\n') }, { sinceMs: Date.parse('2026-12-03T07:00:00Z'), untilMs: Date.parse('2026-12-03T09:00:00Z') });
    expect(a.count502).toBe(1);
    expect(a.window.first).toBe('2026-12-03T08:00:05.000Z');
    const later = analyzeText({ 'tail.txt': lines.join('\n') }, { sinceMs: Date.parse('2026-12-03T09:00:00Z') });
    expect(later.count502).toBe(0);
  });

  it('counts a failure line whose status line was filtered out of the export', () => {
    const a = analyzeText({ 'filtered.txt': '(0a1b2c3d-1111-2222-3333-444455556666) Execution failed due to configuration error: Malformed Lambda proxy response' });
    expect(a.count502).toBe(1);
    expect(a.causes[0].why).toContain('status line is not in the log');
  });
});

describe('API Gateway access logs', () => {
  it('reads the JSON formats: HTTP API 500 from a missing permission, REST 502 from the backend, a 504 timeout, a 200', () => {
    const a = analyzeText({ 'access.json': [HTTP_API_PERMISSION, HTTP_API_OK, REST_JSON_BACKEND_502, REST_JSON_TIMEOUT].join('\n') });
    expect(a.format).toBe('apigw-access');
    expect(a.requests).toBe(4);
    expect(a.count502).toBe(3);
    expect(byCause(a)).toEqual({ 'lambda-invoke-permission-missing': 1, 'target-generated-502': 1, 'timeout-mismatch': 1 });
    expect(a.target502).toBe(1);
    expect(a.causes.find((c) => c.cause === 'lambda-invoke-permission-missing')?.why).toContain('answered 500');
    expect(a.byPath.map((p) => p.key).sort()).toEqual(['GET /hello', 'GET /orders', 'POST /orders']);
    expect(a.window.first).toBe('2026-12-03T08:00:01.000Z');
  });

  it('reads the CLF formats, with and without an appended integration error', () => {
    for (const l of [REST_CLF_502, REST_CLF_200, HTTP_CLF_PERMISSION]) expect(detect(l).format).toBe('apigw-access');
    const a = analyzeText({ 'access.clf': [REST_CLF_502, REST_CLF_200, HTTP_CLF_PERMISSION].join('\n') });
    expect(a.requests).toBe(3);
    expect(byCause(a)).toEqual({ unclassified: 1, 'lambda-invoke-permission-missing': 1 });
    expect(a.causes.find((c) => c.cause === 'unclassified')?.why).toContain('$context.integrationErrorMessage');
  });

  it('leaves ALB lines, nginx error lines and nginx combined access lines to their readers', () => {
    expect(detect(DOC_HTTP).format).toBe('alb');
    expect(detect(NGINX_LINES.refused).format).toBe('nginx-error');
    // nginx `combined`: the referer and user agent follow the length, quoted (https://nginx.org/en/docs/http/ngx_http_log_module.html).
    expect(detect('192.0.2.1 - - [03/Dec/2026:08:00:05 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.5.0"').format).toBeNull();
  });
});

describe('Lambda function logs', () => {
  const A = '5f6e6ff0-7a1b-4b44-bc6c-5ef0e0b71b5e';
  const B = '0b7e2c91-3f5d-4e62-8a10-9c4d3b2a1f00';
  const C = 'c793869b-ee49-115b-a5b6-4fd21e8dedac';

  it('counts invocations by REPORT and each failed one once: a timeout (its line and REPORT), an error, an import error', () => {
    const lines = [
      LAMBDA.start(A), LAMBDA.timedOut(A), LAMBDA.end(A), LAMBDA.report(A, '3003.37', 'timeout'),
      LAMBDA.start(B), LAMBDA.info(B), LAMBDA.nodeError(B), LAMBDA.end(B), LAMBDA.report(B, '41.02', 'error'),
      LAMBDA.start(C), LAMBDA.info(C), LAMBDA.end(C), LAMBDA.report(C),
      LAMBDA.importError,
    ];
    for (const l of lines) expect(detect(l).format, l).toBe('lambda');
    const a = analyzeText({ 'fn.log': lines.join('\n') });
    expect(a.format).toBe('lambda');
    expect(a.requests).toBe(3);
    expect(a.count502).toBe(3);
    expect(a.lines.malformed).toBe(0);
    const t = a.causes[0];
    expect(t).toMatchObject({ cause: 'lambda-error-or-timeout', count: 3, evidence: ['fn.log:2', 'fn.log:7', 'fn.log:14'] });
    expect(a.verdict.why).toBe('3 of 3 502s (100%): Lambda: Task timed out after 3.00 s');
    expect(a.examples.map((x) => x.ref)).toEqual(['fn.log:2', 'fn.log:7', 'fn.log:14']);
  });

  it('reads the JSON log format: platform.report status and runtime error records, not as API Gateway access logs', () => {
    const lines = [LAMBDA.jsonReport(A, 'timeout'), LAMBDA.jsonError(B), LAMBDA.jsonReport(B, 'error', 12.5), LAMBDA.jsonReport(C, 'success', 8.1)];
    for (const l of lines) expect(detect(l).format, l).toBe('lambda');
    const a = analyzeText({ 'fn.json': lines.join('\n') }, { sinceMs: Date.parse('2026-12-03T07:00:00Z') });
    expect(a.requests).toBe(3);
    expect(a.count502).toBe(2);
    expect(a.causes[0]).toMatchObject({ cause: 'lambda-error-or-timeout', count: 2, evidence: ['fn.json:1', 'fn.json:2'] });
    expect(a.window.first).toBe('2026-12-03T08:00:02.183Z');
  });

  it('reads `aws logs tail` output of the function log group', () => {
    const tail = [LAMBDA.start(A), LAMBDA.timedOut(A), LAMBDA.report(A, '3003.37', 'timeout')].map((l) => `2026-12-03T08:00:03.500000+00:00 2026/12/03/[$LATEST]0123456789abcdef ${l}`);
    const a = analyzeText({ 'tail.txt': tail.join('\n') });
    expect(a.format).toBe('lambda');
    expect(a.count502).toBe(1);
    expect(a.requests).toBe(1);
  });
});

describe('badgate logs on API Gateway and Lambda files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'badgate-apigw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const now = { now: () => new Date('2026-12-03T09:00:00Z') };
  async function run(file: string, body: string, json: boolean): Promise<{ code: number; out: string; err: string }> {
    const path = join(dir, file);
    writeFileSync(path, body);
    let out = '';
    let err = '';
    const code = await runLogsCommand({ source: path, json, since: '3h' }, { out: (s) => (out += s), err: (s) => (err += s) }, now);
    return { code, out, err };
  }

  it('text names the format, what its counts mean, the verdict and the next step', async () => {
    const r = await run('exec.log', execRequest('7d3e0c2a-0f4b-4d1c-9a7e-222222222222', 'permission').join('\n'), false);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/1 requests \(apigw-execution\)/);
    expect(r.out).toMatch(/API Gateway execution log: each failure line is tied to its request id/);
    expect(r.out).toMatch(/Verdict: lambda-invoke-permission-missing \(confirmed\)/);
    expect(r.out).toMatch(/next step: let the gateway invoke the function.*--principal apigateway.amazonaws.com/);
    const lambda = await run('fn.log', [LAMBDA.start('5f6e6ff0-7a1b-4b44-bc6c-5ef0e0b71b5e'), LAMBDA.timedOut('5f6e6ff0-7a1b-4b44-bc6c-5ef0e0b71b5e'), LAMBDA.report('5f6e6ff0-7a1b-4b44-bc6c-5ef0e0b71b5e', '3003.37', 'timeout')].join('\n'), false);
    expect(lambda.out).toMatch(/\(lambda\)/);
    expect(lambda.out).toMatch(/Lambda function log: it holds invocations/);
    expect(lambda.out).toMatch(/Verdict: lambda-error-or-timeout/);
  });

  it('--json carries the format and the causes', async () => {
    const r = await run('access.json', [HTTP_API_PERMISSION, HTTP_API_OK].join('\n'), true);
    expect(r.code).toBe(1);
    const a = JSON.parse(r.out) as { format: string; count502: number; requests: number; causes: { cause: string }[] };
    expect(a).toMatchObject({ format: 'apigw-access', count502: 1, requests: 2 });
    expect(a.causes.map((c) => c.cause)).toEqual(['lambda-invoke-permission-missing']);
    const ok = await run('ok.json', HTTP_API_OK, true);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ format: 'apigw-access', count502: 0, causes: [] });
  });
});
