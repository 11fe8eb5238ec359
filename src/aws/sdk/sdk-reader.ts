import { createS3LogStore } from './s3-log-store.js';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Source } from '../../engine/vocabulary.js';
import type { AwsReader } from '../reader.js';
import { tapReader } from '../tap-reader.js';
import { resolveClientConfig, type SdkOptions, type SharedClientConfig } from './client-config.js';
import * as cf from './cloudfront-reads.js';
import * as cw from './cloudwatch-reads.js';
import * as ec2 from './ec2-reads.js';
import * as elb from './elbv2-reads.js';
import * as clb from './elb-classic-reads.js';
import * as lambda from './lambda-reads.js';
import * as logs from './logs-reads.js';
import * as apigw from './apigw-reads.js';

export interface SdkReaderOptions extends SdkOptions {
  /** Every call, as the Source a check cites. */
  onCall?(source: Source): void;
}

export interface SdkReader extends AwsReader {
  readonly profile?: string;
  readonly config: SharedClientConfig;
}

/** The real adapter: one shared config, four clients, plain objects out. */
export function createSdkReader(opts: SdkReaderOptions = {}): SdkReader {
  const config = resolveClientConfig(opts);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const ec2Client = new EC2Client(config);
  const cloudwatch = new CloudWatchClient(config);
  const sts = new STSClient(config);
  // CloudFront is global: its API signs in us-east-1 whatever region the rest of the run uses.
  const cloudfront = new CloudFrontClient({ ...config, region: 'us-east-1' });
  const classic = new ElasticLoadBalancingClient(config);
  const lambdaClient = new LambdaClient(config);
  const logsClient = new CloudWatchLogsClient(config);
  const rest = new APIGatewayClient(config);
  const http = new ApiGatewayV2Client(config);
  const base: AwsReader = {
    region: config.region,
    describeLoadBalancers: (q) => elb.describeLoadBalancers(elbv2, q),
    describeLoadBalancerAttributes: (arn) => elb.describeLoadBalancerAttributes(elbv2, arn),
    describeListeners: (arn) => elb.describeListeners(elbv2, arn),
    describeRules: (arn) => elb.describeRules(elbv2, arn),
    describeTargetGroups: (q) => elb.describeTargetGroups(elbv2, q),
    describeTargetGroupAttributes: (arn) => elb.describeTargetGroupAttributes(elbv2, arn),
    describeTargetHealth: (arn) => elb.describeTargetHealth(elbv2, arn),
    describeInstances: (ids) => ec2.describeInstances(ec2Client, ids),
    describeInstanceStatus: (ids) => ec2.describeInstanceStatus(ec2Client, ids),
    describeSecurityGroups: (ids) => ec2.describeSecurityGroups(ec2Client, ids),
    describeNetworkAcls: (scope) => ec2.describeNetworkAcls(ec2Client, scope),
    describeSubnets: (scope) => ec2.describeSubnets(ec2Client, scope),
    describeRouteTables: (scope) => ec2.describeRouteTables(ec2Client, scope),
    describeNetworkInterfaces: (q) => ec2.describeNetworkInterfaces(ec2Client, q),
    describeClassicLoadBalancers: (names) => clb.describeClassicLoadBalancers(classic, names),
    describeInstanceHealth: (name) => clb.describeInstanceHealth(classic, name),
    describeClassicLoadBalancerAttributes: (name) => clb.describeClassicLoadBalancerAttributes(classic, name),
    getFunctionConfiguration: (name) => lambda.getFunctionConfiguration(lambdaClient, name),
    getFunctionPolicy: (name) => lambda.getFunctionPolicy(lambdaClient, name),
    filterLogEvents: (q) => logs.filterLogEvents(logsClient, q),
    describeLogGroups: (prefix) => logs.describeLogGroups(logsClient, prefix),
    queryLogs: (q, signal) => logs.queryLogs(logsClient, q, signal),
    getRestApis: () => apigw.getRestApis(rest),
    getResources: (id) => apigw.getResources(rest, id),
    getIntegration: (id, resourceId, method) => apigw.getIntegration(rest, id, resourceId, method),
    getStage: (id, stage) => apigw.getStage(rest, id, stage),
    getGatewayResponses: (id) => apigw.getGatewayResponses(rest, id),
    getVpcLink: (id) => apigw.getVpcLink(rest, id),
    getApis: () => apigw.getApis(http),
    getRoutes: (id) => apigw.getRoutes(http, id),
    getIntegrations: (id) => apigw.getIntegrations(http, id),
    getHttpStage: (id, stage) => apigw.getHttpStage(http, id, stage),
    getHttpVpcLink: (id) => apigw.getHttpVpcLink(http, id),
    getStages: (id) => apigw.getStages(rest, id),
    getHttpStages: (id) => apigw.getHttpStages(http, id),
    describeListenerAttributes: (arn) => elb.describeListenerAttributes(elbv2, arn),
    getMetricData: (req) => cw.getMetricData(cloudwatch, req),
    listDistributions: () => cf.listDistributions(cloudfront),
    getDistributionConfig: (id) => cf.getDistributionConfig(cloudfront, id),
    getCallerIdentity: async () => {
      const res = await sts.send(new GetCallerIdentityCommand({}));
      return { account: res.Account ?? '', arn: res.Arn ?? '', userId: res.UserId ?? '' };
    },
    logObjectStore: (bucket) => createS3LogStore({ bucket, region: config.region, profile: opts.profile, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }),
  };
  const reader = opts.onCall ? tapReader(base, { onCall: (s) => opts.onCall?.(s) }) : base;
  return Object.assign(reader, { config, ...(opts.profile ? { profile: opts.profile } : {}) });
}
