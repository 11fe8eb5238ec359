import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anonymiseRecording, createRecordingReader, createReplayReader, loadRecording, newRecording, saveRecording } from '../../src/aws/recorded.js';
import type { AwsReader } from '../../src/aws/reader.js';
import { classifyAwsError } from '../../src/engine/errors.js';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:987654321098:loadbalancer/app/web/0123456789abcdef';

/** A stand-in live reader: answers two calls, fails one, and leaks a credential-looking field. */
function fakeLive(): AwsReader {
  const notImplemented = async () => { throw new Error('not used'); };
  return {
    region: 'us-east-1',
    describeLoadBalancers: async () => [{ arn: LB, name: 'web', dnsName: 'web.elb', scheme: 'internet-facing', type: 'application', state: 'active', vpcId: 'vpc-1', azs: [], securityGroups: [] }],
    describeLoadBalancerAttributes: async () => ({ 'idle_timeout.timeout_seconds': '60' }),
    describeListeners: notImplemented,
    describeRules: notImplemented,
    describeTargetGroups: notImplemented,
    describeTargetGroupAttributes: notImplemented,
    describeTargetHealth: async () => { throw Object.assign(new Error('User x is not authorized to perform: elasticloadbalancing:DescribeTargetHealth'), { name: 'AccessDenied' }); },
    describeInstances: notImplemented,
    describeInstanceStatus: notImplemented,
    describeSecurityGroups: notImplemented,
    describeNetworkAcls: notImplemented,
    describeSubnets: notImplemented,
    describeRouteTables: notImplemented,
    describeNetworkInterfaces: notImplemented,
    listDistributions: notImplemented,
    getDistributionConfig: notImplemented,
    describeClassicLoadBalancers: notImplemented,
    describeInstanceHealth: notImplemented,
    describeClassicLoadBalancerAttributes: notImplemented,
    getFunctionConfiguration: notImplemented,
    getFunctionPolicy: notImplemented,
    filterLogEvents: notImplemented,
    describeLogGroups: notImplemented,
    queryLogs: notImplemented,
    getRestApis: notImplemented,
    getResources: notImplemented,
    getIntegration: notImplemented,
    getStage: notImplemented,
    getGatewayResponses: notImplemented,
    getVpcLink: notImplemented,
    getApis: notImplemented,
    getRoutes: notImplemented,
    getIntegrations: notImplemented,
    getHttpStage: notImplemented,
    getHttpVpcLink: notImplemented,
    getStages: notImplemented,
    getHttpStages: notImplemented,
    describeListenerAttributes: notImplemented,
    getMetricData: async (req) => [{ id: req.queries[0].id, timestamps: [req.start], values: [1] }],
    getCallerIdentity: async () => ({ account: '987654321098', arn: 'arn:aws:sts::987654321098:assumed-role/x/y', userId: 'AROAEXAMPLE:y', sessionToken: 'SECRET', accessKeyId: 'ASIAABCDEFGHIJKLMNOP' } as never),
  };
}

describe('record and replay', () => {
  it('records results and errors, redacts credentials, and replays them with no network', async () => {
    const rec = newRecording('us-east-1', 'test');
    const live = createRecordingReader(fakeLive(), rec);
    await live.describeLoadBalancers({ names: ['web'] });
    await live.describeLoadBalancerAttributes(LB);
    await expect(live.describeTargetHealth('tg')).rejects.toThrow(/not authorized/);
    await live.getMetricData({ queries: [{ id: 'q', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', dimensions: {} }], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z', periodSeconds: 60 });
    await live.getCallerIdentity();

    const file = join(mkdtempSync(join(tmpdir(), 'badgate-rec-')), 'rec.json');
    await saveRecording(file, rec);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('ASIAABCDEFGHIJKLMNOP');
    expect(rec.calls.map((c) => c.method)).toEqual(['describeLoadBalancers', 'describeLoadBalancerAttributes', 'describeTargetHealth', 'getMetricData', 'getCallerIdentity']);
    expect(rec.calls[2].error).toMatchObject({ name: 'AccessDenied', kind: 'access-denied' });

    const replay = createReplayReader(await loadRecording(file));
    expect(replay.region).toBe('us-east-1');
    expect((await replay.describeLoadBalancers({ names: ['web'] }))[0].arn).toBe(LB);
    expect(await replay.describeLoadBalancerAttributes(LB)).toEqual({ 'idle_timeout.timeout_seconds': '60' });
    // The recorded error comes back with its name, so it classifies the same way.
    const denied = await replay.describeTargetHealth('tg').catch((e: unknown) => e);
    expect(classifyAwsError(denied).kind).toBe('access-denied');
    // Metric windows move with the clock: replay matches on the queries, not the times.
    const later = await replay.getMetricData({ queries: [{ id: 'q', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', dimensions: {} }], start: '2027-05-05T00:00:00Z', end: '2027-05-05T01:00:00Z', periodSeconds: 60 });
    expect(later[0].values).toEqual([1]);
    // …and the points move with the window, so they stay inside it.
    expect(later[0].timestamps).toEqual(['2027-05-05T00:00:00.000Z']);
    // A check that now asks for one more metric of the same load balancer still replays an older
    // recording: the recorded metric keeps its points, the new one comes back empty and says why.
    const more = await replay.getMetricData({
      queries: [
        { id: 'lambdaUser', namespace: 'AWS/ApplicationELB', metricName: 'LambdaUserError', stat: 'Sum', dimensions: {} },
        { id: 'requests', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', dimensions: {} },
      ],
      start: '2027-05-05T00:00:00Z', end: '2027-05-05T01:00:00Z', periodSeconds: 60,
    });
    expect(more.map((r) => [r.id, r.values])).toEqual([['lambdaUser', []], ['requests', [1]]]);
    expect(more[0].label).toContain('not in the recording');
    // Another load balancer's metrics are not in it at all: a miss, not someone else's numbers.
    await expect(replay.getMetricData({ queries: [{ id: 'q', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', dimensions: { LoadBalancer: 'app/other/2' } }], start: '2027-05-05T00:00:00Z', end: '2027-05-05T01:00:00Z', periodSeconds: 60 })).rejects.toThrow(/no answer/);
  });

  it('an unknown call is a classified replay miss, not a network call', async () => {
    const replay = createReplayReader(newRecording('us-east-1'));
    const e = await replay.describeListeners(LB).catch((x: unknown) => x);
    const c = classifyAwsError(e);
    expect(c.kind).toBe('replay-miss');
    expect(c.message).toContain('describeListeners');
  });

  it('anonymises account ids in ARNs and identity fields only', () => {
    const rec = newRecording('us-east-1');
    rec.calls.push({ method: 'getCallerIdentity', args: [], result: { account: '987654321098', arn: 'arn:aws:sts::987654321098:assumed-role/x/y', userId: 'u' } });
    rec.calls.push({ method: 'describeLoadBalancers', args: [], result: [{ arn: LB, name: 'i-0a987654321098b' }] });
    const anon = JSON.stringify(anonymiseRecording(rec));
    expect(anon).not.toContain('987654321098:');
    expect(anon).toContain('"account":"123456789012"');
    expect(anon).toContain('i-0a987654321098b');
  });

  it('loadRecording rejects files that are not recordings', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'badgate-rec-')), 'bad.json');
    await saveRecording(file, { nope: true } as never);
    await expect(loadRecording(file)).rejects.toThrow(/not a badgate recording/);
  });
});
