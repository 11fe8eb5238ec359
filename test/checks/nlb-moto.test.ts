// The NLB checks against moto_server over HTTP: client IP preservation means the targets' security
// groups must admit the clients; health comes from DescribeTargetHealth (launcher tag overrides).
import {
  AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client, RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect, it } from 'vitest';
import { getCheck } from '../../src/checks/registry.js';
import type { AwsReader } from '../../src/aws/reader.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount, type MotoAccount } from '../helpers/moto.js';

interface NlbSeed { ingress: 'clients' | 'nlb-subnets'; health?: string }

async function seedNlb(account: MotoAccount, cfg: NlbSeed): Promise<{ name: string; instanceIds: string[] }> {
  const ec2 = new EC2Client(account.clientConfig);
  const elb = new ElasticLoadBalancingV2Client(account.clientConfig);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc?.VpcId as string;
  const subnets = [
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet?.SubnetId as string,
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.2.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet?.SubnetId as string,
  ];
  const appSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'tcp-app', Description: 'app', VpcId: vpcId }))).GroupId as string;
  const ranges = cfg.ingress === 'clients' ? [{ CidrIp: '0.0.0.0/0' }] : [{ CidrIp: '10.2.1.0/24' }, { CidrIp: '10.2.2.0/24' }];
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: ranges }] }));
  if (cfg.ingress === 'clients') {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.2.1.0/24' }, { CidrIp: '10.2.2.0/24' }] }] }));
  }
  const ids: string[] = [];
  for (const s of subnets) {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: s, SecurityGroupIds: [appSg] }));
    ids.push(run.Instances?.[0]?.InstanceId as string);
  }
  const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'tcp-nlb', Subnets: subnets, Scheme: 'internet-facing', Type: 'network' }))).LoadBalancers?.[0]?.LoadBalancerArn as string;
  const tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: 'tcp-tg', Protocol: 'TCP', Port: 443, VpcId: vpcId, TargetType: 'instance', HealthCheckProtocol: 'TCP' }))).TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: ids.map((Id) => ({ Id, Port: 443 })) }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  if (cfg.health) await elb.send(new AddTagsCommand({ ResourceArns: [tgArn], Tags: ids.map((id) => ({ Key: `moto:health:${id}`, Value: cfg.health as string })) }));
  return { name: 'tcp-nlb', instanceIds: ids };
}

async function runNlb(aws: AwsReader, lb: string): Promise<Record<string, CheckResult>> {
  const facts: Facts = { 'target.lb': lb };
  const results: Record<string, CheckResult> = {};
  for (const id of ['elbv2.resolve', 'elbv2.target-health', 'nlb.client-path']) {
    const r = await runCheckResult(getCheck(id)!, testContext({ params: id === 'elbv2.resolve' ? { lb } : {}, facts: { ...facts }, aws }));
    results[id] = r;
    Object.assign(facts, r.facts ?? {});
  }
  return results;
}

const named = (results: Record<string, CheckResult>) => new Set(Object.values(results).flatMap((r) => (r.findings ?? []).filter((f) => f.confidence !== 'ruled-out').map((f) => f.cause)));

describeMoto('NLB checks against moto', (endpoint) => {
  it('healthy: targets admit the clients and the health checks; no cause is named', async () => {
    const account = await newAccount(endpoint());
    const { name } = await seedNlb(account, { ingress: 'clients' });
    const r = await runNlb(account.reader(), name);
    expect(r['elbv2.resolve'].facts?.['lb.type']).toBe('network');
    expect(r['nlb.client-path']).toMatchObject({ outcome: 'open', facts: { 'nlb.preserveClientIp': true } });
    expect([...named(r)]).toEqual([]);
  }, 30_000);

  it('client IP preserved, but the targets only admit the NLB subnets: the clients are blocked', async () => {
    const account = await newAccount(endpoint());
    const { name } = await seedNlb(account, { ingress: 'nlb-subnets' });
    const r = await runNlb(account.reader(), name);
    expect(r['nlb.client-path']).toMatchObject({ status: 'fail', outcome: 'blocked' });
    expect(r['nlb.client-path'].summary).toMatch(/from the clients \(0\.0\.0\.0\/0; client IP is preserved\)/);
    expect(named(r)).toContain('sg-blocks-lb-to-target');
  }, 30_000);

  it('every target fails its TCP health check', async () => {
    const account = await newAccount(endpoint());
    // Reason code and text as DescribeTargetHealth documents them (TargetHealth, Target.FailedHealthChecks).
    const { name } = await seedNlb(account, { ingress: 'clients', health: 'unhealthy|Target.FailedHealthChecks|Health checks failed' });
    const r = await runNlb(account.reader(), name);
    expect(r['elbv2.target-health'].status).toBe('fail');
    expect([...named(r)].some((c) => ['all-targets-unhealthy', 'health-check-misconfigured', 'target-not-listening'].includes(c))).toBe(true);
  }, 30_000);
});
