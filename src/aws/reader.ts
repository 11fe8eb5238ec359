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

/** One CloudWatch Logs event (FilterLogEvents). */
export interface LogEvent {
  /** Epoch milliseconds, when the event happened. */
  timestamp: number;
  message: string;
  logStreamName?: string;
}

export interface LogEventsQuery {
  logGroupName: string;
  /** CloudWatch Logs filter pattern, e.g. `"Malformed Lambda proxy response"`; all events when absent. */
  filterPattern?: string;
  /** Epoch milliseconds. */
  startTime: number;
  endTime: number;
  /** Reading stops once this many events are in (pages are fetched until then). */
  limit: number;
}

export interface LogGroup {
  name: string;
  createdAt?: string;
  retentionDays?: number;
  storedBytes?: number;
}

export interface LogsQuery {
  logGroupNames: string[];
  /** Logs Insights query, e.g. `fields @timestamp, @message | sort @timestamp desc | limit 200`. */
  queryString: string;
  /** Epoch milliseconds (sent to Insights as seconds). */
  startTime: number;
  endTime: number;
  limit: number;
}

export interface LogsQueryResult {
  /** `Complete`, or `Timeout`/`Failed`/`Cancelled` as Insights ended it. */
  status: string;
  /** One object per row: field name (`@timestamp`, `@message`) → value. */
  rows: Record<string, string>[];
}

/** A REST API (apigateway, v1). */
export interface RestApi {
  id: string;
  name: string;
  /** `EDGE`, `REGIONAL`, `PRIVATE`. */
  endpointTypes: string[];
  createdAt?: string;
}

/** A REST API resource (path) and the methods on it (GetResources with embed=methods). */
export interface RestResource {
  id: string;
  path: string;
  /** `GET`, `POST`, `ANY`, …. */
  methods: string[];
}

/** A REST method's integration (GetIntegration) and the method's own response codes (GetMethod). */
export interface RestIntegration {
  /** `AWS_PROXY`, `AWS`, `HTTP`, `HTTP_PROXY`, `MOCK`. */
  type: string;
  uri?: string;
  httpMethod?: string;
  /** Absent means the API's default (29 s for REST). */
  timeoutInMillis?: number;
  /** `INTERNET` or `VPC_LINK`. */
  connectionType?: string;
  connectionId?: string;
  /** Status codes of the integration responses (non-proxy integrations map the backend's answer through them). */
  integrationResponses: { statusCode: string; selectionPattern?: string }[];
  /** Status codes the method declares (an integration response must map to one of them). */
  methodResponses: string[];
  authorizationType?: string;
}

/** A stage (REST GetStage or HTTP API GetStage), in one shape. */
export interface ApiStage {
  name: string;
  /** REST: the stage-wide method setting (key "*\/*") loggingLevel; HTTP: DefaultRouteSettings.LoggingLevel (`OFF`, `ERROR`, `INFO`). */
  loggingLevel?: string;
  dataTrace?: boolean;
  detailedMetrics?: boolean;
  accessLog?: { destinationArn: string; format?: string };
  variables: Record<string, string>;
  deploymentId?: string;
  autoDeploy?: boolean;
  lastUpdated?: string;
}

/** A customised gateway response (REST GetGatewayResponses; defaults are left out). */
export interface GatewayResponseInfo {
  /** `DEFAULT_5XX`, `INTEGRATION_FAILURE`, `INTEGRATION_TIMEOUT`, …. */
  type: string;
  statusCode?: string;
  /** Whether API Gateway's default is in force (not customised). */
  isDefault: boolean;
  templates: string[];
}

/** A VPC link (REST v1: NLB target ARNs; HTTP API v2: subnets and security groups). */
export interface ApiVpcLink {
  id: string;
  name: string;
  /** `AVAILABLE`, `PENDING`, `DELETING`, `FAILED` (v2 also `INACTIVE`). */
  status: string;
  statusMessage?: string;
  targetArns: string[];
  subnetIds: string[];
  securityGroupIds: string[];
}

/** An HTTP API (apigatewayv2); WebSocket APIs are listed with their protocol too. */
export interface HttpApi {
  id: string;
  name: string;
  /** `HTTP` or `WEBSOCKET`. */
  protocol: string;
  endpoint?: string;
  createdAt?: string;
}

export interface HttpRoute {
  id: string;
  /** `GET /orders/{id}`, `ANY /{proxy+}`, `$default`. */
  routeKey: string;
  /** `integrations/<id>`. */
  target?: string;
  authorizationType?: string;
}

export interface HttpIntegration {
  id: string;
  /** `AWS_PROXY`, `HTTP_PROXY`, `MOCK`, …. */
  type: string;
  uri?: string;
  method?: string;
  /** `1.0` or `2.0`. */
  payloadFormatVersion?: string;
  timeoutInMillis?: number;
  connectionType?: string;
  connectionId?: string;
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
  /** Events of one log group that match the pattern, oldest first, at most `limit` (paged). */
  filterLogEvents(query: LogEventsQuery): Promise<LogEvent[]>;
  /** Log groups whose name starts with the prefix (paged); none is an empty list, not an error. */
  describeLogGroups(prefix: string): Promise<LogGroup[]>;
  /**
   * A Logs Insights query, started and polled until it ends; the signal stops it (StopQuery)
   * when the check is cancelled. IAM: logs:StartQuery, logs:GetQueryResults, logs:StopQuery.
   */
  queryLogs(query: LogsQuery, signal?: AbortSignal): Promise<LogsQueryResult>;
  /** Every REST API in the region (paged). */
  getRestApis(): Promise<RestApi[]>;
  getResources(restApiId: string): Promise<RestResource[]>;
  getIntegration(restApiId: string, resourceId: string, httpMethod: string): Promise<RestIntegration>;
  getStage(restApiId: string, stageName: string): Promise<ApiStage>;
  getGatewayResponses(restApiId: string): Promise<GatewayResponseInfo[]>;
  getVpcLink(id: string): Promise<ApiVpcLink>;
  /** Every HTTP (and WebSocket) API in the region (paged). */
  getApis(): Promise<HttpApi[]>;
  getRoutes(apiId: string): Promise<HttpRoute[]>;
  getIntegrations(apiId: string): Promise<HttpIntegration[]>;
  getHttpStage(apiId: string, stageName: string): Promise<ApiStage>;
  getHttpVpcLink(id: string): Promise<ApiVpcLink>;
  /** Stage names of a REST API / an HTTP API. */
  getStages(restApiId: string): Promise<string[]>;
  getHttpStages(apiId: string): Promise<string[]>;
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
  filterLogEvents: 'logs:FilterLogEvents',
  describeLogGroups: 'logs:DescribeLogGroups',
  queryLogs: 'logs:StartQuery',
  // API Gateway authorises every read (REST and HTTP APIs alike) as apigateway:GET on the resource path.
  getRestApis: 'apigateway:GET',
  getResources: 'apigateway:GET',
  getIntegration: 'apigateway:GET',
  getStage: 'apigateway:GET',
  getGatewayResponses: 'apigateway:GET',
  getVpcLink: 'apigateway:GET',
  getApis: 'apigateway:GET',
  getRoutes: 'apigateway:GET',
  getIntegrations: 'apigateway:GET',
  getHttpStage: 'apigateway:GET',
  getHttpVpcLink: 'apigateway:GET',
  getStages: 'apigateway:GET',
  getHttpStages: 'apigateway:GET',
  describeListenerAttributes: 'elasticloadbalancing:DescribeListenerAttributes',
};

export const READER_METHODS = Object.keys(READER_ACTIONS) as ReaderMethod[];
