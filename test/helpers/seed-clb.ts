// Builds Classic Load Balancer setups in moto from SDK write calls (test-only; src/ stays read-only).
import {
  AuthorizeSecurityGroupIngressCommand, CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateSecurityGroupCommand,
  CreateSubnetCommand, CreateVpcCommand, DescribeNetworkAclsCommand, EC2Client, ReplaceNetworkAclAssociationCommand, RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand, ConfigureHealthCheckCommand, CreateLoadBalancerCommand, ElasticLoadBalancingClient, ModifyLoadBalancerAttributesCommand,
  RegisterInstancesWithLoadBalancerCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { seedMetrics } from './seed-alb.js';
import type { MotoAccount } from './moto-server.js';

export interface SeedClbConfig {
  name?: string;
  instances?: number;
  port?: number;
  /** false leaves out the app SG rule that lets the CLB reach the instance port. */
  allowLbToInstance?: boolean;
  /** A custom NACL on the app subnets that denies outbound ephemeral ports (the reply path). */
  naclDenyEphemeral?: boolean;
  idleTimeoutSeconds?: number;
  accessLogs?: boolean;
  /** Health overrides by instance index: `State|ReasonCode|Description` (the launcher reads the tag). */
  health?: Record<number, string>;
}

export interface SeededClb { name: string; dns: string; instanceIds: string[]; lbSg: string; appSg: string; vpcId: string }

export async function seedClb(account: MotoAccount, cfg: SeedClbConfig = {}): Promise<SeededClb> {
  const ec2 = new EC2Client(account.clientConfig);
  const elb = new ElasticLoadBalancingClient(account.clientConfig);
  const name = cfg.name ?? 'legacy';
  const port = cfg.port ?? 8080;
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc?.VpcId as string;
  const subnet = async (cidr: string, az: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }))).Subnet?.SubnetId as string;
  const lbSubnets = [await subnet('10.1.1.0/24', 'us-east-1a'), await subnet('10.1.2.0/24', 'us-east-1b')];
  const appSubnets = [await subnet('10.1.16.0/24', 'us-east-1a'), await subnet('10.1.32.0/24', 'us-east-1b')];
  const lbSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-elb`, Description: 'CLB', VpcId: vpcId }))).GroupId as string;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: lbSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const appSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-app`, Description: 'app', VpcId: vpcId }))).GroupId as string;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '192.0.2.0/24' }] }] }));
  if (cfg.allowLbToInstance !== false) {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: lbSg }] }] }));
  }
  if (cfg.naclDenyEphemeral) {
    const naclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl?.NetworkAclId as string;
    const entry = (n: number, egress: boolean, action: 'allow' | 'deny', protocol: string, range?: [number, number]) => ec2.send(new CreateNetworkAclEntryCommand({
      NetworkAclId: naclId, RuleNumber: n, Egress: egress, RuleAction: action, Protocol: protocol, CidrBlock: '0.0.0.0/0', ...(range ? { PortRange: { From: range[0], To: range[1] } } : {}),
    }));
    await entry(100, false, 'allow', '-1');
    await entry(90, true, 'deny', '6', [1024, 65535]);
    await entry(100, true, 'allow', '-1');
    const acls = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    for (const s of appSubnets) {
      const assoc = acls.NetworkAcls?.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === s);
      if (assoc?.NetworkAclAssociationId) await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId, NetworkAclId: naclId }));
    }
  }
  const created = await elb.send(new CreateLoadBalancerCommand({
    LoadBalancerName: name, Subnets: lbSubnets, SecurityGroups: [lbSg], Scheme: 'internet-facing',
    Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: port }],
  }));
  await elb.send(new ConfigureHealthCheckCommand({ LoadBalancerName: name, HealthCheck: { Target: `HTTP:${port}/health`, Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10 } }));
  const ids: string[] = [];
  const count = cfg.instances ?? 2;
  for (let i = 0; i < count; i++) {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: appSubnets[i % 2], SecurityGroupIds: [appSg] }));
    ids.push(run.Instances?.[0]?.InstanceId as string);
  }
  if (ids.length) await elb.send(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: name, Instances: ids.map((InstanceId) => ({ InstanceId })) }));
  await elb.send(new ModifyLoadBalancerAttributesCommand({
    LoadBalancerName: name,
    LoadBalancerAttributes: {
      ConnectionSettings: { IdleTimeout: cfg.idleTimeoutSeconds ?? 60 },
      AccessLog: cfg.accessLogs === false ? { Enabled: false } : { Enabled: true, S3BucketName: `${name}-elb-logs`, EmitInterval: 5 },
    },
  }));
  if (cfg.health && Object.keys(cfg.health).length) {
    await elb.send(new AddTagsCommand({ LoadBalancerNames: [name], Tags: Object.entries(cfg.health).map(([i, Value]) => ({ Key: `moto:health:${ids[Number(i)]}`, Value })) }));
  }
  return { name, dns: created.DNSName as string, instanceIds: ids, lbSg, appSg, vpcId };
}

/** Per-minute AWS/ELB points for one Classic LB, as CloudWatch would hold them. */
export function seedClbMetrics(account: MotoAccount, name: string, metrics: Record<string, number[]>, end: Date): Promise<void> {
  return seedMetrics(account, { LoadBalancerName: name }, metrics, end, 'AWS/ELB');
}
