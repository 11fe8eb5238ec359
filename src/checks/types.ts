import type { AwsReader } from '../aws/reader.js';
import type { AzureReader } from '../azure/reader.js';
import type { DnsPort, NetPort } from '../net/port.js';
import type { FilesPort } from './files-port.js';
import type { CheckMeta, CheckResult, Facts } from '../engine/vocabulary.js';

/** A clock the engine and checks can be handed, so drills and tests control "now". */
export interface Clock {
  now(): Date;
}

/**
 * Every kind of I/O a check may do, each behind a narrow port. Live, recording, replay and
 * drill runs differ only in the adapters put here; checks cannot tell them apart.
 */
export interface CheckEnv {
  /** Absent when AWS is not configured for this run; AWS checks then report `unknown`. */
  aws?: AwsReader;
  net: NetPort;
  dns: DnsPort;
  files: FilesPort;
  clock: Clock;
  /** Set when the answers come from a recording or a drill: sources say so. */
  replayed?: boolean;
  /** Why `aws` is absent (no region, expired SSO, unreachable endpoint…), with the step that fixes it. */
  awsOff?: { message: string; nextStep: string };
  /** Absent when Azure is not set up for this run (no --subscription, not logged in); Azure checks then report `unknown`. */
  azure?: AzureReader;
  /** Why `azure` is absent, with the step that fixes it. */
  azureOff?: { message: string; nextStep: string };
}

export interface CheckContext {
  params: Record<string, string>;
  facts: Readonly<Facts>;
  env: CheckEnv;
  signal: AbortSignal;
  /** Tells the screen what is being called right now (e.g. `DescribeTargetHealth tg/web`). */
  progress(message: string): void;
}

export interface Check<E = unknown> {
  meta: CheckMeta;
  /** Gathers evidence through `ctx.env`; the only part that does I/O. */
  collect(ctx: CheckContext): Promise<E>;
  /** Pure: turns evidence into a result. Tested from recorded fixtures, and re-run by `report --reevaluate`. */
  evaluate(evidence: E, ctx: { params: Record<string, string>; facts: Readonly<Facts> }): CheckResult;
}
