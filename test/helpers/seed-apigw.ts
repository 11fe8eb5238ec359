// Builds API Gateway setups (REST and HTTP APIs, with Lambda functions) in moto from SDK write
// calls (test-only; src/ stays read-only).
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, CreateVpcLinkCommand,
  GetResourcesCommand, PutGatewayResponseCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
  PutMethodResponseCommand, UpdateStageCommand, type GatewayResponseType, type IntegrationType,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand as CreateHttpStageCommand,
  CreateVpcLinkCommand as CreateHttpVpcLinkCommand, type IntegrationType as HttpIntegrationType,
} from '@aws-sdk/client-apigatewayv2';
import type { MotoAccount } from './moto-server.js';
import { seedFunctions, type SeedFunction } from './seed-lambda.js';

/** A VPC link's status as the launcher reports it (`moto:status` tag): `FAILED|message`. */
export interface SeedVpcLink { status?: string; message?: string }

export interface SeedRestApi {
  name: string;
  stage?: string;
  /** One path part under the root, e.g. `orders`. */
  pathPart?: string;
  method?: string;
  integration: {
    type: IntegrationType;
    /** A Lambda function (seeded with the API unless `seedFunction` is false) for AWS / AWS_PROXY. */
    fn?: SeedFunction;
    /** Point the integration at this function name without creating it (a deleted function). */
    missingFunction?: string;
    /** Name the function through this stage variable (`function:${stageVariables.NAME}`) instead of by name. */
    viaStageVariable?: string;
    uri?: string;
    timeoutMs?: number;
    vpcLink?: SeedVpcLink;
    /** Integration response status codes (non-proxy integrations). */
    responses?: string[];
  };
  methodResponses?: string[];
  loggingLevel?: 'OFF' | 'ERROR' | 'INFO';
  accessLog?: boolean;
  gatewayResponses?: { type: GatewayResponseType; statusCode?: string; template?: string }[];
  variables?: Record<string, string>;
  /** false grants no invoke permission to API Gateway; true (default) grants it for this API. */
  allowInvoke?: boolean;
}

export interface SeededApi { id: string; name: string; stage: string; url: string; functionArn?: string; vpcLinkId?: string }

const tagsOf = (v: SeedVpcLink | undefined) => (v?.status ? { 'moto:status': `${v.status}|${v.message ?? ''}` } : undefined);

export async function seedRestApi(account: MotoAccount, cfg: SeedRestApi): Promise<SeededApi> {
  const gw = new APIGatewayClient(account.clientConfig);
  const region = 'us-east-1';
  const stage = cfg.stage ?? 'prod';
  const method = cfg.method ?? 'GET';
  const api = await gw.send(new CreateRestApiCommand({ name: cfg.name, endpointConfiguration: { types: ['REGIONAL'] } }));
  const id = api.id as string;
  const root = (await gw.send(new GetResourcesCommand({ restApiId: id }))).items?.find((r) => r.path === '/')?.id as string;
  const resourceId = (await gw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: cfg.pathPart ?? 'orders' }))).id as string;
  await gw.send(new PutMethodCommand({ restApiId: id, resourceId, httpMethod: method, authorizationType: 'NONE' }));
  let functionArn: string | undefined;
  const i = cfg.integration;
  if (i.fn) {
    const sourceArn = `arn:aws:execute-api:${region}:${account.accountId}:${id}/*/*/*`;
    const allow = cfg.allowInvoke === false ? [] : [{ principal: 'apigateway.amazonaws.com', sourceArn }];
    functionArn = (await seedFunctions(account, [{ ...i.fn, allow: i.fn.allow ?? allow }]))[i.fn.name];
  }
  const fnArn = i.viaStageVariable ? `arn:aws:lambda:${region}:${account.accountId}:function:\${stageVariables.${i.viaStageVariable}}`
    : functionArn ?? (i.missingFunction ? `arn:aws:lambda:${region}:${account.accountId}:function:${i.missingFunction}` : undefined);
  let vpcLinkId: string | undefined;
  if (i.vpcLink) {
    const nlb = `arn:aws:elasticloadbalancing:${region}:${account.accountId}:loadbalancer/net/${cfg.name}-nlb/0123456789abcdef`;
    vpcLinkId = (await gw.send(new CreateVpcLinkCommand({ name: `${cfg.name}-link`, targetArns: [nlb], tags: tagsOf(i.vpcLink) }))).id;
  }
  await gw.send(new PutIntegrationCommand({
    restApiId: id, resourceId, httpMethod: method, type: i.type,
    ...(i.type === 'MOCK' ? {} : { integrationHttpMethod: i.type.startsWith('AWS') ? 'POST' : method }),
    ...(fnArn ? { uri: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}/invocations` } : i.uri ? { uri: i.uri } : {}),
    ...(i.timeoutMs ? { timeoutInMillis: i.timeoutMs } : {}),
    ...(vpcLinkId ? { connectionType: 'VPC_LINK', connectionId: vpcLinkId } : {}),
  }));
  for (const code of cfg.methodResponses ?? []) await gw.send(new PutMethodResponseCommand({ restApiId: id, resourceId, httpMethod: method, statusCode: code }));
  for (const code of i.responses ?? []) await gw.send(new PutIntegrationResponseCommand({ restApiId: id, resourceId, httpMethod: method, statusCode: code, selectionPattern: '' }));
  for (const g of cfg.gatewayResponses ?? []) {
    await gw.send(new PutGatewayResponseCommand({ restApiId: id, responseType: g.type, ...(g.statusCode ? { statusCode: g.statusCode } : {}), ...(g.template ? { responseTemplates: { 'application/json': g.template } } : {}) }));
  }
  const deploymentId = (await gw.send(new CreateDeploymentCommand({ restApiId: id }))).id as string;
  await gw.send(new CreateStageCommand({ restApiId: id, stageName: stage, deploymentId, ...(cfg.variables ? { variables: cfg.variables } : {}) }));
  const ops = [
    ...(cfg.loggingLevel ? [{ op: 'replace' as const, path: '/*/*/logging/loglevel', value: cfg.loggingLevel }] : []),
    ...(cfg.accessLog ? [{ op: 'replace' as const, path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:${region}:${account.accountId}:log-group:${cfg.name}-access` }, { op: 'replace' as const, path: '/accessLogSettings/format', value: '$context.requestId $context.status $context.integrationErrorMessage' }] : []),
  ];
  if (ops.length) await gw.send(new UpdateStageCommand({ restApiId: id, stageName: stage, patchOperations: ops }));
  return { id, name: cfg.name, stage, url: `https://${id}.execute-api.${region}.amazonaws.com/${stage}/${cfg.pathPart ?? 'orders'}`, ...(functionArn ? { functionArn } : {}), ...(vpcLinkId ? { vpcLinkId } : {}) };
}

export interface SeedHttpApi {
  name: string;
  stage?: string;
  routeKey?: string;
  integration: {
    type: HttpIntegrationType;
    fn?: SeedFunction;
    missingFunction?: string;
    uri?: string;
    timeoutMs?: number;
    payloadFormatVersion?: '1.0' | '2.0';
    vpcLink?: SeedVpcLink;
  };
  accessLog?: boolean;
  allowInvoke?: boolean;
}

export async function seedHttpApi(account: MotoAccount, cfg: SeedHttpApi): Promise<SeededApi> {
  const gw = new ApiGatewayV2Client(account.clientConfig);
  const region = 'us-east-1';
  const stage = cfg.stage ?? '$default';
  const api = await gw.send(new CreateApiCommand({ Name: cfg.name, ProtocolType: 'HTTP' }));
  const id = api.ApiId as string;
  const i = cfg.integration;
  let functionArn: string | undefined;
  if (i.fn) {
    const sourceArn = `arn:aws:execute-api:${region}:${account.accountId}:${id}/*/*/*`;
    const allow = cfg.allowInvoke === false ? [] : [{ principal: 'apigateway.amazonaws.com', sourceArn }];
    functionArn = (await seedFunctions(account, [{ ...i.fn, allow: i.fn.allow ?? allow }]))[i.fn.name];
  }
  const fnArn = functionArn ?? (i.missingFunction ? `arn:aws:lambda:${region}:${account.accountId}:function:${i.missingFunction}` : undefined);
  let vpcLinkId: string | undefined;
  if (i.vpcLink) {
    vpcLinkId = (await gw.send(new CreateHttpVpcLinkCommand({ Name: `${cfg.name}-link`, SubnetIds: ['subnet-0123456789abcdef0'], SecurityGroupIds: ['sg-0123456789abcdef0'], Tags: tagsOf(i.vpcLink) }))).VpcLinkId;
  }
  const integration = await gw.send(new CreateIntegrationCommand({
    ApiId: id, IntegrationType: i.type,
    ...(fnArn ? { IntegrationUri: fnArn, PayloadFormatVersion: i.payloadFormatVersion ?? '2.0' } : i.uri ? { IntegrationUri: i.uri, IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0' } : {}),
    ...(i.timeoutMs ? { TimeoutInMillis: i.timeoutMs } : {}),
    ...(vpcLinkId ? { ConnectionType: 'VPC_LINK', ConnectionId: vpcLinkId } : {}),
  }));
  await gw.send(new CreateRouteCommand({ ApiId: id, RouteKey: cfg.routeKey ?? 'GET /orders', Target: `integrations/${integration.IntegrationId}` }));
  await gw.send(new CreateHttpStageCommand({
    ApiId: id, StageName: stage, AutoDeploy: true,
    ...(cfg.accessLog ? { AccessLogSettings: { DestinationArn: `arn:aws:logs:${region}:${account.accountId}:log-group:${cfg.name}-access`, Format: '$context.requestId $context.status $context.integrationErrorMessage' } } : {}),
  }));
  const base = `https://${id}.execute-api.${region}.amazonaws.com`;
  const path = (cfg.routeKey ?? 'GET /orders').split(' ')[1] ?? '/';
  return { id, name: cfg.name, stage, url: stage === '$default' ? `${base}${path}` : `${base}/${stage}${path}`, ...(functionArn ? { functionArn } : {}), ...(vpcLinkId ? { vpcLinkId } : {}) };
}
