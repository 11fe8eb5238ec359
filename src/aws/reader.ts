import type { LogObjectStore } from '../logs/log-object-store.js';

/**
 * The AwsReader port: every AWS read a check makes goes through it and returns plain
 * objects. Adapters: sdk (real clients), recorded (replay from a file).
 * The shapes are ours, not the SDK's, so fixtures and recordings stay small and stable.
 */

export interface LoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  scheme: string;
  /** `application`, `network`, `gateway`. */
  type: string;
  state: string;
  vpcId: string;
  azs: { zone: string; subnetId: string }[];
  securityGroups: string[];
  createdAt?: string;
}

export interface Action {
  /** `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, … */
  type: string;
  order?: number;
  /** Every target group a forward action can send to (single or weighted). */
  targetGroupArns: string[];
  fixedResponse?: { statusCode: string; contentType?: string };
  redirect?: { protocol?: string; host?: string; port?: string; path?: string; statusCode?: string };
}

export interface Listener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  defaultActions: Action[];
}

export interface Rule {
  arn: string;
  /** `default` for the listener's default rule, else a number as text. */
  priority: string;
  isDefault: boolean;
  conditions: { field: string; values: string[] }[];
  actions: Action[];
}

export interface HealthCheck {
  enabled: boolean;
  protocol?: string;
  /** `traffic-port` or a number as text. */
  port?: string;
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  /** HTTP codes (`200`, `200-399`) or gRPC codes. */
  matcher?: string;
}

export interface TargetGroup {
  arn: string;
  name: string;
  protocol?: string;
  protocolVersion?: string;
  port?: number;
  /** `instance`, `ip`, `lambda`, `alb`. */
  targetType: string;
  vpcId?: string;
  loadBalancerArns: string[];
  healthCheck: HealthCheck;
}

export interface TargetHealth {
  id: string;
  port?: number;
  az?: string;
  healthCheckPort?: string;
  /** `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`, … */
  state: string;
  reason?: string;
  description?: string;
}

export interface Instance {
  id: string;
  /** `running`, `stopped`, `pending`, … */
  state: string;
  stateReason?: string;
  az?: string;
  subnetId?: string;
  vpcId?: string;
  privateIp?: string;
  securityGroups: string[];
  instanceType?: string;
}

export interface InstanceStatus {
  id: string;
  state: string;
  az?: string;
  /** `ok`, `impaired`, `insufficient-data`, `not-applicable`, `initializing`. */
  systemStatus?: string;
  instanceStatus?: string;
  events: { code: string; description?: string; notBefore?: string }[];
}

export interface SgRule {
  /** `-1` means all protocols. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  ipv6Cidrs: string[];
  groupIds: string[];
  prefixListIds: string[];
  description?: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId?: string;
  ingress: SgRule[];
  egress: SgRule[];
}

export interface NaclEntry {
  ruleNumber: number;
  /** `-1` all, `6` tcp, `17` udp, … */
  protocol: string;
  action: 'allow' | 'deny';
  egress: boolean;
  cidr?: string;
  ipv6Cidr?: string;
  portRange?: { from: number; to: number };
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: NaclEntry[];
}

/** An ENI: how an IP target (a container task, a Lambda in a VPC, another host) gets its security groups. */
export interface NetworkInterface {
  id: string;
  privateIps: string[];
  subnetId?: string;
  vpcId?: string;
  securityGroups: string[];
  /** `interface`, `lambda`, `network_load_balancer`, … */
  interfaceType?: string;
  description?: string;
  status?: string;
}

export interface NetworkInterfaceQuery {
  privateIps: string[];
  vpcId?: string;
}

export interface Subnet {
  id: string;
  vpcId: string;
  az: string;
  cidr: string;
}

export interface Route {
  destination: string;
  /** Gateway, NAT, peering, instance, … id; `local` for the VPC route. */
  target: string;
  state?: string;
}

export interface RouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  subnetIds: string[];
  routes: Route[];
}

export interface MetricQuery {
  /** Must match ^[a-z][a-zA-Z0-9_]*$ (CloudWatch rule). */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: string;
}

export interface MetricResult {
  id: string;
  label?: string;
  /** ISO timestamps, oldest first. */
  timestamps: string[];
  values: number[];
  statusCode?: string;
}

export interface MetricDataRequest {
  queries: MetricQuery[];
  start: string;
  end: string;
  periodSeconds: number;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface LoadBalancerQuery {
  names?: string[];
  arns?: string[];
}

export interface TargetGroupQuery {
  loadBalancerArn?: string;
  arns?: string[];
  names?: string[];
}

export interface SubnetScope {
  subnetIds?: string[];
  vpcId?: string;
}

/** A CloudFront distribution as ListDistributions shows it. */
export interface DistributionSummary {
  id: string;
  arn: string;
  /** `d111111abcdef8.cloudfront.net`. */
  domainName: string;
  aliases: string[];
  status: string;
  enabled: boolean;
  comment?: string;
  originDomains: string[];
}

export interface CloudFrontOrigin {
  id: string;
  domainName: string;
  originPath?: string;
  /** `custom` (ALB, API, any HTTP server, S3 website endpoint), `s3` (bucket REST endpoint), `vpc`. */
  kind: 'custom' | 's3' | 'vpc';
  httpPort?: number;
  httpsPort?: number;
  /** `http-only`, `https-only`, `match-viewer`. */
  protocolPolicy?: string;
  sslProtocols: string[];
  /** Origin response timeout (the API's OriginReadTimeout), seconds. */
  readTimeoutSeconds?: number;
  keepaliveTimeoutSeconds?: number;
  connectionAttempts?: number;
  connectionTimeoutSeconds?: number;
  /** Names only: origin custom headers often carry a shared secret the origin checks. */
  customHeaderNames: string[];
}

export interface CacheBehavior {
  /** `*` for the default behaviour. */
  pathPattern: string;
  targetOriginId: string;
  originRequestPolicyId?: string;
  cachePolicyId?: string;
  /** Legacy cache settings: the headers forwarded to the origin (`*` forwards all, Host included). */
  forwardedHeaders?: string[];
  functionAssociations: { event: string; arn: string }[];
  lambdaAssociations: { event: string; arn: string }[];
}

export interface DistributionConfig {
  aliases: string[];
  enabled: boolean;
  origins: CloudFrontOrigin[];
  /** Default behaviour first. */
  behaviors: CacheBehavior[];
  customErrorResponses: { errorCode: number; responseCode?: string; pagePath?: string; minTtlSeconds?: number }[];
  logging?: { enabled: boolean; bucket: string; prefix: string };
}

/** A Classic Load Balancer (elasticloadbalancing API 2012-06-01): named, not ARN'd. */
export interface ClassicListener {
  /** `HTTP`, `HTTPS`, `TCP`, `SSL`. */
  protocol: string;
  loadBalancerPort: number;
  instanceProtocol: string;
  instancePort: number;
}

export interface ClassicLoadBalancer {
  name: string;
  dnsName: string;
  scheme: string;
  vpcId: string;
  azs: string[];
  subnets: string[];
  securityGroups: string[];
  listeners: ClassicListener[];
  /** `Target` is `HTTP:80/index.html`, `TCP:80`, …. */
  healthCheck: { target: string; intervalSeconds?: number; timeoutSeconds?: number; healthyThreshold?: number; unhealthyThreshold?: number };
  instanceIds: string[];
  createdAt?: string;
}

export interface ClassicInstanceState {
  instanceId: string;
  /** `InService`, `OutOfService`, `Unknown`. */
  state: string;
  /** `ELB`, `Instance` or `N/A`: who caused the state. */
  reasonCode?: string;
  description?: string;
}

export interface ClassicLbAttributes {
  idleTimeoutSeconds?: number;
  accessLog?: { enabled: boolean; bucket?: string; prefix?: string; emitIntervalMinutes?: number };
  connectionDraining?: { enabled: boolean; timeoutSeconds?: number };
  crossZone?: boolean;
  /** `AdditionalAttributes`, e.g. `elb.http.desyncmitigationmode`. */
  additional: Record<string, string>;
}

/** A Lambda function's configuration (lambda GetFunctionConfiguration). */
export interface LambdaFunction {
  name: string;
  arn: string;
  runtime?: string;
  handler?: string;
  /** Lambda's default is 3 s, its maximum 900 s. */
  timeoutSeconds: number;
  memoryMb?: number;
  /** `Pending`, `Active`, `Inactive`, `Failed`. */
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  vpcId?: string;
  subnetIds?: string[];
  securityGroupIds?: string[];
  lastModified?: string;
}

export interface LambdaPolicyStatement {
  sid?: string;
  effect: string;
  /** `*`, `apigateway.amazonaws.com`, `elasticloadbalancing.amazonaws.com`, account ARNs. */
  principals: string[];
  actions: string[];
  /** From `AWS:SourceArn` conditions: which API, stage or target group may invoke. */
  sourceArns: string[];
  sourceAccounts: string[];
}

/** The function's resource-based policy (lambda GetPolicy); no policy at all reads as no statements. */
export interface LambdaPolicy {
  statements: LambdaPolicyStatement[];
}

export interface AwsReader {
  /** Region the reader talks to, for citing sources. */
  readonly region: string;
  /**
   * The access-log bucket, read through the same credentials (or, in a drill, from the
   * scenario). Absent when the answers come from a recording that holds no log objects.
   */
  logObjectStore?(bucket: string): LogObjectStore;
  /** All load balancers when the query is empty (paged). */
  describeLoadBalancers(query?: LoadBalancerQuery): Promise<LoadBalancer[]>;
  describeLoadBalancerAttributes(loadBalancerArn: string): Promise<Record<string, string>>;
  describeListeners(loadBalancerArn: string): Promise<Listener[]>;
  describeRules(listenerArn: string): Promise<Rule[]>;
  describeTargetGroups(query: TargetGroupQuery): Promise<TargetGroup[]>;
  describeTargetGroupAttributes(targetGroupArn: string): Promise<Record<string, string>>;
  describeTargetHealth(targetGroupArn: string): Promise<TargetHealth[]>;
  describeInstances(instanceIds: string[]): Promise<Instance[]>;
  describeInstanceStatus(instanceIds: string[]): Promise<InstanceStatus[]>;
  describeSecurityGroups(groupIds: string[]): Promise<SecurityGroup[]>;
  describeNetworkAcls(scope: SubnetScope): Promise<NetworkAcl[]>;
  describeSubnets(scope: SubnetScope): Promise<Subnet[]>;
  describeRouteTables(scope: SubnetScope): Promise<RouteTable[]>;
  getMetricData(request: MetricDataRequest): Promise<MetricResult[]>;
  getCallerIdentity(): Promise<CallerIdentity>;
  describeNetworkInterfaces(query: NetworkInterfaceQuery): Promise<NetworkInterface[]>;
  /** Every distribution in the account (CloudFront is global; paged). */
  listDistributions(): Promise<DistributionSummary[]>;
  getDistributionConfig(distributionId: string): Promise<DistributionConfig>;
  /** Classic Load Balancers by name; all of them when no name is given (paged). */
  describeClassicLoadBalancers(names?: string[]): Promise<ClassicLoadBalancer[]>;
  describeInstanceHealth(loadBalancerName: string): Promise<ClassicInstanceState[]>;
  describeClassicLoadBalancerAttributes(loadBalancerName: string): Promise<ClassicLbAttributes>;
  /** A function by name, ARN or `name:alias`. */
  getFunctionConfiguration(functionName: string): Promise<LambdaFunction>;
  getFunctionPolicy(functionName: string): Promise<LambdaPolicy>;
  /** A listener's attributes, e.g. `tcp.idle_timeout.seconds` on an NLB TCP listener. */
  describeListenerAttributes(listenerArn: string): Promise<Record<string, string>>;
}

export type ReaderMethod = Exclude<keyof AwsReader, 'region' | 'logObjectStore'>;

/** The IAM action each reader method needs; sources and "missing permission" messages use it. */
export const READER_ACTIONS: Record<ReaderMethod, string> = {
  describeLoadBalancers: 'elasticloadbalancing:DescribeLoadBalancers',
  describeLoadBalancerAttributes: 'elasticloadbalancing:DescribeLoadBalancerAttributes',
  describeListeners: 'elasticloadbalancing:DescribeListeners',
  describeRules: 'elasticloadbalancing:DescribeRules',
  describeTargetGroups: 'elasticloadbalancing:DescribeTargetGroups',
  describeTargetGroupAttributes: 'elasticloadbalancing:DescribeTargetGroupAttributes',
  describeTargetHealth: 'elasticloadbalancing:DescribeTargetHealth',
  describeInstances: 'ec2:DescribeInstances',
  describeInstanceStatus: 'ec2:DescribeInstanceStatus',
  describeSecurityGroups: 'ec2:DescribeSecurityGroups',
  describeNetworkAcls: 'ec2:DescribeNetworkAcls',
  describeSubnets: 'ec2:DescribeSubnets',
  describeRouteTables: 'ec2:DescribeRouteTables',
  getMetricData: 'cloudwatch:GetMetricData',
  getCallerIdentity: 'sts:GetCallerIdentity',
  describeNetworkInterfaces: 'ec2:DescribeNetworkInterfaces',
  listDistributions: 'cloudfront:ListDistributions',
  getDistributionConfig: 'cloudfront:GetDistributionConfig',
  describeClassicLoadBalancers: 'elasticloadbalancing:DescribeLoadBalancers',
  describeInstanceHealth: 'elasticloadbalancing:DescribeInstanceHealth',
  describeClassicLoadBalancerAttributes: 'elasticloadbalancing:DescribeLoadBalancerAttributes',
  getFunctionConfiguration: 'lambda:GetFunctionConfiguration',
  getFunctionPolicy: 'lambda:GetPolicy',
  describeListenerAttributes: 'elasticloadbalancing:DescribeListenerAttributes',
};

export const READER_METHODS = Object.keys(READER_ACTIONS) as ReaderMethod[];
