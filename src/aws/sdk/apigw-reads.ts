import {
  GetGatewayResponsesCommand, GetIntegrationCommand, GetMethodCommand, GetStageCommand, GetStagesCommand, GetVpcLinkCommand, paginateGetResources,
  paginateGetRestApis, type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import {
  GetApisCommand, GetIntegrationsCommand, GetRoutesCommand, GetStageCommand as GetHttpStageCommand, GetStagesCommand as GetHttpStagesCommand, GetVpcLinkCommand as GetHttpVpcLinkCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import type { ApiStage, ApiVpcLink, GatewayResponseInfo, HttpApi, HttpIntegration, HttpRoute, RestApi, RestIntegration, RestResource } from '../reader.js';

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

export async function getRestApis(client: APIGatewayClient): Promise<RestApi[]> {
  const out: RestApi[] = [];
  for await (const page of paginateGetRestApis({ client }, { limit: 500 })) {
    for (const a of page.items ?? []) {
      out.push({ id: a.id ?? '', name: a.name ?? '', endpointTypes: a.endpointConfiguration?.types ?? [], ...(a.createdDate ? { createdAt: iso(a.createdDate) } : {}) });
    }
  }
  return out;
}

export async function getResources(client: APIGatewayClient, restApiId: string): Promise<RestResource[]> {
  const out: RestResource[] = [];
  for await (const page of paginateGetResources({ client }, { restApiId, limit: 500, embed: ['methods'] })) {
    for (const r of page.items ?? []) out.push({ id: r.id ?? '', path: r.path ?? '', methods: Object.keys(r.resourceMethods ?? {}).sort() });
  }
  return out;
}

/** The integration and, from the method, the status codes it declares: a non-proxy integration must map onto them. */
export async function getIntegration(client: APIGatewayClient, restApiId: string, resourceId: string, httpMethod: string): Promise<RestIntegration> {
  const i = await client.send(new GetIntegrationCommand({ restApiId, resourceId, httpMethod }));
  const m = await client.send(new GetMethodCommand({ restApiId, resourceId, httpMethod }));
  return {
    type: i.type ?? '',
    ...(i.uri ? { uri: i.uri } : {}),
    ...(i.httpMethod ? { httpMethod: i.httpMethod } : {}),
    ...(i.timeoutInMillis !== undefined ? { timeoutInMillis: i.timeoutInMillis } : {}),
    ...(i.connectionType ? { connectionType: i.connectionType } : {}),
    ...(i.connectionId ? { connectionId: i.connectionId } : {}),
    integrationResponses: Object.values(i.integrationResponses ?? {}).map((r) => ({ statusCode: r.statusCode ?? '', ...(r.selectionPattern !== undefined ? { selectionPattern: r.selectionPattern } : {}) })),
    methodResponses: Object.keys(m.methodResponses ?? {}).sort(),
    ...(m.authorizationType ? { authorizationType: m.authorizationType } : {}),
  };
}

export async function getStage(client: APIGatewayClient, restApiId: string, stageName: string): Promise<ApiStage> {
  const s = await client.send(new GetStageCommand({ restApiId, stageName }));
  // "*/*" is the stage-wide setting (the console's "Logs and tracing"); per-method keys override it.
  const all = s.methodSettings?.['*/*'];
  return {
    name: s.stageName ?? stageName,
    ...(all?.loggingLevel ? { loggingLevel: all.loggingLevel } : {}),
    ...(all?.dataTraceEnabled !== undefined ? { dataTrace: all.dataTraceEnabled } : {}),
    ...(all?.metricsEnabled !== undefined ? { detailedMetrics: all.metricsEnabled } : {}),
    ...(s.accessLogSettings?.destinationArn ? { accessLog: { destinationArn: s.accessLogSettings.destinationArn, ...(s.accessLogSettings.format ? { format: s.accessLogSettings.format } : {}) } } : {}),
    variables: s.variables ?? {},
    ...(s.deploymentId ? { deploymentId: s.deploymentId } : {}),
    ...(s.lastUpdatedDate ? { lastUpdated: iso(s.lastUpdatedDate) } : {}),
  };
}

export async function getGatewayResponses(client: APIGatewayClient, restApiId: string): Promise<GatewayResponseInfo[]> {
  const res = await client.send(new GetGatewayResponsesCommand({ restApiId, limit: 500 }));
  return (res.items ?? []).map((g) => ({
    type: g.responseType ?? '',
    ...(g.statusCode ? { statusCode: g.statusCode } : {}),
    isDefault: g.defaultResponse ?? true,
    templates: Object.values(g.responseTemplates ?? {}),
  }));
}

export async function getVpcLink(client: APIGatewayClient, id: string): Promise<ApiVpcLink> {
  const v = await client.send(new GetVpcLinkCommand({ vpcLinkId: id }));
  return { id: v.id ?? id, name: v.name ?? '', status: v.status ?? '', ...(v.statusMessage ? { statusMessage: v.statusMessage } : {}), targetArns: v.targetArns ?? [], subnetIds: [], securityGroupIds: [] };
}

/** apigatewayv2 pages with NextToken and no paginator for these calls. */
async function allPages<T>(fetch: (token?: string) => Promise<{ Items?: T[]; NextToken?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.Items ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

export async function getApis(client: ApiGatewayV2Client): Promise<HttpApi[]> {
  const items = await allPages((NextToken) => client.send(new GetApisCommand({ NextToken, MaxResults: '500' })));
  return items.map((a) => ({ id: a.ApiId ?? '', name: a.Name ?? '', protocol: a.ProtocolType ?? '', ...(a.ApiEndpoint ? { endpoint: a.ApiEndpoint } : {}), ...(a.CreatedDate ? { createdAt: iso(a.CreatedDate) } : {}) }));
}

export async function getRoutes(client: ApiGatewayV2Client, apiId: string): Promise<HttpRoute[]> {
  const items = await allPages((NextToken) => client.send(new GetRoutesCommand({ ApiId: apiId, NextToken, MaxResults: '500' })));
  return items.map((r) => ({ id: r.RouteId ?? '', routeKey: r.RouteKey ?? '', ...(r.Target ? { target: r.Target } : {}), ...(r.AuthorizationType ? { authorizationType: r.AuthorizationType } : {}) }));
}

export async function getIntegrations(client: ApiGatewayV2Client, apiId: string): Promise<HttpIntegration[]> {
  const items = await allPages((NextToken) => client.send(new GetIntegrationsCommand({ ApiId: apiId, NextToken, MaxResults: '500' })));
  return items.map((i) => ({
    id: i.IntegrationId ?? '',
    type: i.IntegrationType ?? '',
    ...(i.IntegrationUri ? { uri: i.IntegrationUri } : {}),
    ...(i.IntegrationMethod ? { method: i.IntegrationMethod } : {}),
    ...(i.PayloadFormatVersion ? { payloadFormatVersion: i.PayloadFormatVersion } : {}),
    ...(i.TimeoutInMillis !== undefined ? { timeoutInMillis: i.TimeoutInMillis } : {}),
    ...(i.ConnectionType ? { connectionType: i.ConnectionType } : {}),
    ...(i.ConnectionId ? { connectionId: i.ConnectionId } : {}),
  }));
}

export async function getHttpStage(client: ApiGatewayV2Client, apiId: string, stageName: string): Promise<ApiStage> {
  const s = await client.send(new GetHttpStageCommand({ ApiId: apiId, StageName: stageName }));
  const d = s.DefaultRouteSettings;
  return {
    name: s.StageName ?? stageName,
    ...(d?.LoggingLevel ? { loggingLevel: d.LoggingLevel } : {}),
    ...(d?.DataTraceEnabled !== undefined ? { dataTrace: d.DataTraceEnabled } : {}),
    ...(d?.DetailedMetricsEnabled !== undefined ? { detailedMetrics: d.DetailedMetricsEnabled } : {}),
    ...(s.AccessLogSettings?.DestinationArn ? { accessLog: { destinationArn: s.AccessLogSettings.DestinationArn, ...(s.AccessLogSettings.Format ? { format: s.AccessLogSettings.Format } : {}) } } : {}),
    variables: s.StageVariables ?? {},
    ...(s.DeploymentId ? { deploymentId: s.DeploymentId } : {}),
    ...(s.AutoDeploy !== undefined ? { autoDeploy: s.AutoDeploy } : {}),
    ...(s.LastUpdatedDate ? { lastUpdated: iso(s.LastUpdatedDate) } : {}),
  };
}

export async function getHttpVpcLink(client: ApiGatewayV2Client, id: string): Promise<ApiVpcLink> {
  const v = await client.send(new GetHttpVpcLinkCommand({ VpcLinkId: id }));
  return {
    id: v.VpcLinkId ?? id, name: v.Name ?? '', status: v.VpcLinkStatus ?? '', ...(v.VpcLinkStatusMessage ? { statusMessage: v.VpcLinkStatusMessage } : {}),
    targetArns: [], subnetIds: v.SubnetIds ?? [], securityGroupIds: v.SecurityGroupIds ?? [],
  };
}

export async function getStages(client: APIGatewayClient, restApiId: string): Promise<string[]> {
  const res = await client.send(new GetStagesCommand({ restApiId }));
  return (res.item ?? []).map((s) => s.stageName ?? '').filter(Boolean).sort();
}

export async function getHttpStages(client: ApiGatewayV2Client, apiId: string): Promise<string[]> {
  const items = await allPages((NextToken) => client.send(new GetHttpStagesCommand({ ApiId: apiId, NextToken, MaxResults: '500' })));
  return items.map((s) => s.StageName ?? '').filter(Boolean).sort();
}
