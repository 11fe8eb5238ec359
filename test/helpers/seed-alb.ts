// Builds realistic (and realistically broken) ALB setups in moto from SDK write calls.
// Test-only: src/ must stay read-only, and the read-only scan only looks at src/aws/sdk.
import {
  AuthorizeSecurityGroupIngressCommand, AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand,
  CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSecurityGroupCommand,
  CreateSubnetCommand, CreateVpcCommand, DescribeNetworkAclsCommand, EC2Client, ReplaceNetworkAclAssociationCommand,
  RunInstancesCommand, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client, ModifyLoadBalancerAttributesCommand, ModifyTargetGroupAttributesCommand, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MotoAccount } from './moto-server.js';

export interface SeedAlbConfig {
  name?: string;
  /** Target groups (each gets a path rule after the first, which is the default). */
  targetGroups?: number;
  instancesPerGroup?: number;
  port?: number;
  /** false leaves out the app SG rule that lets the ALB reach the targets. */
  allowLbToTarget?: boolean;
  /** A custom NACL on the target subnets that denies outbound ephemeral ports (the reply path). */
  naclDenyEphemeral?: boolean;
  /** How many instances of the first group to stop. */
  stopInstances?: number;
  lbAttributes?: Record<string, string>;
  tgAttributes?: Record<string, string>;
  healthCheck?: { path?: string; timeoutSeconds?: number; intervalSeconds?: number; matcher?: string };
  /** Health overrides for the first group by instance index: `state|Reason|description`. */
  health?: Record<number, string>;
  /** Name of the target group when there is one (default `<name>-tg`). */
  tgName?: string;
  /** Target group protocol (default HTTP); HTTPS targets speak TLS on `port`. */
  tgProtocol?: 'HTTP' | 'HTTPS';
  /** Health check protocol, port (`traffic-port` or a number) and thresholds, when they differ from the defaults. */
  healthCheckExtra?: { protocol?: 'HTTP' | 'HTTPS'; port?: string; healthyThreshold?: number; unhealthyThreshold?: number };
  /** Fixed private IPs for the first group's instances (one instance each; the /20 app subnet is picked from the address). */
  privateIps?: string[];
  /** An HTTPS:443 listener with an ACM certificate for `domain` forwarding to the first group; HTTP:80 then redirects to it. */
  https?: { domain: string; sslPolicy?: string };
  /** Further inbound rules on the app security group (e.g. from a VPN range). */
  extraAppIngress?: { port: number; cidr: string; description?: string }[];
}

export interface SeededAlb {
  lbArn: string;
  lbName: string;
  lbDns: string;
  tgArns: string[];
  instanceIds: string[][];
  vpcId: string;
  lbSubnets: string[];
  appSubnets: string[];
  lbSg: string;
  appSg: string;
  naclId?: string;
}

export async function seedAlb(account: MotoAccount, cfg: SeedAlbConfig = {}): Promise<SeededAlb> {
  const ec2 = new EC2Client(account.clientConfig);
  const elb = new ElasticLoadBalancingV2Client(account.clientConfig);
  const name = cfg.name ?? 'web';
  const port = cfg.port ?? 8080;
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId as string;
  const subnet = async (cidr: string, az: string) => (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }))).Subnet?.SubnetId as string;
  const lbSubnets = [await subnet('10.0.1.0/24', 'us-east-1a'), await subnet('10.0.2.0/24', 'us-east-1b')];
  // /20s: the fan-out bench puts hundreds of instances in each.
  const appSubnets = [await subnet('10.0.16.0/20', 'us-east-1a'), await subnet('10.0.32.0/20', 'us-east-1b')];
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId as string;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable?.RouteTableId as string;
  await ec2.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  for (const s of lbSubnets) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: s }));

  const lbSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-alb`, Description: 'ALB', VpcId: vpcId }))).GroupId as string;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: lbSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  const appSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-app`, Description: 'app', VpcId: vpcId }))).GroupId as string;
  // SSH from the office stays, so the group is not empty when the ALB rule is missing.
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '192.0.2.0/24' }] }] }));
  if (cfg.https) {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: lbSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  }
  if (cfg.allowLbToTarget !== false) {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: lbSg }] }] }));
    const hcPort = Number(cfg.healthCheckExtra?.port);
    if (Number.isInteger(hcPort) && hcPort !== port) {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: hcPort, ToPort: hcPort, UserIdGroupPairs: [{ GroupId: lbSg, Description: 'health checks' }] }] }));
    }
  }
  for (const r of cfg.extraAppIngress ?? []) {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: r.port, ToPort: r.port, IpRanges: [{ CidrIp: r.cidr, ...(r.description ? { Description: r.description } : {}) }] }] }));
  }

  let naclId: string | undefined;
  if (cfg.naclDenyEphemeral) {
    naclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl?.NetworkAclId as string;
    const entry = (n: number, egress: boolean, action: 'allow' | 'deny', protocol: string, range?: [number, number]) =>
      ec2.send(new CreateNetworkAclEntryCommand({
        NetworkAclId: naclId, RuleNumber: n, Egress: egress, RuleAction: action, Protocol: protocol, CidrBlock: '0.0.0.0/0',
        ...(range ? { PortRange: { From: range[0], To: range[1] } } : {}),
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

  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: `${name}-alb`, Subnets: lbSubnets, SecurityGroups: [lbSg], Scheme: 'internet-facing', Type: 'application' }))).LoadBalancers?.[0];
  const lbArn = lb?.LoadBalancerArn as string;
  if (cfg.lbAttributes) {
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: Object.entries(cfg.lbAttributes).map(([Key, Value]) => ({ Key, Value })) }));
  }
  const groups = cfg.targetGroups ?? 1;
  const perGroup = cfg.instancesPerGroup ?? 2;
  const tgArns: string[] = [];
  const instanceIds: string[][] = [];
  let listenerArn = '';
  for (let g = 0; g < groups; g++) {
    const tgName = groups === 1 ? cfg.tgName ?? `${name}-tg` : `${name}-tg${g}`;
    const extra = cfg.healthCheckExtra;
    const tg = (await elb.send(new CreateTargetGroupCommand({
      Name: tgName, Protocol: cfg.tgProtocol ?? 'HTTP', Port: port, VpcId: vpcId, TargetType: 'instance',
      HealthCheckProtocol: extra?.protocol ?? 'HTTP', HealthCheckPath: cfg.healthCheck?.path ?? '/health',
      HealthCheckTimeoutSeconds: cfg.healthCheck?.timeoutSeconds ?? 5, HealthCheckIntervalSeconds: cfg.healthCheck?.intervalSeconds ?? 30,
      Matcher: { HttpCode: cfg.healthCheck?.matcher ?? '200' },
      ...(extra?.port ? { HealthCheckPort: extra.port } : {}),
      ...(extra?.healthyThreshold ? { HealthyThresholdCount: extra.healthyThreshold } : {}),
      ...(extra?.unhealthyThreshold ? { UnhealthyThresholdCount: extra.unhealthyThreshold } : {}),
    }))).TargetGroups?.[0];
    const tgArn = tg?.TargetGroupArn as string;
    tgArns.push(tgArn);
    if (cfg.tgAttributes) {
      await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: Object.entries(cfg.tgAttributes).map(([Key, Value]) => ({ Key, Value })) }));
    }
    const ids: string[] = [];
    if (g === 0 && cfg.privateIps) {
      // One instance per fixed address, in the app subnet that holds it (10.0.16.0/20 or 10.0.32.0/20).
      for (const ip of cfg.privateIps) {
        const third = Number(ip.split('.')[2]);
        const subnetId = appSubnets[third >= 32 ? 1 : 0];
        const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [appSg], PrivateIpAddress: ip }));
        ids.push(...(run.Instances ?? []).map((x) => x.InstanceId as string));
      }
    }
    // Spread instances over both AZs, one RunInstances call per subnet.
    for (const [i, s] of (g === 0 && cfg.privateIps ? [] : appSubnets).entries()) {
      const count = Math.floor(perGroup / 2) + (i < perGroup % 2 ? 1 : 0);
      if (!count) continue;
      const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: count, MaxCount: count, SubnetId: s, SecurityGroupIds: [appSg] }));
      ids.push(...(run.Instances ?? []).map((x) => x.InstanceId as string));
    }
    instanceIds.push(ids);
    if (ids.length) await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: ids.map((Id) => ({ Id, Port: port })) }));
    if (g === 0 && cfg.https) {
      const certificateArn = await requestCertificate(account, cfg.https.domain);
      await elb.send(new CreateListenerCommand({
        LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80,
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      }));
      listenerArn = (await elb.send(new CreateListenerCommand({
        LoadBalancerArn: lbArn, Protocol: 'HTTPS', Port: 443, SslPolicy: cfg.https.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: certificateArn }], DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      }))).Listeners?.[0]?.ListenerArn as string;
    } else if (g === 0) {
      listenerArn = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }))).Listeners?.[0]?.ListenerArn as string;
    } else {
      await elb.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: g, Conditions: [{ Field: 'path-pattern', Values: [`/svc${g}/*`] }], Actions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    }
  }
  if (cfg.stopInstances) await ec2.send(new StopInstancesCommand({ InstanceIds: instanceIds[0].slice(0, cfg.stopInstances) }));
  if (cfg.health && Object.keys(cfg.health).length) {
    await elb.send(new AddTagsCommand({
      ResourceArns: [tgArns[0]],
      Tags: Object.entries(cfg.health).map(([i, value]) => ({ Key: `moto:health:${instanceIds[0][Number(i)]}`, Value: value })),
    }));
  }
  return { lbArn, lbName: `${name}-alb`, lbDns: lb?.DNSName as string, tgArns, instanceIds, vpcId, lbSubnets, appSubnets, lbSg, appSg, ...(naclId ? { naclId } : {}) };
}

/**
 * An ACM certificate in moto for an HTTPS listener. There is no ACM client in this project,
 * and moto takes the account from the access key in the Authorization header without
 * checking the signature, so a plain JSON request is enough.
 */
async function requestCertificate(account: MotoAccount, domain: string): Promise<string> {
  const c = account.clientConfig.credentials;
  const res = await fetch(`${account.endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'CertificateManager.RequestCertificate',
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-Security-Token': c.sessionToken,
      Authorization: `AWS4-HMAC-SHA256 Credential=${c.accessKeyId}/20260101/${account.clientConfig.region}/acm/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
    },
    body: JSON.stringify({ DomainName: domain, ValidationMethod: 'DNS' }),
  });
  const body = (await res.json()) as { CertificateArn?: string };
  if (!res.ok || !body.CertificateArn) throw new Error(`moto ACM RequestCertificate failed (${res.status})`);
  return body.CertificateArn;
}

/** Per-minute metric points (Sum) for a load balancer, as CloudWatch would hold them (ALB's namespace unless told). */
export async function seedMetrics(account: MotoAccount, dims: Record<string, string>, metrics: Record<string, number[]>, end: Date, namespace = 'AWS/ApplicationELB'): Promise<void> {
  // The SDK gzips large PutMetricData bodies and moto 5.2 fails to read them back (HTTP 500).
  const cw = new CloudWatchClient({ ...account.clientConfig, disableRequestCompression: true });
  for (const [MetricName, values] of Object.entries(metrics)) {
    const data = values.map((Value, i) => ({
      MetricName, Value, Unit: 'Count' as const,
      Timestamp: new Date(end.getTime() - (values.length - i) * 60_000),
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    }));
    for (let i = 0; i < data.length; i += 500) {
      await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }));
    }
  }
}
