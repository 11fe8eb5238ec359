// A CheckContext for tests that call collect/evaluate directly: the live ports, with the
// AWS reader and clock the test chooses.
import type { AwsReader } from '../../src/aws/reader.js';
import { liveEnv } from '../../src/checks/env.js';
import { runCheck } from '../../src/checks/runner.js';
import type { Check, CheckContext, CheckEnv } from '../../src/checks/types.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';

export interface TestContext {
  params?: Record<string, string>;
  facts?: Readonly<Facts>;
  aws?: AwsReader;
  signal?: AbortSignal;
  progress?(message: string): void;
  now?(): Date;
  /** Ports to use instead of the live ones. */
  env?: Partial<CheckEnv>;
}

export function testContext(o: TestContext = {}): CheckContext {
  const env: CheckEnv = { ...liveEnv(o.aws), ...(o.now ? { clock: { now: o.now } } : {}), ...o.env };
  return { params: o.params ?? {}, facts: o.facts ?? {}, env, signal: o.signal ?? new AbortController().signal, progress: o.progress ?? (() => {}) };
}

/** The result alone, for tests that assert on what a check concluded. */
export async function runCheckResult<E>(check: Check<E>, ctx: CheckContext, opts: Parameters<typeof runCheck>[2] = {}): Promise<CheckResult> {
  return (await runCheck(check, ctx, opts)).result;
}
