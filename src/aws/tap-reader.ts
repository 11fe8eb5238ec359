import type { Source } from '../engine/vocabulary.js';
import { keepLogStore, READER_ACTIONS, READER_METHODS, type AwsReader, type ReaderMethod } from './reader.js';

export interface TapHooks {
  /** Called as each call starts, with what a finding would cite. */
  onCall?(source: Source, method: ReaderMethod): void;
  /** Called when a call fails, before the error propagates. */
  onError?(source: Source, error: unknown, method: ReaderMethod): void;
  now?(): Date;
}

const SINGLE_ARG_NAMES: Partial<Record<ReaderMethod, string>> = {
  describeLoadBalancerAttributes: 'LoadBalancerArn',
  describeListeners: 'LoadBalancerArn',
  describeRules: 'ListenerArn',
  describeTargetGroupAttributes: 'TargetGroupArn',
  describeTargetHealth: 'TargetGroupArn',
  describeInstances: 'InstanceIds',
  describeInstanceStatus: 'InstanceIds',
  describeSecurityGroups: 'GroupIds',
};

/** Params as a reader of the report would want them: named like the API's own inputs. */
export function sourceParams(method: ReaderMethod, args: unknown[]): Record<string, unknown> | undefined {
  if (args.length === 0 || args[0] === undefined) return undefined;
  const name = SINGLE_ARG_NAMES[method];
  if (name) return { [name]: args[0] };
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
 * Wraps any reader so every call is reported as a Source. Done at the port, not in an
 * adapter, so live, recorded and replayed runs cite their calls the same way.
 */
export function tapReader(inner: AwsReader, hooks: TapHooks): AwsReader {
  const now = hooks.now ?? (() => new Date());
  const tapped = { region: inner.region } as Record<string, unknown>;
  for (const method of READER_METHODS) {
    tapped[method] = async (...args: unknown[]) => {
      const params = sourceParams(method, args);
      const source: Source = { api: READER_ACTIONS[method], region: inner.region, at: now().toISOString() };
      if (params) source.params = params;
      hooks.onCall?.(source, method);
      try {
        return await (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      } catch (err) {
        hooks.onError?.(source, err, method);
        throw err;
      }
    };
  }
  return keepLogStore(inner, tapped) as unknown as AwsReader;
}
