import type { PortSpec } from '../ports/port.js';
import { stableKey } from '../ports/port.js';
import { READER_ACTIONS, READER_METHODS, type AwsReader, type MetricQuery, type MetricResult, type ReaderMethod } from './reader.js';

const SINGLE_ARG_NAMES: Partial<Record<ReaderMethod, string>> = {
  describeLoadBalancerAttributes: 'LoadBalancerArn',
  describeListeners: 'LoadBalancerArn',
  describeRules: 'ListenerArn',
  describeTargetGroupAttributes: 'TargetGroupArn',
  describeTargetHealth: 'TargetGroupArn',
  describeInstances: 'InstanceIds',
  describeInstanceStatus: 'InstanceIds',
  describeSecurityGroups: 'GroupIds',
  getDistributionConfig: 'Id',
  describeClassicLoadBalancers: 'LoadBalancerNames',
  describeInstanceHealth: 'LoadBalancerName',
  describeClassicLoadBalancerAttributes: 'LoadBalancerName',
  getFunctionConfiguration: 'FunctionName',
  getFunctionPolicy: 'FunctionName',
  describeLogGroups: 'logGroupNamePrefix',
  describeListenerAttributes: 'ListenerArn',
  getResources: 'RestApiId',
  getGatewayResponses: 'RestApiId',
  getVpcLink: 'VpcLinkId',
  getRoutes: 'ApiId',
  getIntegrations: 'ApiId',
  getHttpVpcLink: 'VpcLinkId',
  getStages: 'RestApiId',
  getHttpStages: 'ApiId',
};

/** Readers of several plain arguments: each named as the API's own input. */
const MULTI_ARG_NAMES: Partial<Record<ReaderMethod, string[]>> = {
  getIntegration: ['RestApiId', 'ResourceId', 'HttpMethod'],
  getStage: ['RestApiId', 'StageName'],
  getHttpStage: ['ApiId', 'StageName'],
};

/** Params as a reader of the report would want them: named like the API's own inputs. */
export function sourceParams(method: ReaderMethod, args: unknown[]): Record<string, unknown> | undefined {
  if (args.length === 0 || args[0] === undefined) return undefined;
  const name = SINGLE_ARG_NAMES[method];
  if (name) return { [name]: args[0] };
  const names = MULTI_ARG_NAMES[method];
  if (names) return Object.fromEntries(names.map((n, i) => [n, args[i]]));
  if (method === 'getMetricData') {
    const req = args[0] as { queries: { metricName: string }[]; start: string; end: string; periodSeconds: number };
    return {
      metrics: [...new Set(req.queries.map((q) => q.metricName))],
      queries: req.queries.length,
      start: req.start,
      end: req.end,
      periodSeconds: req.periodSeconds,
    };
  }
  return typeof args[0] === 'object' ? { ...(args[0] as Record<string, unknown>) } : { value: args[0] };
}

/**
 * A replayed incident happened "just now": metric points move by the distance between the
 * recorded window's end and the requested one, so they land inside the window a check asks for.
 */
function shiftMetrics(result: unknown, recordedArgs: unknown[], askedArgs: unknown[]): unknown {
  const recordedEnd = Date.parse((recordedArgs[0] as { end?: string })?.end ?? '');
  const askedEnd = Date.parse((askedArgs[0] as { end?: string })?.end ?? '');
  if (!Array.isArray(result) || Number.isNaN(recordedEnd) || Number.isNaN(askedEnd)) return result;
  const delta = askedEnd - recordedEnd;
  for (const r of result as { timestamps?: string[] }[]) {
    r.timestamps = (r.timestamps ?? []).map((t) => new Date(Date.parse(t) + delta).toISOString());
  }
  return result;
}

/**
 * A recording made before a check asked for one more metric still replays: each asked query is
 * answered from the recorded query that measured the same thing, and one the recording never
 * asked for comes back with no data points, labelled so, as CloudWatch answers a metric with none.
 */
function answerAsked(result: unknown, recordedArgs: unknown[], askedArgs: unknown[]): unknown {
  const recorded = (recordedArgs[0] as { queries?: MetricQuery[] })?.queries;
  const asked = (askedArgs[0] as { queries?: MetricQuery[] })?.queries;
  if (!Array.isArray(result) || !recorded || !asked) return result;
  const what = (q: MetricQuery) => stableKey([{ namespace: q.namespace, metricName: q.metricName, stat: q.stat, dimensions: q.dimensions }]);
  const byWhat = new Map(recorded.map((q) => [what(q), (result as MetricResult[]).find((r) => r.id === q.id)]));
  return asked.map((q): MetricResult => {
    const r = byWhat.get(what(q));
    return r ? { ...r, id: q.id } : { id: q.id, label: `${q.metricName} (not in the recording)`, timestamps: [], values: [] };
  });
}

/** Replayed log events move with the window, as metric points do, so they fall inside the one asked for. */
function shiftEvents(result: unknown, recordedArgs: unknown[], askedArgs: unknown[]): unknown {
  const recordedEnd = (recordedArgs[0] as { endTime?: number })?.endTime;
  const askedEnd = (askedArgs[0] as { endTime?: number })?.endTime;
  if (!Array.isArray(result) || typeof recordedEnd !== 'number' || typeof askedEnd !== 'number') return result;
  const delta = askedEnd - recordedEnd;
  return (result as { timestamp: number }[]).map((e) => ({ ...e, timestamp: e.timestamp + delta }));
}

export const AWS_PORT: PortSpec<AwsReader> = {
  name: 'aws',
  methods: READER_METHODS,
  describe: (method, args) => {
    const params = sourceParams(method as ReaderMethod, args);
    return { api: READER_ACTIONS[method as ReaderMethod], ...(params ? { params } : {}) };
  },
  // Metric windows are relative to "now", which differs on every replay: match on what is measured
  // (namespaces and dimensions) and the period, not on the window.
  replayKey: (method, args) => {
    if (method === 'getMetricData' && args[0] && typeof args[0] === 'object') {
      const { queries, periodSeconds } = args[0] as { queries: MetricQuery[]; periodSeconds: unknown };
      const scopes = [...new Set(queries.map((q) => stableKey([{ namespace: q.namespace, dimensions: q.dimensions }])))].sort();
      return `${method}:${stableKey([{ scopes, periodSeconds }])}`;
    }
    // Log reads too: the window moves with "now", and the abort signal is not part of the question.
    if ((method === 'filterLogEvents' || method === 'queryLogs') && args[0] && typeof args[0] === 'object') {
      const { startTime: _s, endTime: _e, ...rest } = args[0] as Record<string, unknown>;
      return `${method}:${stableKey([rest])}`;
    }
    return `${method}:${stableKey(args)}`;
  },
  adjust: (method, result, recorded, asked) => {
    if (method === 'getMetricData') return shiftMetrics(answerAsked(result, recorded, asked), recorded, asked);
    if (method === 'filterLogEvents') return shiftEvents(result, recorded, asked);
    return result;
  },
};
