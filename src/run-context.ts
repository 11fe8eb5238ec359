import { createRecordingReader, createReplayReader, loadRecording, newRecording, saveRecording, whoAmI, classifyAwsError, createSdkReader, createMemoReader, RegionMissingError, type AwsReader, type Recording } from './aws/index.js';
import { getCheck } from './checks/registry.js';
import { runCheck, skippedForMissingParams } from './checks/run-check.js';
import type { CheckResult, Facts } from './engine/vocabulary.js';
import type { SessionContext } from './engine/events.js';
import type { CheckNode } from './engine/flow-schema.js';
import type { SessionState } from './engine/session.js';

export interface TargetFlags {
  lb?: string;
  url?: string;
  profile?: string;
  region?: string;
  since?: string;
  replay?: string;
  record?: string;
}

export interface AwsSetup {
  reader?: AwsReader;
  /** One line shown at the top of the run: who and where, or why AWS is not used. */
  banner: string;
  facts: Facts;
  mode: SessionContext['mode'];
  /** Saves the recording so far (a no-op without --record). */
  flushRecording(): Promise<void>;
}

export class SetupError extends Error {}

/**
 * Decides where AWS answers come from: a replay file, or the SDK with the standard
 * credential chain. Without usable credentials the run goes on in manual mode.
 */
export async function setupAws(flags: TargetFlags, progress: (m: string) => void = () => {}): Promise<AwsSetup> {
  let recording: Recording | undefined;
  const flushRecording = async () => {
    if (recording && flags.record) await saveRecording(flags.record, recording);
  };
  const manual = (why: string): AwsSetup => ({ banner: `AWS checks off: ${why}`, facts: { 'aws.available': false }, mode: 'manual', flushRecording });
  if (flags.replay) {
    let rec: Recording;
    try {
      rec = await loadRecording(flags.replay);
    } catch (e) {
      throw new SetupError(`cannot read the replay file ${flags.replay}: ${(e as Error).message}. Next: check the path, e.g. flows/recordings/`);
    }
    const reader = createReplayReader(rec);
    return { reader, banner: `Replaying recorded AWS answers from ${flags.replay} (no network)`, facts: { 'aws.available': true, 'target.region': reader.region }, mode: 'replay', flushRecording };
  }
  let reader: AwsReader;
  try {
    // One cache per run: several checks read the same load balancer and target groups.
    reader = createMemoReader(createSdkReader({ profile: flags.profile, region: flags.region }));
  } catch (e) {
    if (e instanceof RegionMissingError) {
      return manual('no AWS region known. Next: pass --region (or --profile with a region, or set AWS_REGION). Continuing with manual steps.');
    }
    const c = classifyAwsError(e, { profile: flags.profile });
    return manual(`${c.message} Next: ${c.nextStep}`);
  }
  progress('asking AWS who we are (sts:GetCallerIdentity)');
  try {
    const id = await whoAmI(reader);
    if (flags.record) {
      recording = newRecording(reader.region, `recorded by badgate ${new Date().toISOString()}`);
      reader = createRecordingReader(reader, recording);
    }
    return {
      reader, banner: `AWS: ${id.arn} · account ${id.account} · ${id.region}${flags.record ? ` · recording to ${flags.record}` : ''}`,
      facts: { 'aws.available': true, 'aws.account': id.account, 'aws.arn': id.arn, 'target.region': id.region }, mode: 'live', flushRecording,
    };
  } catch (e) {
    const c = classifyAwsError(e, { profile: flags.profile, action: 'sts:GetCallerIdentity' });
    return manual(`${c.message} Next: ${c.nextStep}`);
  }
}

export function targetFacts(flags: TargetFlags): Facts {
  const f: Facts = {};
  if (flags.lb) f['target.lb'] = flags.lb;
  if (flags.url) f['target.url'] = flags.url;
  if (flags.region) f['target.region'] = flags.region;
  if (flags.profile) f['target.profile'] = flags.profile;
  f['target.since'] = flags.since ?? '3h';
  return f;
}

export type CheckRunner = (node: CheckNode, params: Record<string, string>, s: SessionState, progress: (m: string) => void) => Promise<CheckResult>;

/** Runs a flow's check node: registry lookup, missing-parameter handling, AWS error mapping. */
export function makeCheckRunner(aws: AwsSetup | undefined, opts: { profile?: string; signal?: AbortSignal } = {}): CheckRunner {
  return async (node, params, s, progress) => {
    const check = getCheck(node.run);
    if (!check) return { status: 'unknown', outcome: 'unknown', summary: `no check named ${node.run} in this badgate` };
    const skipped = skippedForMissingParams(check.meta, params);
    if (skipped) return skipped;
    const result = await runCheck(check, {
      params, facts: s.facts, aws: aws?.reader, signal: opts.signal ?? new AbortController().signal, progress, now: () => new Date(),
    }, { profile: opts.profile });
    await aws?.flushRecording().catch(() => undefined);
    return result;
  };
}
