import type { AwsReader } from '../aws/reader.js';
import type { CheckMeta, CheckResult, Facts } from '../engine/vocabulary.js';

export interface CheckContext {
  params: Record<string, string>;
  facts: Readonly<Facts>;
  /** Absent when AWS is not configured for this run; AWS checks then report `unknown`. */
  aws?: AwsReader;
  signal: AbortSignal;
  /** Tells the screen what is being called right now (e.g. `DescribeTargetHealth tg/web`). */
  progress(message: string): void;
  now(): Date;
  /** DNS CNAME lookups; a drill passes one that answers from the scenario, never the network. */
  resolveCname?(host: string): Promise<string[]>;
}

export interface Check<E = unknown> {
  meta: CheckMeta;
  /** Gathers evidence; the only part that does I/O. */
  collect(ctx: CheckContext): Promise<E>;
  /** Pure: turns evidence into a result. Tested from recorded fixtures. */
  evaluate(evidence: E, ctx: { params: Record<string, string>; facts: Readonly<Facts> }): CheckResult;
}
