// The sdk adapter's edge cases: paging, batching, retries, throttling, AccessDenied and
// expired SSO, with mocked clients or a tiny local HTTP server speaking the AWS Query protocol.
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { createSdkReader } from '../../src/aws/sdk/index.js';
import { elbv2TargetHealth } from '../../src/checks/elbv2-target-health.js';
import type { CheckContext } from '../../src/checks/types.js';
import { runCheckResult as runCheck, testContext } from '../helpers/check-context.js';

const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';

function ctxFor(reader: ReturnType<typeof createSdkReader>, facts = {}): CheckContext {
  return testContext({ params: { targetGroup: TG }, facts, aws: reader, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

describe('sdk adapter with mocked clients', () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const ec2 = mockClient(EC2Client);
  const cw = mockClient(CloudWatchClient);
  afterEach(() => { elb.reset(); ec2.reset(); cw.reset(); });
  afterAll(() => { elb.restore(); ec2.restore(); cw.restore(); });
  const reader = () => createSdkReader({ region: 'us-east-1', credentials: creds });

  it('pages DescribeLoadBalancers by marker, with PageSize in the input', async () => {
    const lb = (n: number) => ({ LoadBalancerArn: `arn:lb/${n}`, LoadBalancerName: `lb${n}`, Type: 'application' as const });
    const pages: Record<string, object> = {
      start: { LoadBalancers: [lb(1), lb(2)], NextMarker: 'm1' },
      m1: { LoadBalancers: [lb(3)], NextMarker: 'm2' },
      m2: { LoadBalancers: [lb(4)] },
    };
    // The paginator reuses its input object, so record what each call asked for as it happens.
    const asked: [string | undefined, number | undefined][] = [];
    elb.on(DescribeLoadBalancersCommand).callsFake((input: { Marker?: string; PageSize?: number }) => {
      asked.push([input.Marker, input.PageSize]);
      return pages[input.Marker ?? 'start'];
    });
    const all = await reader().describeLoadBalancers();
    expect(all.map((l) => l.name)).toEqual(['lb1', 'lb2', 'lb3', 'lb4']);
    expect(asked).toEqual([[undefined, 400], ['m1', 400], ['m2', 400]]);
  });

  it('batches DescribeInstances in chunks of ≤ 1000 ids, deduplicated, and follows NextToken', async () => {
    ec2.on(DescribeInstancesCommand).callsFake((input: { InstanceIds: string[]; NextToken?: string }) => ({
      Reservations: [{ Instances: input.InstanceIds.slice(0, input.NextToken ? 0 : undefined).map((id) => ({ InstanceId: id, State: { Name: 'running' } })) }],
      ...(input.NextToken || input.InstanceIds.length < 1000 ? {} : { NextToken: 'more' }),
    }));
    const ids = Array.from({ length: 2500 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    const out = await reader().describeInstances([...ids, ids[0]]);
    expect(out).toHaveLength(2500);
    const sizes = ec2.commandCalls(DescribeInstancesCommand).map((c) => (c.args[0].input.InstanceIds ?? []).length);
    expect(sizes).toEqual([1000, 1000, 1000, 1000, 500]);
  });

  it('asks for all security groups in one call', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: 'sg-2' }] }] }] });
    const groups = await reader().describeSecurityGroups(['sg-1', 'sg-2', 'sg-1']);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0].args[0].input.GroupIds).toEqual(['sg-1', 'sg-2']);
    expect(groups[0].ingress[0]).toMatchObject({ protocol: 'tcp', fromPort: 80, groupIds: ['sg-2'] });
  });

  it('merges GetMetricData pages and sorts points oldest first', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'elb502', Timestamps: [new Date('2026-01-01T00:02:00Z')], Values: [2] }], NextToken: 't' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'elb502', Timestamps: [new Date('2026-01-01T00:01:00Z')], Values: [1] }] });
    const res = await reader().getMetricData({ queries: [{ id: 'elb502', namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_502_Count', stat: 'Sum', dimensions: { LoadBalancer: 'app/x/1' } }], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z', periodSeconds: 60 });
    expect(res).toEqual([{ id: 'elb502', timestamps: ['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z'], values: [1, 2] }]);
    expect(cw.commandCalls(GetMetricDataCommand)[1].args[0].input.NextToken).toBe('t');
  });

  it('AccessDenied makes the check unknown and names the missing IAM action', async () => {
    const err = Object.assign(new Error('User: arn:aws:iam::123456789012:user/oncall is not authorized to perform: elasticloadbalancing:DescribeTargetGroups'), { name: 'AccessDenied' });
    elb.on(DescribeLoadBalancersCommand).rejects(err);
    elb.rejects(err);
    const r = await runCheck(elbv2TargetHealth, ctxFor(reader()), { profile: 'prod' });
    expect(r.status).toBe('unknown');
    expect(r.outcome).toBe('unknown');
    expect(r.summary).toBe('Access denied: missing IAM permission elasticloadbalancing:DescribeTargetGroups (profile prod)');
    expect(r.nextStep).toContain('badgate iam-policy');
    expect(r.sources?.map((s) => s.api)).toEqual(['elasticloadbalancing:DescribeTargetGroups']);
  });

  it('UnauthorizedOperation without the action in the message falls back to the failing call', async () => {
    elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: TG, TargetGroupName: 'web' }] });
    elb.on(DescribeTargetHealthCommand).rejects(Object.assign(new Error('You are not authorized.'), { name: 'UnauthorizedOperation' }));
    const r = await runCheck(elbv2TargetHealth, ctxFor(reader()));
    expect(r.summary).toBe('Access denied: missing IAM permission elasticloadbalancing:DescribeTargetHealth (the default credentials)');
  });
});

/** A local endpoint that answers like ELBv2 (Query protocol): throttles `throttles` times, then succeeds. */
function queryServer(): { server: Server; url: () => string; hits: () => number; throttles: (n: number) => void } {
  let hits = 0;
  let throttle = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.setHeader('content-type', 'text/xml');
      if (throttle-- > 0) {
        res.statusCode = 400;
        res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>');
        return;
      }
      res.end('<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult><TargetHealthDescriptions><member><Target><Id>i-1</Id><Port>80</Port></Target><TargetHealth><State>healthy</State></TargetHealth></member></TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTargetHealthResponse>');
    });
  });
  return {
    server,
    url: () => `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    hits: () => hits,
    throttles: (n) => { throttle = n; hits = 0; },
  };
}

describe('sdk adapter over HTTP: retries and credentials', () => {
  const q = queryServer();
  beforeAll(() => new Promise<void>((r) => q.server.listen(0, '127.0.0.1', () => r())));
  afterAll(() => new Promise<void>((r) => q.server.close(() => r())));

  it('retries throttling (standard mode) and succeeds', async () => {
    q.throttles(2);
    const out = await createSdkReader({ region: 'us-east-1', endpoint: q.url(), credentials: creds }).describeTargetHealth(TG);
    expect(out).toEqual([{ id: 'i-1', port: 80, state: 'healthy' }]);
    expect(q.hits()).toBe(3);
  });

  it('throttling that outlasts the retries is classified, after maxAttempts calls', async () => {
    q.throttles(100);
    const reader = createSdkReader({ region: 'us-east-1', endpoint: q.url(), credentials: creds, maxAttempts: 3 });
    const r = await runCheck(elbv2TargetHealth, { ...ctxFor(reader), params: {}, facts: { 'lb.targetGroupArns': TG } });
    // DescribeTargetGroups is the first call and the one throttled.
    expect(q.hits()).toBe(3);
    expect(r.status).toBe('unknown');
    expect(r.summary).toMatch(/^AWS throttled elasticloadbalancing:DescribeTargetGroups even after retries \(Throttling\)/);
  });

  it('an expired SSO session tells the responder to run aws sso login --profile', async () => {
    const sso = Object.assign(new Error('The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'), { name: 'CredentialsProviderError' });
    const reader = createSdkReader({ region: 'us-east-1', endpoint: q.url(), profile: 'prod', credentials: async () => { throw sso; } });
    q.throttles(0);
    const r = await runCheck(elbv2TargetHealth, ctxFor(reader));
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('The SSO session for profile prod is missing or has expired');
    expect(r.nextStep).toBe('aws sso login --profile prod');
    expect(q.hits()).toBe(0);
  });

  it('an unreachable endpoint is classified as such', async () => {
    const reader = createSdkReader({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: creds, maxAttempts: 1 });
    const r = await runCheck(elbv2TargetHealth, ctxFor(reader));
    expect(r.summary).toMatch(/^Could not reach the AWS endpoint/);
  });
});
