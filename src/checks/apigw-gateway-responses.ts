import type { GatewayResponseInfo } from '../aws/reader.js';
import type { ApiKind } from './apigw-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface ApigwGatewayResponsesEvidence {
  kind: ApiKind;
  apiId: string;
  responses: GatewayResponseInfo[];
}

/**
 * The gateway responses behind the 5xx a client of a Lambda or HTTP integration sees
 * (supported-gateway-response-types): their defaults are 500, 504 and 500 with {"message": …}.
 */
const WATCHED: Record<string, string> = {
  DEFAULT_5XX: 'every 5xx API Gateway makes that has no type of its own',
  INTEGRATION_FAILURE: 'an integration that failed (default 504)',
  INTEGRATION_TIMEOUT: 'an integration that timed out (default 504)',
  API_CONFIGURATION_ERROR: 'a configuration error, e.g. a missing invoke permission or a bad mapping (default 500)',
};

function evaluate(ev: ApigwGatewayResponsesEvidence): CheckResult {
  if (ev.kind === 'http') {
    return { status: 'pass', outcome: 'not-applicable', summary: 'HTTP APIs have no gateway responses: their 500/503 bodies are fixed', details: [] };
  }
  const custom = ev.responses.filter((r) => !r.isDefault && WATCHED[r.type]);
  const facts: Facts = { 'apigw.customGatewayResponses': custom.map((r) => `${r.type}:${r.statusCode ?? '-'}`).join(',') };
  if (!custom.length) {
    return { status: 'pass', outcome: 'defaults', summary: 'Gateway responses for 5xx are API Gateway\'s defaults ({"message": "Internal server error"} and friends)', details: [], facts };
  }
  const details = custom.map((r) => `${r.type} (${WATCHED[r.type]}) → status ${r.statusCode ?? 'default'}${r.templates.length ? `, body ${r.templates[0].slice(0, 120)}` : ''}`);
  details.push('Clients see these in place of API Gateway\'s own status and body: a 502 here may be a remapped 500 or 504, and the body no longer carries "Internal server error". The execution log and $context.error.responseType tell the real type.');
  details.push(`aws apigateway get-gateway-responses --rest-api-id ${ev.apiId} --query "items[?defaultResponse==\\\`false\\\`]"`);
  const remapped = custom.filter((r) => r.statusCode === '502');
  return {
    status: 'warn', outcome: 'customised',
    summary: remapped.length
      ? `${remapped.map((r) => r.type).join(', ')} customised to answer 502: the client's 502 may be a 500 or 504 of API Gateway's own`
      : `${custom.map((r) => r.type).join(', ')} customised: clients see another status or body than API Gateway's default`,
    details, facts,
  };
}

export const apigwGatewayResponses: Check<ApigwGatewayResponsesEvidence> = {
  meta: {
    id: 'apigw.gateway-responses',
    title: 'Gateway responses: a customised DEFAULT_5XX, INTEGRATION_FAILURE or INTEGRATION_TIMEOUT changes what clients see',
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html',
    apis: ['apigateway:GET'],
    params: {
      api: { description: 'API id when apigw.id is not known yet' },
      kind: { description: '`rest` or `http` when apigw.kind is not known yet' },
    },
    outcomes: ['defaults', 'customised', 'not-applicable'],
    strength: 'config',
    causes: [],
    facts: ['apigw.customGatewayResponses'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const kind = (ctx.params.kind?.trim() || String(ctx.facts['apigw.kind'] ?? 'rest')) as ApiKind;
    const apiId = ctx.params.api?.trim() || String(ctx.facts['apigw.id'] ?? '');
    if (!apiId) throw new Error('no API known yet: pass api=ID or find the API first (apigw.resolve)');
    if (kind === 'http') return { kind, apiId, responses: [] };
    ctx.progress(`GetGatewayResponses ${apiId}`);
    return { kind, apiId, responses: await aws.getGatewayResponses(apiId) };
  },
  evaluate: (ev) => evaluate(ev),
};
