// `badgate check alb` on an ALB with a Lambda target group: the built binary against moto over
// HTTP, each broken setup found by its cause, a healthy one naming none.
// Facts (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html):
// the ALB waits until the function returns or times out; health checks are off by default;
// the function's resource policy must let elasticloadbalancing.amazonaws.com invoke it.
// Access-log lines are the documented Lambda failure entry (load-balancer-access-logs.html,
// "Example log entries": `- 0.000 0.001 0.000 502 -` … "LambdaInvalidResponse"), with the code
// in error_reason swapped for the one each case produces and the times moved into the window.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';
import { describeMoto, newAccount, REGION, type MotoAccount } from '../helpers/moto.js';
import { seedMetrics } from '../helpers/seed-alb.js';
import { seedLambdaAlb } from '../helpers/seed-alb-lambda.js';
import { albLine, iso } from '../logs/fixtures.js';

interface CheckJson {
  flow: string;
  checks: { id: string; outcome: string; summary: string }[];
  causes: { id: string; confidence: string }[];
}

/** One access-log file: `ok` answered requests and `failed` 502s with `code`, in the last minutes. */
function accessLog(dir: string, tgArn: string, ok: number, failed: number, code = '-'): string {
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < ok + failed; i++) {
    const t = now - 5 * 60_000 + i * 1000;
    const bad = i >= ok;
    lines.push(albLine({
      time: iso(t + 1), created: iso(t), target: '-', tg: tgArn, path: '/api/orders',
      timings: '0.000 0.001 0.000', elb: bad ? '502' : '200', tstat: bad ? '-' : '200', error: bad ? code : '-',
    }));
  }
  const file = join(dir, 'alb.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function checkAlb(account: MotoAccount, lbName: string, logFile: string): Promise<{ code: number | null; out: CheckJson; err: string }> {
  const c = account.clientConfig.credentials;
  const r = await runCliAsync(['check', 'alb', '--lb', lbName, '--region', REGION, '--json', '--answer', `logs-source=${logFile}`], {
    BADGATE_STATE_DIR: mkdtempSync(join(tmpdir(), 'badgate-alb-fn-')), AWS_ENDPOINT_URL: account.endpoint,
    AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken,
  });
  return { code: r.code, out: JSON.parse(r.out || '{}') as CheckJson, err: r.err };
}

/** The ALB's own count of the 502s, as CloudWatch holds it (LoadBalancer dimension `app/name/id`). */
async function seedAlbLambdaErrors(account: MotoAccount, lbArn: string, per: number[], end: Date): Promise<void> {
  const lb = lbArn.slice(lbArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
  await seedMetrics(account, { LoadBalancer: lb }, { HTTPCode_ELB_502_Count: per, LambdaUserError: per, RequestCount: per.map((n) => n * 4) }, end);
}

const standing = (j: CheckJson) => j.causes.filter((x) => x.confidence !== 'ruled-out').map((x) => x.id).sort();
const outcome = (j: CheckJson, id: string) => j.checks.find((x) => x.id === id)?.outcome;

describeMoto('check alb with a Lambda target group (built binary, moto)', (endpoint) => {
  it('healthy: the function may be invoked, runs well within its timeout, the log has no 502: no cause', async () => {
    const account = await newAccount(endpoint());
    const s = await seedLambdaAlb(account, { name: 'orders', fn: { name: 'orders-api', timeoutSeconds: 10, allowAlb: true } });
    await seedMetrics(account, { FunctionName: 'orders-api' }, { Invocations: [120, 130, 125] }, new Date(), 'AWS/Lambda');
    const r = await checkAlb(account, s.lbName, accessLog(mkdtempSync(join(tmpdir(), 'fn-log-')), s.tgArn, 40, 0));
    expect(r.code, r.err).toBe(0);
    expect(r.out.flow).toBe('alb');
    // Health checks off is the normal state of a Lambda group, not "all targets unhealthy".
    expect(outcome(r.out, 'elbv2.target-health')).toBe('all-healthy');
    expect(outcome(r.out, 'lambda.function')).toBe('ok');
    expect(outcome(r.out, 'cloudwatch.lambda-metrics')).toBe('ok');
    expect(outcome(r.out, 'logs.access-log')).toBe('no-502');
    // The Lambda lane, not the instance sweep: no EC2, network-path or keep-alive checks ran.
    expect(r.out.checks.map((x) => x.id)).not.toEqual(expect.arrayContaining(['ec2.instances']));
    expect(r.out.checks.some((x) => ['ec2.instances', 'ec2.network-path', 'timeout.chain'].includes(x.id))).toBe(false);
    expect(standing(r.out)).toEqual([]);
  }, 120_000);

  it('the function timeout fires: Duration at the 3 s timeout, Errors, LambdaUnhandled in the log → lambda-error-or-timeout', async () => {
    const account = await newAccount(endpoint());
    const s = await seedLambdaAlb(account, { name: 'report', fn: { name: 'report-api', timeoutSeconds: 3, allowAlb: true } });
    const end = new Date();
    await seedMetrics(account, { FunctionName: 'report-api' }, { Invocations: [60, 64, 58], Errors: [9, 12, 10] }, end, 'AWS/Lambda');
    await seedMetrics(account, { FunctionName: 'report-api' }, { Duration: [2100, 3000, 3000] }, end, 'AWS/Lambda');
    await seedAlbLambdaErrors(account, s.lbArn, [9, 12, 10], end);
    const r = await checkAlb(account, s.lbName, accessLog(mkdtempSync(join(tmpdir(), 'fn-log-')), s.tgArn, 20, 8, 'LambdaUnhandled'));
    expect(r.code, r.err).toBe(1);
    expect(outcome(r.out, 'cloudwatch.who-made-502')).toBe('lb-generated');
    expect(outcome(r.out, 'cloudwatch.lambda-metrics')).toBe('timed-out');
    expect(outcome(r.out, 'logs.access-log')).toBe('lambda');
    expect(r.out.causes[0]).toMatchObject({ id: 'lambda-error-or-timeout', confidence: 'confirmed' });
    expect(standing(r.out)).toEqual(['lambda-error-or-timeout']);
  }, 120_000);

  it('the function is gone: the target group invokes a function that does not exist → lambda-error-or-timeout', async () => {
    const account = await newAccount(endpoint());
    const s = await seedLambdaAlb(account, { name: 'legacy', fn: { name: 'legacy-api' }, missing: true });
    const r = await checkAlb(account, s.lbName, accessLog(mkdtempSync(join(tmpdir(), 'fn-log-')), s.tgArn, 0, 12, 'LambdaResourceNotFound'));
    expect(r.code, r.err).toBe(1);
    expect(outcome(r.out, 'lambda.function')).toBe('missing');
    expect(r.out.causes[0]).toMatchObject({ id: 'lambda-error-or-timeout', confidence: 'confirmed' });
    expect(standing(r.out)).toEqual(['lambda-error-or-timeout']);
  }, 120_000);

  it('no invoke permission for elasticloadbalancing.amazonaws.com: LambdaAccessDenied → lambda-invoke-permission-missing', async () => {
    const account = await newAccount(endpoint());
    const s = await seedLambdaAlb(account, { name: 'cart', fn: { name: 'cart-api', timeoutSeconds: 10 } });
    const r = await checkAlb(account, s.lbName, accessLog(mkdtempSync(join(tmpdir(), 'fn-log-')), s.tgArn, 0, 15, 'LambdaAccessDenied'));
    expect(r.code, r.err).toBe(1);
    expect(outcome(r.out, 'lambda.function')).toBe('no-permission');
    // No invocations reached the function: its metrics cannot rule anything in or out.
    expect(outcome(r.out, 'cloudwatch.lambda-metrics')).toBe('not-invoked');
    expect(r.out.causes[0]).toMatchObject({ id: 'lambda-invoke-permission-missing', confidence: 'confirmed' });
    expect(standing(r.out)).toEqual(['lambda-invoke-permission-missing']);
  }, 120_000);

  it('an invalid response after a deploy: LambdaInvalidResponse in the log, the function itself fine → lambda-invalid-response', async () => {
    const account = await newAccount(endpoint());
    const s = await seedLambdaAlb(account, { name: 'search', fn: { name: 'search-api', timeoutSeconds: 10, allowAlb: true } });
    // The function returns (no error, no throttle): the ALB rejects what it returned.
    const end = new Date();
    await seedMetrics(account, { FunctionName: 'search-api' }, { Invocations: [80, 85, 90] }, end, 'AWS/Lambda');
    await seedAlbLambdaErrors(account, s.lbArn, [20, 22, 25], end);
    const r = await checkAlb(account, s.lbName, accessLog(mkdtempSync(join(tmpdir(), 'fn-log-')), s.tgArn, 10, 25, 'LambdaInvalidResponse'));
    expect(r.code, r.err).toBe(1);
    expect(outcome(r.out, 'lambda.function')).toBe('ok');
    expect(outcome(r.out, 'cloudwatch.lambda-metrics')).toBe('ok');
    // LambdaUserError alone cannot tell an invalid response from a failure; the log's error_reason does.
    expect(outcome(r.out, 'cloudwatch.who-made-502')).toBe('lb-generated');
    expect(r.out.causes[0]).toMatchObject({ id: 'lambda-invalid-response', confidence: 'confirmed' });
    expect(standing(r.out)).toEqual(['lambda-invalid-response']);
  }, 120_000);
});
