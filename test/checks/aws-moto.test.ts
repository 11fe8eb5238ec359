// The checks against moto over HTTP: each test seeds its own account with a realistic
// (broken or healthy) ALB and asserts what a responder would be told.
import { beforeAll, expect, it } from 'vitest';
import { awsChecks } from '../../src/checks/aws.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import type { CheckContext } from '../../src/checks/types.js';
import { seedClb } from '../helpers/seed-clb.js';
import { seedRestApi } from '../helpers/seed-apigw.js';
import { describeMoto, newAccount, type MotoAccount } from '../helpers/moto.js';
import { runAwsChecks } from '../helpers/moto-check-run.js';
import { seedAlb, seedMetrics } from '../helpers/seed-alb.js';
import { lbDimension, tgDimension } from '../../src/checks/elbv2-common.js';
import { runCheckResult as runCheck, testContext } from '../helpers/check-context.js';

const causes = (r: CheckResult, confidence?: string) => (r.findings ?? []).filter((f) => !confidence || f.confidence === confidence).map((f) => f.cause);

function ctx(account: MotoAccount, params: Record<string, string> = {}, facts: Facts = {}, now = new Date()): CheckContext {
  return testContext({ params, facts, aws: account.reader(), signal: new AbortController().signal, progress: () => {}, now: () => now });
}

const check = (id: string) => {
  const c = awsChecks.find((x) => x.meta.id === id);
  if (!c) throw new Error(id);
  return c;
};

describeMoto('aws checks against moto', (endpoint) => {
  let account: MotoAccount;
  beforeAll(async () => {
    account = await newAccount(endpoint());
  });

  it('a healthy setup produces no cause', async () => {
    const acct = await newAccount(endpoint());
    await seedAlb(acct, { lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'logs', 'access_logs.s3.prefix': 'web' } });
    const run = await runAwsChecks(acct.reader(), { 'timeout.chain': { server: 'nginx' } });
    const r = run.results;
    expect(r['elbv2.resolve'].outcome).toBe('found');
    expect(r['elbv2.target-health'].outcome).toBe('all-healthy');
    expect(r['ec2.instances'].outcome).toBe('ok');
    expect(r['ec2.network-path'].outcome).toBe('open');
    expect(r['elbv2.lb-attributes'].outcome).toBe('ok');
    expect(r['elbv2.target-group-config'].outcome).toBe('ok');
    expect(r['timeout.chain'].outcome).toBe('ok');
    expect(r['cloudwatch.who-made-502'].outcome).toBe('none');
    const asserted = Object.values(r).flatMap((x) => (x.findings ?? []).filter((f) => f.confidence !== 'ruled-out'));
    expect(asserted).toEqual([]);
    expect(run.facts['lb.accessLogs.bucket']).toBe('logs');
    expect(run.facts['targets.total']).toBe(2);
    // Every AWS call is cited with its IAM action.
    expect(r['elbv2.target-health'].sources?.map((s) => s.api)).toContain('elasticloadbalancing:DescribeTargetHealth');
    // The IAM policy is generated from meta.apis, so every call a check made must be declared.
    for (const [id, result] of Object.entries(r)) {
      for (const s of result.sources ?? []) expect(check(id).meta.apis, `${id} calls ${s.api}`).toContain(s.api);
    }
  });

  it('resolve: picks the only ALB, lists several as ambiguous, finds by name, ARN and DNS name', async () => {
    const acct = await newAccount(endpoint());
    const one = await seedAlb(acct, { name: 'one' });
    const only = await runCheck(check('elbv2.resolve'), ctx(acct));
    expect(only.outcome).toBe('found');
    expect(only.facts?.['lb.arn']).toBe(one.lbArn);
    expect(only.facts?.['tg.arn']).toBe(one.tgArns[0]);
    expect(only.facts?.['lb.listenerPorts']).toBe('80');

    const two = await seedAlb(acct, { name: 'two', targetGroups: 3 });
    const amb = await runCheck(check('elbv2.resolve'), ctx(acct));
    expect(amb.outcome).toBe('ambiguous');
    expect(amb.details?.join('\n')).toMatch(/one-alb[\s\S]*two-alb|two-alb[\s\S]*one-alb/);

    for (const lb of [two.lbName, two.lbArn, two.lbDns, `https://${two.lbDns}/api`]) {
      const r = await runCheck(check('elbv2.resolve'), ctx(acct, { lb }));
      expect(r.outcome, lb).toBe('found');
      expect(r.facts?.['lb.name']).toBe('two-alb');
    }
    const routed = await runCheck(check('elbv2.resolve'), ctx(acct, { lb: 'two-alb' }));
    expect(routed.details?.join('\n')).toContain('path-pattern=/svc2/*');
    expect(String(routed.facts?.['lb.targetGroupArns']).split(',')).toHaveLength(3);

    const missing = await runCheck(check('elbv2.resolve'), ctx(acct, { lb: 'nope-alb' }));
    expect(missing.outcome).toBe('not-found');
    expect(missing.status).not.toBe('unknown');
  });

  it('security group without the ALB → target rule is sg-blocked, naming the missing rule', async () => {
    const s = await seedAlb(account, { name: 'sg', allowLbToTarget: false });
    const r = await runCheck(check('ec2.network-path'), ctx(account, { lb: s.lbName }));
    expect(r.outcome).toBe('sg-blocked');
    expect(r.summary).toContain(s.appSg);
    expect(r.details?.join('\n')).toContain(`--group-id ${s.appSg} --protocol tcp --port 8080 --source-group ${s.lbSg}`);
    expect(causes(r, 'confirmed')).toContain('sg-blocks-lb-to-target');
  });

  it('NACL denying outbound ephemeral ports on the target subnets is nacl-blocked, naming the rule', async () => {
    const acct = await newAccount(endpoint());
    const s = await seedAlb(acct, { name: 'nacl', naclDenyEphemeral: true });
    const r = await runCheck(check('ec2.network-path'), ctx(acct, { lb: s.lbName }));
    expect(r.outcome).toBe('nacl-blocked');
    expect(r.summary).toContain(`${s.naclId} outbound #90 deny tcp 1024-65535`);
    expect(causes(r, 'confirmed')).toEqual(['nacl-blocks-traffic']);
    expect(causes(r, 'ruled-out')).toContain('sg-blocks-lb-to-target');
  });

  it('stopped instance: ec2.instances stopped, target health Target.InvalidState', async () => {
    const acct = await newAccount(endpoint());
    const s = await seedAlb(acct, { name: 'stop', stopInstances: 1, instancesPerGroup: 3 });
    const run = await runAwsChecks(acct.reader(), { 'elbv2.resolve': { lb: s.lbName } });
    expect(run.results['ec2.instances'].outcome).toBe('stopped');
    expect(run.results['ec2.instances'].summary).toContain(s.instanceIds[0][0]);
    expect(run.results['elbv2.target-health'].outcome).toBe('some-unhealthy');
    expect(run.facts['targets.reason']).toBe('Target.InvalidState');
    // A long-gone target id does not hide the others: it is reported as missing.
    const gone = await runCheck(check('ec2.instances'), ctx(acct, {}, { 'targets.ids': `${s.instanceIds[0][1]},i-0123456789abcdef0`, 'lb.azs': 'us-east-1a,us-east-1b' }));
    expect(gone.outcome).toBe('stopped');
    expect(gone.details?.join('\n')).toContain('Not found (terminated and gone?): i-0123456789abcdef0');
  });

  it.each([
    ['Target.ResponseCodeMismatch', 'unhealthy|Target.ResponseCodeMismatch|Health checks failed with these codes: [301]', 'health-check-misconfigured', 'likely'],
    ['Target.Timeout', 'unhealthy|Target.Timeout|Request timed out', 'sg-blocks-lb-to-target', 'suspected'],
    ['Target.FailedHealthChecks', 'unhealthy|Target.FailedHealthChecks|Health checks failed', 'target-not-listening', 'suspected'],
  ])('unhealthy with %s', async (reason, tag, cause, confidence) => {
    const acct = await newAccount(endpoint());
    const s = await seedAlb(acct, { name: 'hc', health: { 0: tag, 1: tag } });
    const r = await runCheck(check('elbv2.target-health'), ctx(acct, { lb: s.lbName }));
    expect(r.outcome).toBe('all-unhealthy');
    expect(r.facts?.['targets.reason']).toBe(reason);
    expect(r.findings).toContainEqual(expect.objectContaining({ cause, confidence }));
    expect(r.findings).toContainEqual(expect.objectContaining({ cause: 'all-targets-unhealthy', confidence: 'confirmed' }));
    expect(r.details?.join('\n')).toContain(reason);
  });

  it('mismatch codes flow into target-group-config: matcher 200 vs a path that answers 301', async () => {
    const acct = await newAccount(endpoint());
    const s = await seedAlb(acct, { name: 'mm', health: { 0: 'unhealthy|Target.ResponseCodeMismatch|Health checks failed with these codes: [301]' } });
    const run = await runAwsChecks(acct.reader(), { 'elbv2.resolve': { lb: s.lbName } });
    expect(run.results['elbv2.target-health'].outcome).toBe('some-unhealthy');
    const cfg = run.results['elbv2.target-group-config'];
    expect(cfg.outcome).toBe('misconfigured');
    expect(cfg.details?.join('\n')).toContain('returns 301 but the matcher is 200');
  });

  it('new group with no target past its first check is initial-only; draining is draining', async () => {
    const acct = await newAccount(endpoint());
    const init = await seedAlb(acct, { name: 'new', health: { 0: 'initial|Elb.InitialHealthChecking|', 1: 'initial|Elb.RegistrationInProgress|' } });
    const r = await runCheck(check('elbv2.target-health'), ctx(acct, { lb: init.lbName }));
    expect(r.outcome).toBe('initial-only');
    expect(r.findings).toContainEqual(expect.objectContaining({ cause: 'no-healthy-targets-yet', confidence: 'confirmed' }));
    const drain = await seedAlb(acct, { name: 'drain', health: { 0: 'draining|Target.DeregistrationInProgress|' } });
    const d = await runCheck(check('elbv2.target-health'), ctx(acct, { lb: drain.lbName }));
    expect(d.outcome).toBe('draining');
    expect(d.findings).toContainEqual(expect.objectContaining({ cause: 'deregistration-delay', confidence: 'suspected' }));
  });

  it('idle timeout 60 with a Node 20 backend is a keep-alive race; a 5 s deregistration delay and desync monitor are flagged', async () => {
    const acct = await newAccount(endpoint());
    const s = await seedAlb(acct, {
      name: 'ka',
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'routing.http.desync_mitigation_mode': 'monitor', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'b' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '5' },
    });
    const run = await runAwsChecks(acct.reader(), { 'elbv2.resolve': { lb: s.lbName }, 'timeout.chain': { server: 'node', nodeVersion: '20' } });
    expect(run.facts['lb.idleTimeoutSeconds']).toBe(60);
    expect(run.results['elbv2.lb-attributes'].outcome).toBe('risky');
    expect(run.results['timeout.chain'].outcome).toBe('race');
    expect(run.results['timeout.chain'].findings).toContainEqual(expect.objectContaining({ cause: 'keepalive-race', confidence: 'likely' }));
    expect(String(run.facts['backend.fix'])).toContain('keepAliveTimeout = 65000');
    const tg = run.results['elbv2.target-group-config'];
    expect(tg.outcome).toBe('misconfigured');
    expect(tg.details?.join('\n')).toMatch(/deregistration delay 5 s is very short/);
  });

  it('metrics: ALB-made 502s on healthy targets point at the keep-alive race; connection errors at a dead target', async () => {
    const acct = await newAccount(endpoint());
    const s = await seedAlb(acct, { name: 'cw' });
    const now = new Date();
    const lb = lbDimension(s.lbArn);
    await seedMetrics(acct, { LoadBalancer: lb }, { HTTPCode_ELB_502_Count: [0, 3, 0, 2, 1], RequestCount: [500, 480, 510, 490, 505] }, now);
    await seedMetrics(acct, { TargetGroup: tgDimension(s.tgArns[0]), LoadBalancer: lb }, { UnHealthyHostCount: [0, 0, 0, 0, 0] }, now);
    const r = await runCheck(check('cloudwatch.who-made-502'), ctx(acct, { lb: s.lbName, since: '30m' }, {}, now));
    expect(r.outcome).toBe('lb-generated');
    expect(r.facts?.['metrics.elb502']).toBe(6);
    expect(r.facts?.['metrics.requests']).toBe(2485);
    expect(r.findings).toContainEqual(expect.objectContaining({ cause: 'keepalive-race', confidence: 'suspected' }));
    const series = r.series?.find((x) => x.name === 'HTTPCode_ELB_502_Count');
    expect(series?.values.reduce((a, b) => a + b, 0)).toBe(6);
    expect(series?.values.length).toBe(30);

    await seedMetrics(acct, { LoadBalancer: lb }, { TargetConnectionErrorCount: [4, 4] }, now);
    const dead = await runCheck(check('cloudwatch.who-made-502'), ctx(acct, { lb: s.lbName, since: '30m' }, {}, now));
    expect(dead.findings).toContainEqual(expect.objectContaining({ cause: 'target-not-listening', confidence: 'likely' }));
  });

  it('metrics: target-made 5xx with no ALB 502s is target-generated, but names no 502 cause (5XX is not 502)', async () => {
    const acct = await newAccount(endpoint());
    const s = await seedAlb(acct, { name: 'tgt' });
    const now = new Date();
    await seedMetrics(acct, { LoadBalancer: lbDimension(s.lbArn) }, { HTTPCode_Target_5XX_Count: [10, 12, 9], RequestCount: [100, 100, 100] }, now);
    const r = await runCheck(check('cloudwatch.who-made-502'), ctx(acct, { lb: s.lbName, since: '1h' }, {}, now));
    expect(r.outcome).toBe('target-generated');
    // HTTPCode_Target_5XX_Count also counts 500s: only the access log's target_status_code names a target 502.
    expect((r.findings ?? []).filter((f) => f.confidence !== 'ruled-out')).toEqual([]);
    expect(r.details?.join('\n')).toContain('target_status_code');
  });

  it('each check also runs standalone from what a user would type (`lb`, or the API and stage), and declares every API it calls', async () => {
    const s = await seedAlb(account, { name: 'solo' });
    const classic = await seedClb(account, { name: 'solo-classic' });
    const api = await seedRestApi(account, { name: 'solo-api', integration: { type: 'AWS_PROXY', fn: { name: 'solo-fn', timeoutSeconds: 10 } }, loggingLevel: 'INFO' });
    const isClassic = (id: string) => id.startsWith('clb.') || id === 'cloudwatch.clb-metrics';
    const isApi = (id: string) => id.startsWith('apigw.') || id === 'cloudwatch.apigw-metrics';
    const params = (id: string): Record<string, string> =>
      isApi(id) ? { url: api.url, api: api.id, kind: 'rest', stage: api.stage, path: '/orders', method: 'GET' }
        : { lb: isClassic(id) ? classic.name : s.lbName, server: 'node' };
    for (const c of awsChecks) {
      const r = await runCheck(c, ctx(account, params(c.meta.id)));
      expect(r.status, `${c.meta.id}: ${r.summary}`).not.toBe('unknown');
      for (const src of r.sources ?? []) expect(c.meta.apis, `${c.meta.id} calls ${src.api}`).toContain(src.api);
    }
  });

  it('an unknown load balancer makes a dependent check unknown with the classifier message', async () => {
    const r = await runCheck(check('elbv2.lb-attributes'), ctx(account, {}, { 'lb.arn': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/gone/0123456789abcdef' }));
    expect(r.status).toBe('unknown');
    expect(r.outcome).toBe('unknown');
    expect(r.summary).toMatch(/^Not found/);
    expect(r.nextStep).toMatch(/--region/);
    expect(r.sources?.[0]?.api).toBe('elasticloadbalancing:DescribeLoadBalancerAttributes');
  });
});
