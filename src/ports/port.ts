import { createHash } from 'node:crypto';
import type { Source } from '../engine/vocabulary.js';

/**
 * A port is a narrow object of async methods through which checks do one kind of I/O
 * (AWS reads, network probes, DNS, files). Every adapter — live, tap, memo, record,
 * replay, a drill's scenario — is this one decorator with a different layer, so no port
 * needs hand-written wrappers.
 */
export interface PortSpec<T> {
  /** `aws`, `net`, `dns`, `files`: the key a recording files the call under. */
  name: string;
  methods: readonly (keyof T & string)[];
  /** What a finding cites for a call: the API or probe, and its parameters as a reader wants them. */
  describe(method: string, args: unknown[]): { api: string; params?: Record<string, unknown> };
  /** The key a replay matches on (default: the method and its arguments). */
  replayKey?(method: string, args: unknown[]): string;
  /** Moves a replayed answer to the asking run (metric windows are relative to "now"). */
  adjust?(method: string, result: unknown, recordedArgs: unknown[], askedArgs: unknown[]): unknown;
}

export interface PortCall {
  port: string;
  method: string;
  args: unknown[];
}

/** Wraps one call: do something before or after `next`, or answer without calling it. */
export type Layer = (call: PortCall, next: () => Promise<unknown>) => Promise<unknown>;

type Fn = (...args: unknown[]) => Promise<unknown>;

/**
 * The one decorator. Properties that are not port methods (a reader's region, the access-log
 * store) pass through untouched: streamed objects are neither cached nor recorded.
 */
export function decorate<T extends object>(spec: PortSpec<T>, inner: T, layer: Layer): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(inner) as (keyof T & string)[]) {
    const v = inner[key];
    out[key] = typeof v === 'function' ? (v as Fn).bind(inner) : v;
  }
  for (const method of spec.methods) {
    const fn = inner[method] as unknown as Fn | undefined;
    if (typeof fn !== 'function') continue;
    out[method] = (...args: unknown[]) => layer({ port: spec.name, method, args }, () => fn.apply(inner, args));
  }
  return out as T;
}

/** Arguments as they are stored: no functions, no abort signals, no undefined. */
export function plainArgs(args: unknown[]): unknown[] {
  return JSON.parse(JSON.stringify(args, (_k, v: unknown) => (typeof AbortSignal !== 'undefined' && v instanceof AbortSignal ? undefined : v)) ?? '[]') as unknown[];
}

/** JSON with sorted keys, so argument objects match however they were built. */
export function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableKey(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A short fingerprint of a raw answer, so a cited source can be matched to what was seen. */
export function answerHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value ?? null)).digest('hex').slice(0, 16)}`;
}

export interface TapHooks {
  onCall?(source: Source, call: PortCall): void;
  onError?(source: Source, error: unknown, call: PortCall): void;
  now(): Date;
  region?: string;
}

/** Cites every call as a Source (its provenance: call, params, region, time, hash of the answer). */
export function tapLayer<T>(spec: PortSpec<T>, hooks: TapHooks): Layer {
  return async (call, next) => {
    const d = spec.describe(call.method, call.args);
    const source: Source = { api: d.api, at: hooks.now().toISOString(), ...(hooks.region ? { region: hooks.region } : {}), ...(d.params ? { params: d.params } : {}) };
    hooks.onCall?.(source, call);
    try {
      const result = await next();
      source.hash = answerHash(result);
      return result;
    } catch (err) {
      hooks.onError?.(source, err, call);
      throw err;
    }
  };
}

/**
 * One investigation reads one snapshot: identical calls made by different checks are
 * answered once. Failures are not cached, so a retried check calls again.
 */
export function memoLayer(): Layer {
  const cache = new Map<string, Promise<unknown>>();
  return (call, next) => {
    const key = `${call.method}:${JSON.stringify(plainArgs(call.args))}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const p = next();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    return p;
  };
}

/** Applies layers outermost first: compose(a, b) runs a, which calls b, which calls the port. */
export function compose(...layers: Layer[]): Layer {
  return layers.reduceRight<Layer>((inner, outer) => (call, next) => outer(call, () => inner(call, next)), (_call, next) => next());
}
