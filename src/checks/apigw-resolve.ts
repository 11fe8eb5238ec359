import type { HttpApi, RestApi } from '../aws/reader.js';
import { executionLogGroup, isNotFound, parseExecuteApiHost, splitApiQuery, type ApiKind } from './apigw-common.js';
import { plural, table } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface ApigwResolveEvidence {
  /** The API id asked for (--api, or the URL's execute-api host). */
  apiId?: string;
  url?: string;
  host?: string;
  /** The URL's path, stage segment included. */
  urlPath: string;
  rest: RestApi[];
  /** HTTP APIs only (WebSocket APIs make no 502 of this kind). */
  http: HttpApi[];
  chosen?: { kind: ApiKind; id: string; name: string; endpointType: string };
  stage?: string;
  /** Whether GetStage found the stage (undefined when no stage was known to ask for). */
  stageFound?: boolean;
  /** The API's stages, when the URL and the flags named none. */
  stages?: string[];
  /** The request path below the stage. */
  path: string;
  region: string;
}

function evaluate(ev: ApigwResolveEvidence): CheckResult {
  const listing = table(['kind', 'id', 'name', 'endpoint'], [
    ...ev.rest.map((a) => ['REST', a.id, a.name, a.endpointTypes.join(',') || '-']),
    ...ev.http.map((a) => ['HTTP', a.id, a.name, a.endpoint ?? '-']),
  ].slice(0, 30));
  const total = ev.rest.length + ev.http.length;
  if (!ev.chosen) {
    if (!ev.apiId && total > 1) {
      return {
        status: 'warn', outcome: 'ambiguous',
        summary: `${plural(total, 'API')} in ${ev.region}${ev.host ? `, and ${ev.host} is not an execute-api host (a custom domain?)` : ''}: name one with --api ID`,
        details: [...listing, 'A custom domain maps base paths to APIs: `aws apigateway get-base-path-mappings --domain-name DOMAIN` (REST) or `aws apigatewayv2 get-api-mappings --domain-name DOMAIN` (HTTP) tells which.'],
      };
    }
    return {
      status: 'warn', outcome: 'not-found',
      summary: ev.apiId ? `No REST or HTTP API ${ev.apiId} in ${ev.region}` : `No REST or HTTP API in ${ev.region}`,
      details: total ? ['APIs in this region:', ...listing] : ['Check --region: APIs are per region (the execute-api host names it: {id}.execute-api.{region}.amazonaws.com).'],
    };
  }
  const c = ev.chosen;
  const kindName = c.kind === 'rest' ? 'REST API' : 'HTTP API';
  if (!ev.stage || ev.stageFound === false) {
    return {
      status: 'warn', outcome: 'ambiguous',
      summary: ev.stage ? `${kindName} ${c.name} (${c.id}) has no stage "${ev.stage}"` : `${kindName} ${c.name} (${c.id}): which stage? Pass --stage S (or --api ${c.id}/STAGE)`,
      details: [
        ...(ev.stages ? [`Stages: ${ev.stages.join(', ') || '(none: the API is not deployed)'}`] : []),
        c.kind === 'rest' ? `aws apigateway get-stages --rest-api-id ${c.id} --query 'item[].stageName'` : `aws apigatewayv2 get-stages --api-id ${c.id} --query 'Items[].StageName'`,
      ],
      facts: { 'apigw.kind': c.kind, 'apigw.id': c.id, 'apigw.name': c.name },
    };
  }
  const details = [
    `${kindName} ${c.name} (${c.id}), ${c.endpointType}, stage ${ev.stage}, path ${ev.path}`,
    c.kind === 'rest'
      ? 'REST: a malformed Lambda proxy response or a function error is a 502; a missing invoke permission, a configuration error or a failed VPC link is a 500; an integration timeout is a 504.'
      : 'HTTP API: any Lambda problem is a 500 {"message":"Internal Server Error"} and an integration timeout a 503 {"message":"Service Unavailable"}; a 502 here is passed on from an HTTP backend.',
  ];
  if (ev.host && !parseExecuteApiHost(ev.host)) details.push(`${ev.host} is a custom domain: the path above is the URL's own; a base path mapping may strip its first segment.`);
  if (c.endpointType === 'EDGE') details.push('Edge-optimized: CloudFront sits in front, so `X-Cache: Error from cloudfront` shows on API Gateway\'s own errors too.');
  const facts: Facts = {
    'apigw.kind': c.kind,
    'apigw.id': c.id,
    'apigw.name': c.name,
    'apigw.stage': ev.stage,
    'apigw.path': ev.path,
    'apigw.region': ev.region,
    'apigw.endpointType': c.endpointType,
    'apigw.customDomain': Boolean(ev.host && !parseExecuteApiHost(ev.host)),
    ...(c.kind === 'rest' ? { 'apigw.executionLogGroup': executionLogGroup(c.id, ev.stage) } : {}),
  };
  return { status: 'pass', outcome: 'found', summary: `${kindName} ${c.name} (${c.id}), stage ${ev.stage}`, details, facts };
}

function urlParts(url: string | undefined): { host?: string; path: string } {
  if (!url) return { path: '/' };
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase(), path: decodeURIComponent(u.pathname) || '/' };
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
}

export const apigwResolve: Check<ApigwResolveEvidence> = {
  meta: {
    id: 'apigw.resolve',
    title: 'Find the API (REST or HTTP) and stage behind the URL',
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html',
    apis: ['apigateway:GET'],
    params: {
      api: { description: 'API id (or ID/STAGE); empty reads it from the URL\'s execute-api host' },
      stage: { description: 'stage name; empty takes the URL\'s first path segment (REST) or `$default` (HTTP)' },
      url: { description: 'a failing URL: https://{id}.execute-api.{region}.amazonaws.com/{stage}/… or a custom domain' },
    },
    outcomes: ['found', 'not-found', 'ambiguous'],
    facts: ['apigw.kind', 'apigw.id', 'apigw.name', 'apigw.stage', 'apigw.path', 'apigw.region', 'apigw.endpointType', 'apigw.customDomain', 'apigw.executionLogGroup'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const url = ctx.params.url?.trim() || undefined;
    const { host, path: urlPath } = urlParts(url);
    const asked = splitApiQuery(ctx.params.api);
    const fromHost = host ? parseExecuteApiHost(host) : undefined;
    const apiId = asked.apiId ?? fromHost?.apiId;
    ctx.progress('GetRestApis, GetApis');
    const rest = await aws.getRestApis();
    const http = (await aws.getApis()).filter((a) => a.protocol === 'HTTP');
    const base = { ...(apiId ? { apiId } : {}), ...(url ? { url } : {}), ...(host ? { host } : {}), urlPath, rest, http, path: urlPath, region: fromHost?.region ?? aws.region };
    const r = apiId ? rest.find((a) => a.id === apiId) : rest.length + http.length === 1 ? rest[0] : undefined;
    const h = apiId ? http.find((a) => a.id === apiId) : rest.length + http.length === 1 ? http[0] : undefined;
    const chosen = r
      ? { kind: 'rest' as const, id: r.id, name: r.name, endpointType: r.endpointTypes[0] ?? 'EDGE' }
      : h ? { kind: 'http' as const, id: h.id, name: h.name, endpointType: 'REGIONAL' } : undefined;
    if (!chosen) return base;
    const segments = urlPath.split('/').filter(Boolean);
    const onExecuteApi = Boolean(fromHost);
    let stage = ctx.params.stage?.trim() || asked.stage;
    let path = urlPath;
    if (stage && onExecuteApi && segments[0] === stage) path = `/${segments.slice(1).join('/')}`;
    // REST URLs always name the stage first.
    if (!stage && onExecuteApi && chosen.kind === 'rest' && segments.length) {
      stage = segments[0];
      path = `/${segments.slice(1).join('/')}`;
    }
    let stages: string[] | undefined;
    if (!stage) {
      ctx.progress(`GetStages ${chosen.id}`);
      stages = await (chosen.kind === 'rest' ? aws.getStages(chosen.id) : aws.getHttpStages(chosen.id));
      // An HTTP API's `$default` stage is served at the root; a named one is the URL's first segment.
      if (chosen.kind === 'http' && onExecuteApi && segments.length && stages.includes(segments[0])) {
        stage = segments[0];
        path = `/${segments.slice(1).join('/')}`;
      } else if (chosen.kind === 'http' && stages.includes('$default')) stage = '$default';
      else if (stages.length === 1) stage = stages[0];
      if (!stage) return { ...base, chosen, stages, path };
      return { ...base, chosen, stages, stage, stageFound: true, path };
    }
    ctx.progress(`GetStage ${chosen.id} ${stage}`);
    let stageFound = true;
    try {
      await (chosen.kind === 'rest' ? aws.getStage(chosen.id, stage) : aws.getHttpStage(chosen.id, stage));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      stageFound = false;
    }
    return { ...base, chosen, stage, stageFound, path };
  },
  evaluate: (ev) => evaluate(ev),
};
