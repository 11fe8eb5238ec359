import type { AwsReader, MetricQuery, MetricResult } from '../aws/reader.js';
import { DEFAULT_TIMEOUT_MS, type ApiKind } from './apigw-common.js';
import { incidentWindow, periodFor } from './cloudwatch-who-made-502.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

// AWS/ApiGateway (api-gateway-metrics-and-dimensions, http-api-metrics): REST names its 5xx count
// 5XXError and is keyed by ApiName; HTTP APIs name it 5xx and are keyed by ApiId.
const METRICS: Record<ApiKind, readonly (readonly [string, string, string])[]> = {
  rest: [['errors5xx', '5XXError', 'Sum'], ['count', 'Count', 'Sum'], ['integrationLatency', 'IntegrationLatency', 'Maximum'], ['latency', 'Latency', 'Maximum']],
  http: [['errors5xx', '5xx', 'Sum'], ['count', 'Count', 'Sum'], ['integrationLatency', 'IntegrationLatency', 'Maximum'], ['latency', 'Latency', 'Maximum']],
};

export interface ApigwMetricsEvidence {
  kind: ApiKind;
  dimensions: Record<string, string>;
  timeoutMs: number;
  start: string;
  end: string;
  periodSeconds: number;
  results: MetricResult[];
}

function evaluate(ev: ApigwMetricsEvidence): CheckResult {
  const byId = new Map(ev.results.map((r) => [r.id, r.values]));
  const sum = (id: string) => (byId.get(id) ?? []).reduce((a, b) => a + b, 0);
  const max = (id: string) => Math.max(0, ...(byId.get(id) ?? []));
  const v = { errors: sum('errors5xx'), count: sum('count'), integrationMax: max('integrationLatency'), latencyMax: max('latency') };
  const name = ev.kind === 'rest' ? '5XXError' : '5xx';
  const where = Object.entries(ev.dimensions).map(([k, x]) => `${k}=${x}`).join(', ');
  const facts: Facts = { 'metrics.apigw5xx': v.errors, 'metrics.apigwCount': v.count, 'metrics.apigwIntegrationLatencyMaxMs': v.integrationMax };
  const details = [
    `${ev.start} → ${ev.end}, ${ev.periodSeconds} s buckets, AWS/ApiGateway ${where}`,
    `${name} ${v.errors} · Count ${v.count} · IntegrationLatency max ${v.integrationMax} ms · Latency max ${v.latencyMax} ms · integration timeout ${ev.timeoutMs} ms`,
    'No API Gateway metric separates 502 from 500 or 504: the access log\'s $context.status does.',
  ];
  if (!ev.results.some((r) => r.values.length)) {
    return { status: 'warn', outcome: 'no-data', facts, details: [...details, 'CloudWatch returned no data points: no traffic in the window, or check the API name/id, the stage, the region and --since.'], summary: `No AWS/ApiGateway data points for ${where} in the window` };
  }
  const findings: Finding[] = [];
  // Within 5 % of the timeout: the integration ran out of time (the gateway's clock, not the function's, ended it).
  const atTimeout = v.integrationMax >= ev.timeoutMs * 0.95;
  if (atTimeout && v.errors > 0) {
    findings.push({ cause: 'timeout-mismatch', confidence: 'likely', evidence: [`IntegrationLatency reached ${v.integrationMax} ms against an integration timeout of ${ev.timeoutMs} ms, with ${v.errors} 5xx: integration timeouts (${ev.kind === 'rest' ? '504 on REST' : '503 on HTTP APIs'})`] });
  }
  if (v.errors === 0) return { status: 'pass', outcome: 'quiet', facts, details, findings, summary: `No 5xx on ${where} in the window (${v.count} requests)` };
  return {
    status: 'fail', outcome: atTimeout ? 'timeouts' : 'errors', facts, details, findings,
    summary: `${name} ${v.errors} of ${v.count} requests${atTimeout ? `; IntegrationLatency hit the ${ev.timeoutMs / 1000} s integration timeout` : `; IntegrationLatency max ${v.integrationMax} ms (below the ${ev.timeoutMs / 1000} s timeout)`}`,
  };
}

/** REST metrics are keyed by the API's name, which apigw.resolve found; standalone it is read from the id. */
async function restApiName(aws: AwsReader, apiId: string, facts: Facts): Promise<string> {
  if (facts['apigw.name'] && (!facts['apigw.id'] || facts['apigw.id'] === apiId)) return String(facts['apigw.name']);
  const api = (await aws.getRestApis()).find((a) => a.id === apiId);
  if (!api?.name) throw new Error(`no REST API with id ${apiId} in this region: check the id and --region`);
  return api.name;
}

export const cloudwatchApigwMetrics: Check<ApigwMetricsEvidence> = {
  meta: {
    id: 'cloudwatch.apigw-metrics',
    title: 'API Gateway metrics: 5xx count and IntegrationLatency against the integration timeout',
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html',
    apis: ['cloudwatch:GetMetricData', 'apigateway:GET'],
    params: {
      kind: { description: 'rest or http (default what apigw.resolve found)' },
      api: { description: 'the API id (default apigw.id); a REST API is measured by its name, looked up from the id' },
      stage: { description: 'the stage (default apigw.stage)' },
      since: { description: 'Window start: a duration (3h) or a time' },
      until: { description: 'Window end (default now)' },
      timeoutMs: { description: 'the integration timeout in ms (default apigw.integrationTimeoutMs, else 29 s REST / 30 s HTTP)' },
    },
    outcomes: ['errors', 'timeouts', 'quiet', 'no-data'],
    strength: 'measured',
    causes: ['timeout-mismatch'],
    facts: ['metrics.apigw5xx', 'metrics.apigwCount', 'metrics.apigwIntegrationLatencyMaxMs'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const kind = (ctx.params.kind?.trim() || String(ctx.facts['apigw.kind'] ?? '')) as ApiKind;
    const stage = ctx.params.stage?.trim() || String(ctx.facts['apigw.stage'] ?? '');
    const apiId = ctx.params.api?.trim() || String(ctx.facts['apigw.id'] ?? '');
    if ((kind !== 'rest' && kind !== 'http') || !stage || !apiId) throw new Error('no API and stage known yet: pass kind=rest|http api=ID stage=NAME, or find the API first (apigw.resolve)');
    const dimensions: Record<string, string> = kind === 'rest' ? { ApiName: await restApiName(aws, apiId, ctx.facts), Stage: stage } : { ApiId: apiId, Stage: stage };
    const given = Number(ctx.params.timeoutMs || ctx.facts['apigw.integrationTimeoutMs']);
    const timeoutMs = Number.isFinite(given) && given > 0 ? given : DEFAULT_TIMEOUT_MS[kind];
    const { start, end } = incidentWindow(ctx.params.since || undefined, ctx.params.until || undefined, ctx.env.clock.now());
    const periodSeconds = periodFor(start, end);
    const queries: MetricQuery[] = METRICS[kind].map(([id, metricName, stat]) => ({ id, namespace: 'AWS/ApiGateway', metricName, stat, dimensions }));
    ctx.progress(`GetMetricData AWS/ApiGateway ${Object.values(dimensions).join(' ')}`);
    const results = await aws.getMetricData({ queries, start: start.toISOString(), end: end.toISOString(), periodSeconds });
    return { kind, dimensions, timeoutMs, start: start.toISOString(), end: end.toISOString(), periodSeconds, results };
  },
  evaluate: (ev) => evaluate(ev),
};
