import type { CheckRecord, CheckRunner } from '../engine/advance.js';
import { classifyAwsError } from '../engine/errors.js';
import type { CheckMeta, CheckResult, Source } from '../engine/vocabulary.js';
import { tapLayer } from '../ports/port.js';
import { layerEnv } from './env.js';
import { getCheck } from './registry.js';
import type { Check, CheckContext, CheckEnv } from './types.js';

/** Evidence larger than this is not kept in the journal (a re-evaluation then says so). */
export const MAX_EVIDENCE_BYTES = 512 * 1024;

export interface RunnerOptions {
  env: CheckEnv;
  /** The profile in use, so "run aws sso login --profile X" names the right one. */
  profile?: string;
  signal?: AbortSignal;
  /** Evidence already known for a check and its parameters (a drill's recorded probes); collect is then skipped. */
  knownEvidence?(check: string, params: Record<string, string>): unknown;
  /** After each check (e.g. save the recording so far). */
  afterEach?(): Promise<void>;
}

/** A check whose required parameters are still unknown is skipped, saying which and why they matter. */
export function skippedForMissingParams(meta: CheckMeta, params: Record<string, string>): CheckResult | undefined {
  const missing = Object.entries(meta.params).filter(([k, p]) => p.required && !params[k]).map(([k]) => k);
  if (!missing.length) return undefined;
  return {
    status: 'unknown', outcome: 'unknown', skipped: true,
    summary: `skipped: nothing known yet for ${missing.map((m) => `"${m}"`).join(', ')} (${missing.map((m) => meta.params[m].description).join('; ')})`,
  };
}

/** An outcome or cause a check did not declare is a bug in the check, not a verdict about the system. */
function undeclared(meta: CheckMeta, result: CheckResult): string | undefined {
  if (result.outcome !== 'unknown' && !meta.outcomes.includes(result.outcome)) return `outcome "${result.outcome}" is not one of its declared outcomes`;
  const bad = meta.causes ? (result.findings ?? []).find((f) => !meta.causes!.includes(f.cause)) : undefined;
  return bad ? `finding names cause "${bad.cause}", which it does not declare` : undefined;
}

function bugResult(meta: CheckMeta, why: string, sources: Source[]): CheckResult {
  return {
    status: 'unknown', outcome: 'unknown',
    summary: `${meta.id} could not evaluate its evidence: ${why}`,
    nextStep: 're-run with --record FILE and attach the recording to a bug report',
    sources,
  };
}

/** Evaluates stored evidence the way a run does; used by the runner and by `report --reevaluate`. */
export function evaluateEvidence<E>(check: Check<E>, evidence: E, ctx: { params: Record<string, string>; facts: CheckContext['facts'] }, sources: Source[] = []): CheckResult {
  try {
    const result = check.evaluate(structuredClone(evidence), ctx);
    const problem = undeclared(check.meta, result);
    if (problem) return bugResult(check.meta, problem, sources);
    const findings = result.findings?.map((f) => ({ ...f, strength: f.strength ?? check.meta.strength ?? 'measured' }));
    return { ...result, ...(findings ? { findings } : {}), sources: [...(result.sources ?? []), ...sources] };
  } catch (err) {
    return bugResult(check.meta, (err as Error).message ?? String(err), sources);
  }
}

function keptEvidence(evidence: unknown): unknown {
  const size = JSON.stringify(evidence ?? null).length;
  return size > MAX_EVIDENCE_BYTES ? { omitted: `evidence of ${size} bytes is larger than the journal keeps (${MAX_EVIDENCE_BYTES})` } : evidence;
}

/**
 * collect → evaluate, with every port call cited in `sources` (the provenance ledger). A failure
 * while collecting (API, credentials, network, nothing recorded) makes the check `unknown`, never `fail`.
 */
export async function runCheck<E>(check: Check<E>, ctx: CheckContext, opts: Omit<RunnerOptions, 'env'> = {}): Promise<CheckRecord> {
  const sources: Source[] = [];
  let failedAction: string | undefined;
  const replayed = (s: Source): Source => (ctx.env.replayed ? { ...s, replayed: true } : s);
  const env = layerEnv(ctx.env, (spec) => tapLayer(spec, {
    now: () => ctx.env.clock.now(),
    region: spec.name === 'aws' ? ctx.env.aws?.region : undefined,
    onCall: (s) => sources.push(replayed(s)),
    onError: (s) => { failedAction ??= s.api; },
  }));
  let evidence: E;
  const known = opts.knownEvidence?.(check.meta.id, ctx.params);
  if (known !== undefined) {
    ctx.progress(check.meta.apis.join(', '));
    evidence = structuredClone(known) as E;
    sources.push({ api: check.meta.apis[0] ?? check.meta.id, params: ctx.params, at: ctx.env.clock.now().toISOString(), replayed: true });
  } else {
    try {
      evidence = await check.collect({ ...ctx, env });
    } catch (err) {
      const profile = opts.profile ?? (ctx.env.aws as { profile?: string } | undefined)?.profile;
      const c = classifyAwsError(err, { ...(profile ? { profile } : {}), ...(failedAction ? { action: failedAction } : {}) });
      return { result: { status: 'unknown', outcome: 'unknown', summary: c.message, nextStep: c.nextStep, sources } };
    }
  }
  return { result: evaluateEvidence(check, evidence, ctx, sources), evidence: keptEvidence(evidence) };
}

/** The one check runner: live, recorded, replayed and drill runs differ only in `opts.env`. */
export function createCheckRunner(opts: RunnerOptions): CheckRunner {
  return async (node, params, s, progress, signal) => {
    const check = getCheck(node.run);
    if (!check) return { result: { status: 'unknown', outcome: 'unknown', summary: `no check named ${node.run} in this badgate` } };
    const skipped = skippedForMissingParams(check.meta, params);
    if (skipped) return { result: skipped };
    const both = [signal, opts.signal].filter((x): x is AbortSignal => Boolean(x));
    const record = await runCheck(check, { params, facts: s.facts, env: opts.env, signal: both.length ? AbortSignal.any(both) : new AbortController().signal, progress }, opts);
    await opts.afterEach?.().catch(() => undefined);
    return record;
  };
}

/** Results the environment gives are deterministic, so searches may reuse them. */
export function memoRunner(run: CheckRunner): CheckRunner {
  const cache = new Map<string, Promise<CheckRecord>>();
  return (node, params, s, progress) => {
    // Evaluate reads facts too, so the same parameters with other facts may give another result.
    const key = `${node.run}|${JSON.stringify(params)}|${JSON.stringify(s.facts)}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = run(node, params, s, progress);
      cache.set(key, hit);
    }
    return hit.then((r) => structuredClone(r));
  };
}

/** Re-runs a registered check's evaluate on stored evidence (for `report --reevaluate`). */
export function evaluateStored(checkId: string, evidence: unknown, ctx: { params: Record<string, string>; facts: CheckContext['facts'] }): CheckResult | undefined {
  const check = getCheck(checkId);
  return check ? evaluateEvidence(check, evidence, ctx) : undefined;
}
