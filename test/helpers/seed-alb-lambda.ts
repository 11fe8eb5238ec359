// An ALB whose listener forwards to a target group of type lambda, built in moto from SDK write
// calls (tests only). moto registers the function but reports it `healthy`; a real Lambda group
// with health checks off (the default) reports `unavailable` / Target.HealthCheckDisabled
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html),
// so the seed sets that answer through the health-override launcher (moto_launcher.py).
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AddTagsCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client, ModifyLoadBalancerAttributesCommand, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { MotoAccount } from './moto-server.js';
import { seedFunctions, type SeedFunction } from './seed-lambda.js';

export interface SeedLambdaAlbConfig {
  name: string;
  /** The function to create and register; `allowAlb` adds the invoke permission for this target group. */
  fn: Omit<SeedFunction, 'allow'> & { allowAlb?: boolean };
  /** Register the function's ARN without creating the function (deleted, or a typo in the stack). */
  missing?: boolean;
  /** Load balancer attributes to set (e.g. access logs on). */
  lbAttributes?: Record<string, string>;
}

export interface SeededLambdaAlb {
  lbArn: string;
  lbName: string;
  tgArn: string;
  fnArn: string;
}

export async function seedLambdaAlb(account: MotoAccount, cfg: SeedLambdaAlbConfig): Promise<SeededLambdaAlb> {
  const ec2 = new EC2Client(account.clientConfig);
  const elb = new ElasticLoadBalancingV2Client(account.clientConfig);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc?.VpcId as string;
  const subnets = [];
  for (const [cidr, az] of [['10.8.1.0/24', 'us-east-1a'], ['10.8.2.0/24', 'us-east-1b']]) {
    subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }))).Subnet?.SubnetId as string);
  }
  const lbName = `${cfg.name}-alb`;
  const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: lbName, Subnets: subnets, Type: 'application', Scheme: 'internet-facing' }))).LoadBalancers?.[0]?.LoadBalancerArn as string;
  if (cfg.lbAttributes) {
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: Object.entries(cfg.lbAttributes).map(([Key, Value]) => ({ Key, Value })) }));
  }
  // A lambda group has no protocol, port or VPC (CreateTargetGroup rejects them for TargetType lambda).
  const tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: `${cfg.name}-fn`, TargetType: 'lambda' }))).TargetGroups?.[0]?.TargetGroupArn as string;
  const fnArn = cfg.missing
    ? `arn:aws:lambda:us-east-1:${account.accountId}:function:${cfg.fn.name}`
    : (await seedFunctions(account, [{ ...cfg.fn, allow: cfg.fn.allowAlb ? [{ principal: 'elasticloadbalancing.amazonaws.com', sourceArn: tgArn }] : [] }]))[cfg.fn.name];
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: fnArn }] }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  await elb.send(new AddTagsCommand({ ResourceArns: [tgArn], Tags: [{ Key: `moto:health:${fnArn}`, Value: 'unavailable|Target.HealthCheckDisabled|Health checks are disabled' }] }));
  return { lbArn, lbName, tgArn, fnArn };
}
