// A Network Load Balancer in moto from SDK write calls (test-only; src/ stays read-only): two
// instances on :443 in a TCP target group, client IP preserved (the default for instance targets).
import {
  AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client, RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand, CreateListenerCommand, ModifyListenerAttributesCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { MotoAccount } from './moto-server.js';

export interface NlbSeed {
  /** Who the targets' group admits on 443: everyone, or only the NLB's subnets. */
  ingress: 'clients' | 'nlb-subnets';
  /** Health override for every target: `state|Reason|description`. */
  health?: string;
  name?: string;
  /** The TCP listener's tcp.idle_timeout.seconds (the NLB's default is 350). */
  idleTimeoutSeconds?: number;
}

export interface SeededNlb {
  name: string;
  instanceIds: string[];
  lbArn: string;
  dnsName: string;
  tgArn: string;
}

export async function seedNlb(account: MotoAccount, cfg: NlbSeed): Promise<SeededNlb> {
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
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: cfg.name ?? 'tcp-nlb', Subnets: subnets, Scheme: 'internet-facing', Type: 'network' }))).LoadBalancers?.[0];
  const lbArn = lb?.LoadBalancerArn as string;
  // Target group names are unique per account: a second NLB in the same account needs its own.
  const tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: cfg.name ? `${cfg.name}-tg` : 'tcp-tg', Protocol: 'TCP', Port: 443, VpcId: vpcId, TargetType: 'instance', HealthCheckProtocol: 'TCP' }))).TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: ids.map((Id) => ({ Id, Port: 443 })) }));
  const listenerArn = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }))).Listeners?.[0]?.ListenerArn as string;
  if (cfg.idleTimeoutSeconds) {
    await elb.send(new ModifyListenerAttributesCommand({ ListenerArn: listenerArn, Attributes: [{ Key: 'tcp.idle_timeout.seconds', Value: String(cfg.idleTimeoutSeconds) }] }));
  }
  if (cfg.health) await elb.send(new AddTagsCommand({ ResourceArns: [tgArn], Tags: ids.map((id) => ({ Key: `moto:health:${id}`, Value: cfg.health as string })) }));
  return { name: cfg.name ?? 'tcp-nlb', instanceIds: ids, lbArn, dnsName: lb?.DNSName as string, tgArn };
}

