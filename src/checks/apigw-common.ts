import type { CheckContext } from './types.js';

export type ApiKind = 'rest' | 'http';

/** Default integration timeouts: REST 29 s (50 ms–29 s unless raised), HTTP APIs 30 s (the maximum). */
export const DEFAULT_TIMEOUT_MS: Record<ApiKind, number> = { rest: 29_000, http: 30_000 };

/** `{api-id}.execute-api.{region}.amazonaws.com` (and `.amazonaws.com.cn`), the default endpoint of both kinds. */
const EXECUTE_API = /^([a-z0-9]{8,12})\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/i;

export function parseExecuteApiHost(host: string): { apiId: string; region: string } | undefined {
  const m = EXECUTE_API.exec(host);
  return m ? { apiId: m[1].toLowerCase(), region: m[2].toLowerCase() } : undefined;
}

/** `--api ID`, or `ID/STAGE` typed in one go. */
export function splitApiQuery(value: string | undefined): { apiId?: string; stage?: string } {
  const v = value?.trim();
  if (!v) return {};
  const [apiId, stage] = v.split('/', 2);
  return { ...(apiId ? { apiId } : {}), ...(stage ? { stage } : {}) };
}

/** The REST execution log group: API Gateway names it after the API id and stage. */
export function executionLogGroup(apiId: string, stage: string): string {
  return `API-Gateway-Execution-Logs_${apiId}/${stage}`;
}

/**
 * The function a Lambda integration invokes: REST uris are
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function-arn}/invocations`,
 * HTTP API uris the function ARN itself. A name, an alias (`fn:live`) and `${stageVariables.x}` are kept.
 */
export function lambdaFromUri(uri: string | undefined): { arn: string; name: string; region?: string; account?: string } | undefined {
  if (!uri) return undefined;
  const path = /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri);
  const arn = path ? path[1] : uri.startsWith('arn:aws') && uri.includes(':function:') ? uri : undefined;
  if (!arn) return undefined;
  const m = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:(.+)$/.exec(arn);
  return m ? { arn, name: m[3], region: m[1], account: m[2] } : { arn, name: arn };
}

/** `${stageVariables.fn}` replaced from the stage's variables; unknown ones stay as written. */
export function withStageVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (whole, name: string) => variables[name] ?? whole);
}

/** A resource path or route path (`/orders/{id}`, `/{proxy+}`) against a request path. Higher scores are more specific. */
export function pathScore(pattern: string, path: string): number | undefined {
  const want = path.split('/').filter(Boolean);
  const have = pattern.split('/').filter(Boolean);
  let score = 0;
  for (let i = 0; i < have.length; i++) {
    const seg = have[i];
    if (/^\{[^}]+\+\}$/.test(seg)) return i < want.length ? score + 1 : undefined;
    if (i >= want.length) return undefined;
    if (/^\{[^}]+\}$/.test(seg)) score += 2;
    else if (seg === want[i]) score += 3;
    else return undefined;
  }
  return have.length === want.length ? score + 10 : undefined;
}

/** The execute-api ARN a request comes from, as a Lambda permission's `AWS:SourceArn` is matched against it. */
export function executeApiArn(region: string, account: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${account}:${apiId}/${stage}/${method}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The API kind, id and stage from params or from what apigw.resolve found. */
export function apiTarget(ctx: Pick<CheckContext, 'params' | 'facts'>): { kind: ApiKind; apiId: string; stage: string } {
  const kind = (ctx.params.kind?.trim() || String(ctx.facts['apigw.kind'] ?? '')) as ApiKind;
  const apiId = ctx.params.api?.trim() || String(ctx.facts['apigw.id'] ?? '');
  const stage = ctx.params.stage?.trim() || String(ctx.facts['apigw.stage'] ?? '');
  if (!apiId) throw new Error('no API known yet: pass api=ID or find the API first (apigw.resolve)');
  if (kind !== 'rest' && kind !== 'http') throw new Error(`API kind must be rest or http, not "${kind}": find the API first (apigw.resolve)`);
  if (!stage) throw new Error('no stage known yet: pass stage=NAME (REST URLs carry it as the first path segment)');
  return { kind, apiId, stage };
}

export const isNotFound = (e: unknown) => (e as { name?: string })?.name === 'NotFoundException';
