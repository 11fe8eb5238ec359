import { AwsNotConfiguredError, classifyAwsError } from '../engine/errors.js';
import type { AwsReader } from '../aws/reader.js';
import { tapReader } from '../aws/tap-reader.js';
import type { CheckMeta, CheckResult, Source } from '../engine/vocabulary.js';
import type { Check, CheckContext } from './types.js';

/** The reader, or the typed error the runner maps to `unknown` with a next step. */
export function requireAws(ctx: Pick<CheckContext, 'aws'>): AwsReader {
  if (!ctx.aws) throw new AwsNotConfiguredError();
  return ctx.aws;
}

export interface RunCheckOptions {
  /** The profile in use, so "run aws sso login --profile X" names the right one. */
  profile?: string;
}

/** A check whose required parameters are still unknown is skipped, saying which and why they matter. */
export function skippedForMissingParams(meta: CheckMeta, params: Record<string, string>): CheckResult | undefined {
  const missing = Object.entries(meta.params).filter(([k, p]) => p.required && !params[k]).map(([k]) => k);
  if (!missing.length) return undefined;
  return {
    status: 'unknown', outcome: 'unknown',
    summary: `skipped: nothing known yet for ${missing.map((m) => `"${m}"`).join(', ')} (${missing.map((m) => meta.params[m].description).join('; ')})`,
  };
}

/**
 * collect → evaluate, with every AWS call cited in `sources`. A failure while collecting
 * (API, credentials, network, no AWS at all) makes the check `unknown`, never `fail`.
 */
export async function runCheck<E>(check: Check<E>, ctx: CheckContext, opts: RunCheckOptions = {}): Promise<CheckResult> {
  const sources: Source[] = [];
  let failedAction: string | undefined;
  const aws = ctx.aws
    ? tapReader(ctx.aws, {
      onCall: (s) => sources.push(s),
      onError: (s) => { failedAction ??= s.api; },
      now: () => ctx.now(),
    })
    : undefined;
  let evidence: E;
  try {
    evidence = await check.collect({ ...ctx, aws });
  } catch (err) {
    const profile = opts.profile ?? (ctx.aws as { profile?: string } | undefined)?.profile;
    const c = classifyAwsError(err, { ...(profile ? { profile } : {}), ...(failedAction ? { action: failedAction } : {}) });
    return { status: 'unknown', outcome: 'unknown', summary: c.message, nextStep: c.nextStep, sources };
  }
  try {
    const result = check.evaluate(evidence, { params: ctx.params, facts: ctx.facts });
    return { ...result, sources: [...(result.sources ?? []), ...sources] };
  } catch (err) {
    // A bug in evaluate must not look like a verdict about the load balancer.
    return {
      status: 'unknown',
      outcome: 'unknown',
      summary: `${check.meta.id} could not evaluate its evidence: ${(err as Error).message ?? String(err)}`,
      nextStep: 're-run with --record FILE and attach the recording to a bug report',
      sources,
    };
  }
}
