import type { ApiVpcLink, HttpIntegration, HttpRoute, RestIntegration, RestResource } from '../aws/reader.js';
import { apiTarget, DEFAULT_TIMEOUT_MS, executeApiArn, lambdaFromUri, pathScore, withStageVariables, type ApiKind } from './apigw-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

/** One integration in the shape both API kinds share. */
interface Target {
  /** REST resource path (`/orders/{id}`) or HTTP route key (`GET /orders/{id}`). */
  route: string;
  method: string;
  /** The path template a permission's source ARN names. */
  template: string;
  type: string;
  uri?: string;
  timeoutInMillis?: number;
  connectionType?: string;
  connectionId?: string;
  payloadFormatVersion?: string;
  /** REST non-proxy only. */
  integrationResponses?: RestIntegration['integrationResponses'];
  methodResponses?: string[];
}

export interface ApigwIntegrationEvidence {
  kind: ApiKind;
  apiId: string;
  stage: string;
  path: string;
  method: string;
  region: string;
  /** For the execute-api source ARN when the integration names no account. */
  account?: string;
  /** Every route (HTTP) or resource path with its methods (REST), for a no-match answer. */
  routes: string[];
  target?: Target;
  stageVariables: Record<string, string>;
  vpcLink?: ApiVpcLink;
}

const LAMBDA_SHAPE = 'A REST Lambda proxy integration needs {"statusCode": 200, "headers": {…}, "body": "<a string>", "isBase64Encoded": false}; anything else (a bare object, a number as body, no statusCode) is a 502 "Malformed Lambda proxy response".';

function evaluate(ev: ApigwIntegrationEvidence): CheckResult {
  if (!ev.target) {
    return {
      status: 'warn', outcome: 'no-route',
      summary: `${ev.method} ${ev.path} matches no ${ev.kind === 'rest' ? 'resource and method' : 'route'} of ${ev.apiId}`,
      details: [
        ev.kind === 'rest' ? 'A REST API answers an unknown path or method with 403 {"message":"Missing Authentication Token"}, not 502: check the URL or the method.' : 'An HTTP API answers an unknown route with 404 {"message":"Not Found"}, not 502: check the URL or the method.',
        `${ev.kind === 'rest' ? 'Resources' : 'Routes'}: ${ev.routes.slice(0, 30).join(', ') || '(none)'}`,
      ],
    };
  }
  const t = ev.target;
  const findings: Finding[] = [];
  const details: string[] = [];
  const timeoutMs = t.timeoutInMillis ?? DEFAULT_TIMEOUT_MS[ev.kind];
  const uri = t.uri ? withStageVariables(t.uri, ev.stageVariables) : undefined;
  details.push(`${t.route}${ev.kind === 'rest' ? ` ${t.method}` : ''} → ${t.type}${uri ? ` ${uri}` : ''}; timeout ${timeoutMs} ms${t.timeoutInMillis === undefined ? ' (the default)' : ''}${t.connectionType === 'VPC_LINK' ? `; VPC link ${t.connectionId}` : ''}`);
  const facts: Facts = {
    'apigw.route': t.route,
    'apigw.httpMethod': t.method,
    'apigw.integrationType': t.type,
    'apigw.integrationTimeoutMs': timeoutMs,
    'apigw.connectionType': t.connectionType ?? 'INTERNET',
    ...(uri ? { 'apigw.integrationUri': uri } : {}),
  };
  const unresolved = uri && /\$\{stageVariables\.([A-Za-z0-9_]+)\}/.exec(uri);
  if (unresolved) {
    findings.push({ cause: 'apigw-integration-misconfigured', confidence: 'likely', strength: 'config', evidence: [`the integration names \${stageVariables.${unresolved[1]}}, which stage ${ev.stage} does not set`] });
    details.push(`aws apigateway update-stage --rest-api-id ${ev.apiId} --stage-name ${ev.stage} --patch-operations op=replace,path=/variables/${unresolved[1]},value=FUNCTION`);
  }
  const fn = t.type === 'AWS_PROXY' || t.type === 'AWS' ? lambdaFromUri(uri) : undefined;
  let outcome = 'ok';
  if (fn && !unresolved) {
    const account = fn.account ?? ev.account;
    facts['apigw.isLambda'] = true;
    facts['lambda.function'] = fn.name;
    if (account) facts['apigw.sourceArn'] = executeApiArn(fn.region ?? ev.region, account, ev.apiId, ev.stage, t.method === 'ANY' ? ev.method : t.method, t.template);
    outcome = t.type === 'AWS_PROXY' ? 'lambda-proxy' : 'lambda-custom';
    if (t.type === 'AWS_PROXY' && ev.kind === 'rest') details.push(LAMBDA_SHAPE);
    if (ev.kind === 'http') {
      const v = t.payloadFormatVersion ?? '2.0';
      facts['apigw.payloadFormatVersion'] = v;
      details.push(v === '2.0'
        ? 'Payload format 2.0: a function that returns valid JSON without statusCode is read as a 200 with that JSON as body; a non-JSON answer or an error is a 500.'
        : 'Payload format 1.0: the function must return {statusCode, headers, body} as for a REST proxy integration; anything else is a 500.');
    }
    if (t.type === 'AWS') {
      const mapped = t.integrationResponses ?? [];
      const declared = new Set(t.methodResponses ?? []);
      const dangling = mapped.filter((r) => !declared.has(r.statusCode));
      if (!mapped.length) {
        findings.push({ cause: 'apigw-integration-misconfigured', confidence: 'likely', strength: 'config', evidence: [`the non-proxy Lambda integration on ${t.route} ${t.method} has no integration response: API Gateway cannot map the function's answer to a method response (a 500 "Internal server error" for every call)`] });
        details.push('A non-proxy integration needs at least one integration response, one of them the default (empty selection pattern). Or switch to a proxy integration (AWS_PROXY).');
        details.push(`aws apigateway put-integration-response --rest-api-id ${ev.apiId} --resource-id RESOURCE_ID --http-method ${t.method} --status-code 200 --selection-pattern ''`);
        outcome = 'misconfigured';
      } else if (dangling.length) {
        findings.push({ cause: 'apigw-integration-misconfigured', confidence: 'likely', strength: 'config', evidence: [`integration response ${dangling.map((r) => r.statusCode).join(', ')} maps to no method response (declared: ${[...declared].join(', ') || 'none'}): "Output mapping refers to an invalid method response"`] });
        outcome = 'misconfigured';
      } else {
        details.push(`Integration responses ${mapped.map((r) => `${r.statusCode}${r.selectionPattern ? ` /${r.selectionPattern}/` : ' (default)'}`).join(', ')}; method responses ${[...declared].join(', ')}`);
      }
    }
  } else if (t.type === 'HTTP' || t.type === 'HTTP_PROXY') {
    outcome = t.connectionType === 'VPC_LINK' ? 'vpc-link' : 'http';
    if (uri) facts['apigw.backendUrl'] = uri;
    details.push('An HTTP backend\'s own 502 is passed on as is ($context.integration.status = 502 in the access log): the failing hop is the backend.');
  } else if (t.type === 'MOCK') {
    outcome = 'mock';
    details.push('A MOCK integration answers from API Gateway itself: no backend is called, so no integration can fail here.');
  } else if (!unresolved) {
    outcome = 'aws-service';
  }
  if (t.connectionType === 'VPC_LINK') {
    const link = ev.vpcLink;
    facts['apigw.vpcLinkId'] = t.connectionId ?? '';
    if (link) {
      facts['apigw.vpcLinkStatus'] = link.status;
      const nlb = link.targetArns.find((a) => a.includes(':loadbalancer/net/'));
      if (nlb) {
        facts['apigw.nlbArn'] = nlb;
        facts['apigw.nlbName'] = nlb.split('/')[2] ?? '';
      }
      details.push(`VPC link ${link.name} (${link.id}): ${link.status}${link.statusMessage ? ` — ${link.statusMessage}` : ''}${link.targetArns.length ? `; targets ${link.targetArns.join(', ')}` : ''}${link.subnetIds.length ? `; subnets ${link.subnetIds.join(', ')}` : ''}`);
      if (link.status !== 'AVAILABLE') {
        findings.push({ cause: 'apigw-integration-misconfigured', confidence: 'likely', strength: 'config', evidence: [`VPC link ${link.id} is ${link.status}${link.statusMessage ? ` (${link.statusMessage})` : ''}: API Gateway cannot reach the private backend (a 500 on REST APIs)`] });
        outcome = 'vpc-link-down';
      }
    }
  }
  const active = findings.filter((f) => f.confidence !== 'ruled-out');
  const summary = active.length ? active[0].evidence[0]
    : `${t.route}${ev.kind === 'rest' ? ` ${t.method}` : ''} → ${t.type}${fn ? ` Lambda ${fn.name}` : uri ? ` ${uri}` : ''}, timeout ${timeoutMs / 1000} s`;
  return { status: active.length ? 'fail' : 'pass', outcome, summary, details, findings, facts };
}

function bestRestMatch(resources: RestResource[], path: string, method: string): { resource: RestResource; method: string } | undefined {
  let best: { resource: RestResource; method: string; score: number } | undefined;
  for (const r of resources) {
    const m = r.methods.includes(method) ? method : r.methods.includes('ANY') ? 'ANY' : undefined;
    const score = m ? pathScore(r.path, path) : undefined;
    if (m && score !== undefined && (!best || score > best.score)) best = { resource: r, method: m, score };
  }
  return best;
}

function bestHttpRoute(routes: HttpRoute[], path: string, method: string): HttpRoute | undefined {
  let best: { route: HttpRoute; score: number } | undefined;
  for (const r of routes) {
    if (r.routeKey === '$default') continue;
    const [m, p] = r.routeKey.split(' ', 2);
    if (m !== method && m !== 'ANY') continue;
    const score = pathScore(p ?? '/', path);
    if (score !== undefined && (!best || score + (m === method ? 1 : 0) > best.score)) best = { route: r, score: score + (m === method ? 1 : 0) };
  }
  return best?.route ?? routes.find((r) => r.routeKey === '$default');
}

function httpTarget(route: HttpRoute, integrations: HttpIntegration[]): Target | undefined {
  const id = route.target?.replace(/^integrations\//, '');
  const i = integrations.find((x) => x.id === id);
  if (!i) return undefined;
  const [method, template] = route.routeKey === '$default' ? ['*', ''] : route.routeKey.split(' ', 2);
  return {
    route: route.routeKey, method: method ?? '*', template: template ?? '/', type: i.type,
    ...(i.uri ? { uri: i.uri } : {}), ...(i.timeoutInMillis !== undefined ? { timeoutInMillis: i.timeoutInMillis } : {}),
    ...(i.connectionType ? { connectionType: i.connectionType } : {}), ...(i.connectionId ? { connectionId: i.connectionId } : {}),
    ...(i.payloadFormatVersion ? { payloadFormatVersion: i.payloadFormatVersion } : {}),
  };
}

export const apigwIntegration: Check<ApigwIntegrationEvidence> = {
  meta: {
    id: 'apigw.integration',
    title: 'The integration the URL hits: Lambda, HTTP backend or VPC link; its timeout and response mapping',
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings.html',
    apis: ['apigateway:GET'],
    params: {
      api: { description: 'API id when apigw.id is not known yet' },
      kind: { description: '`rest` or `http` when apigw.kind is not known yet' },
      stage: { description: 'stage name when apigw.stage is not known yet' },
      path: { description: 'request path below the stage (default: apigw.path, else /)' },
      method: { description: 'HTTP method of the failing requests (default GET)' },
    },
    outcomes: ['lambda-proxy', 'lambda-custom', 'http', 'vpc-link', 'vpc-link-down', 'mock', 'aws-service', 'misconfigured', 'no-route', 'ok'],
    strength: 'config',
    causes: ['apigw-integration-misconfigured'],
    facts: [
      'apigw.route', 'apigw.httpMethod', 'apigw.integrationType', 'apigw.integrationTimeoutMs', 'apigw.connectionType', 'apigw.integrationUri',
      'apigw.isLambda', 'lambda.function', 'apigw.sourceArn', 'apigw.payloadFormatVersion', 'apigw.backendUrl', 'apigw.vpcLinkId',
      'apigw.vpcLinkStatus', 'apigw.nlbArn', 'apigw.nlbName',
    ],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const { kind, apiId, stage } = apiTarget(ctx);
    const path = ctx.params.path?.trim() || String(ctx.facts['apigw.path'] ?? '') || '/';
    const method = (ctx.params.method?.trim() || 'GET').toUpperCase();
    const region = String(ctx.facts['apigw.region'] ?? '') || aws.region;
    const account = ctx.facts['aws.account'] ? String(ctx.facts['aws.account']) : undefined;
    const base = { kind, apiId, stage, path, method, region, ...(account ? { account } : {}), stageVariables: {} as Record<string, string> };
    let target: Target | undefined;
    let routes: string[];
    if (kind === 'rest') {
      ctx.progress(`GetResources ${apiId}`);
      const resources = await aws.getResources(apiId);
      routes = resources.filter((r) => r.methods.length).map((r) => `${r.methods.join('|')} ${r.path}`);
      const match = bestRestMatch(resources, path, method);
      if (match) {
        ctx.progress(`GetIntegration ${apiId} ${match.resource.path} ${match.method}`);
        const i = await aws.getIntegration(apiId, match.resource.id, match.method);
        target = {
          route: match.resource.path, method: match.method, template: match.resource.path, type: i.type,
          ...(i.uri ? { uri: i.uri } : {}), ...(i.timeoutInMillis !== undefined ? { timeoutInMillis: i.timeoutInMillis } : {}),
          ...(i.connectionType ? { connectionType: i.connectionType } : {}), ...(i.connectionId ? { connectionId: i.connectionId } : {}),
          integrationResponses: i.integrationResponses, methodResponses: i.methodResponses,
        };
      }
    } else {
      ctx.progress(`GetRoutes ${apiId}`);
      const all = await aws.getRoutes(apiId);
      routes = all.map((r) => r.routeKey);
      const route = bestHttpRoute(all, path, method);
      if (route) {
        ctx.progress(`GetIntegrations ${apiId}`);
        target = httpTarget(route, await aws.getIntegrations(apiId));
      }
    }
    if (!target) return { ...base, routes };
    // A uri built from stage variables names its function only on the stage's variables.
    const stageVariables = target.uri?.includes('${stageVariables.')
      ? (await (kind === 'rest' ? aws.getStage(apiId, stage) : aws.getHttpStage(apiId, stage))).variables
      : {};
    let vpcLink: ApiVpcLink | undefined;
    if (target.connectionType === 'VPC_LINK' && target.connectionId && !target.connectionId.includes('${')) {
      ctx.progress(`GetVpcLink ${target.connectionId}`);
      vpcLink = await (kind === 'rest' ? aws.getVpcLink(target.connectionId) : aws.getHttpVpcLink(target.connectionId));
    }
    return { ...base, routes, target, stageVariables, ...(vpcLink ? { vpcLink } : {}) };
  },
  evaluate: (ev) => evaluate(ev),
};
