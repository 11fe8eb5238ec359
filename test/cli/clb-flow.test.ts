// `badgate check clb|nlb` and `run clb|nlb`, as a user runs the built binary, against moto over HTTP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { describeMoto, newAccount, REGION } from '../helpers/moto.js';
import { seedClb } from '../helpers/seed-clb.js';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';

let state: string;
beforeAll(() => { state = mkdtempSync(join(tmpdir(), 'badgate-clb-cli-')); });

it('run clb and run nlb are flows now: without a terminal they point at check clb / check nlb', () => {
  for (const flow of ['clb', 'nlb']) {
    const r = runCli(['run', flow], { BADGATE_STATE_DIR: state });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`badgate check ${flow} --json`));
    expect(r.err).not.toMatch(/no flow/);
  }
});

describeMoto('check clb against moto', (endpoint) => {
  it('finds the security group that keeps the CLB from the instances, and names no other confirmed cause', async () => {
    const account = await newAccount(endpoint());
    const seeded = await seedClb(account, { name: 'legacy-web', allowLbToInstance: false });
    const c = account.clientConfig.credentials;
    const r = await runCliAsync(['check', 'clb', '--lb', seeded.name, '--region', REGION, '--json'], {
      BADGATE_STATE_DIR: state, AWS_ENDPOINT_URL: endpoint(), AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken,
    });
    // Exit 1: a cause was found.
    expect(r.code, r.err).toBe(1);
    const out = JSON.parse(r.out) as { checks: { id: string; outcome: string }[]; causes: { id: string; confidence: string }[] };
    expect(out.checks.find((x) => x.id === 'clb.resolve')?.outcome).toBe('found');
    expect(out.checks.find((x) => x.id === 'clb.instance-health')?.outcome).toBe('healthy');
    expect(out.checks.find((x) => x.id === 'clb.network-path')?.outcome).toBe('sg-blocked');
    expect(out.causes.filter((x) => x.confidence === 'confirmed').map((x) => x.id)).toEqual(['sg-blocks-lb-to-target']);
  }, 90_000);

  it('check nlb --json names the clients blocked by the targets\' groups (client IP preserved)', async () => {
    const account = await newAccount(endpoint());
    const ec2 = new EC2Client(account.clientConfig);
    const elb = new ElasticLoadBalancingV2Client(account.clientConfig);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc?.VpcId as string;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.3.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet?.SubnetId as string;
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'svc', Description: 'svc', VpcId: vpcId }))).GroupId as string;
    // Only the NLB's subnet is let in: right for health checks, wrong for clients whose IP is preserved.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.3.1.0/24' }] }] }));
    const id = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: [sg] }))).Instances?.[0]?.InstanceId as string;
    const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'pay-nlb', Subnets: [subnet], Type: 'network', Scheme: 'internet-facing' }))).LoadBalancers?.[0]?.LoadBalancerArn as string;
    const tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: 'pay-tg', Protocol: 'TCP', Port: 443, VpcId: vpcId, TargetType: 'instance' }))).TargetGroups?.[0]?.TargetGroupArn as string;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id, Port: 443 }] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    const c = account.clientConfig.credentials;
    const r = await runCliAsync(['check', 'nlb', '--lb', 'pay-nlb', '--region', REGION, '--json'], {
      BADGATE_STATE_DIR: state, AWS_ENDPOINT_URL: endpoint(), AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken,
    });
    expect(r.code, r.err).toBe(1);
    const out = JSON.parse(r.out) as { checks: { id: string; outcome: string }[]; causes: { id: string; confidence: string }[] };
    expect(out.checks.find((x) => x.id === 'nlb.client-path')?.outcome).toBe('blocked');
    expect(out.causes.filter((x) => x.confidence === 'confirmed').map((x) => x.id)).toEqual(['sg-blocks-lb-to-target']);
  }, 90_000);
});
