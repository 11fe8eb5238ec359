import { resolve } from 'node:path';
import type { AwsReader } from './aws/reader.js';
import { createMemoReader } from './aws/memo-reader.js';
import { whoAmI } from './aws/who-am-i.js';
import { liveEnv, recordingEnv, replayEnv } from './checks/env.js';
import { createCheckRunner } from './checks/runner.js';
import type { CheckEnv } from './checks/types.js';
import type { CheckRunner } from './engine/advance.js';
import { BadgateError, classifyAwsError } from './engine/errors.js';
import type { SessionContext } from './engine/events.js';
import type { Facts } from './engine/vocabulary.js';
import { loadRecording, newRecording, saveRecording, type Recording } from './ports/recording.js';
import { profileExists } from './aws/sdk/profile-region.js';
import { AZURE_PORT } from './azure/port-spec.js';
import type { AzureReader } from './azure/reader.js';
import { decorate, memoLayer } from './ports/port.js';

export interface TargetFlags {
  lb?: string;
  url?: string;
  profile?: string;
  region?: string;
  since?: string;
  replay?: string;
  record?: string;
  /** Seconds one AWS request may take (--aws-timeout). */
  awsTimeout?: number;
  /** The nginx flow's inputs: `nginx -T` output (or a config file) and the error log. */
  config?: string;
  errorLog?: string;
  /** Azure (App Gateway flow): --subscription, --resource-group, --name. */
  subscription?: string;
  resourceGroup?: string;
  name?: string;
  /** An exported access log file (--access-log). */
  accessLog?: string;
  /** Which cloud the flow reads; `azure` for the App Gateway flow. */
  cloud?: 'aws' | 'azure';
  /** The cloudfront flow's distribution id (or its domain). */
  distribution?: string;
  /** The apigw flow's API id (or ID/STAGE) and stage. */
  api?: string;
  stage?: string;
}

/** The targeting flags a recording keeps for its replay (not the profile: it names a local config, not the incident). */
const RECORDED_TARGET: (keyof TargetFlags)[] = ['lb', 'url', 'since', 'distribution', 'api', 'stage'];

export interface RunSetup {
  env: CheckEnv;
  /** One line shown at the top of the run: who and where, or why AWS is not used. */
  banner: string;
  facts: Facts;
  mode: SessionContext['mode'];
  /** Saves the recording so far (a no-op without --record). */
  flushRecording(): Promise<void>;
}

/** A replay file that cannot be read, or similar: the run cannot start. */
export class SetupError extends BadgateError {}

/**
 * Decides where every answer comes from: a replay file (offline: AWS, probes, DNS and logs
 * as recorded), or the live world with the standard AWS credential chain. Without usable
 * credentials the run goes on in manual mode. With --record, every port's answers are kept.
 */
export async function setupRun(flags: TargetFlags, progress: (m: string) => void = () => {}, opts: { aws?: boolean } = {}): Promise<RunSetup> {
  if (flags.replay) {
    let rec: Recording;
    try {
      rec = await loadRecording(flags.replay);
    } catch (e) {
      throw new SetupError(`cannot read the replay file ${flags.replay}: ${(e as Error).message}`, 'check the path, e.g. flows/recordings/');
    }
    const env = replayEnv(rec);
    // Flags given now win; the rest are what the recorded run was pointed at.
    const given = Object.fromEntries(Object.entries(flags).filter(([k, v]) => RECORDED_TARGET.includes(k as keyof TargetFlags) && v !== undefined));
    const facts = { ...targetFacts({ ...rec.target, ...given }), 'aws.available': true, 'target.region': rec.region };
    return { env, banner: `Replaying the recorded answers from ${flags.replay} (no network)`, facts, mode: 'replay', flushRecording: async () => {} };
  }
  const recording = flags.record ? newRecording(flags.region ?? '', `recorded by badgate ${new Date().toISOString()}`) : undefined;
  if (recording) {
    const target = Object.fromEntries(RECORDED_TARGET.flatMap((k) => (typeof flags[k] === 'string' ? [[k, flags[k] as string]] : [])));
    if (Object.keys(target).length) recording.target = target;
  }
  const flushRecording = async () => {
    if (recording && flags.record) await saveRecording(flags.record, recording);
  };
  const withRecording = (env: CheckEnv) => (recording ? recordingEnv(env, recording) : env);
  const manual = (why: string, off: { message: string; nextStep: string }): RunSetup => ({
    env: { ...withRecording(liveEnv()), awsOff: off }, banner: `AWS checks off: ${why}${flags.record ? ` · recording probes and logs to ${flags.record}` : ''}`,
    facts: { 'aws.available': false }, mode: 'manual', flushRecording,
  });
  if (flags.cloud === 'azure') return setupAzure(flags, withRecording, flushRecording, progress);
  if (opts.aws === false) {
    // A flow for a gateway outside AWS (nginx) reads files and probes; it has no AWS call to make.
    return {
      env: withRecording(liveEnv()), banner: `Local checks only (files and probes, no AWS calls)${flags.record ? ` · recording to ${flags.record}` : ''}`,
      facts: { 'aws.available': false }, mode: 'manual', flushRecording,
    };
  }
  const missing = missingProfile(flags.profile);
  if (missing) return manual(`${missing.message}. Next: ${missing.nextStep}. Continuing with manual steps.`, missing);
  let reader: AwsReader;
  try {
    // The SDK loads only when a run talks to AWS: help, drills and lint start without it.
    const { createSdkReader } = await import('./aws/sdk/index.js');
    // One cache per run: several checks read the same load balancer and target groups.
    reader = createMemoReader(createSdkReader({ profile: flags.profile, region: flags.region, ...(flags.awsTimeout ? { timeoutMs: flags.awsTimeout * 1000 } : {}) }));
  } catch (e) {
    if ((e as Error)?.name === 'RegionMissingError') {
      const off = { message: 'no AWS region known', nextStep: 'pass --region (or --profile with a region, or set AWS_REGION)' };
      return manual(`${off.message}. Next: ${off.nextStep}. Continuing with manual steps.`, off);
    }
    const c = classifyAwsError(e, { profile: flags.profile });
    return manual(`${c.message} Next: ${c.nextStep}`, c);
  }
  if (recording) recording.region = reader.region;
  progress('asking AWS who we are (sts:GetCallerIdentity)');
  const env = withRecording(liveEnv(reader));
  try {
    const id = await whoAmI(env.aws!);
    return {
      env, banner: `AWS: ${id.arn} · account ${id.account} · ${id.region}${flags.record ? ` · recording to ${flags.record}` : ''}`,
      facts: { 'aws.available': true, 'aws.account': id.account, 'aws.arn': id.arn, 'target.region': id.region }, mode: 'live', flushRecording,
    };
  } catch (e) {
    const c = classifyAwsError(e, { profile: flags.profile, action: 'sts:GetCallerIdentity' });
    return manual(`${c.message} Next: ${c.nextStep}`, c);
  }
}

/**
 * The Azure side of a run (App Gateway): DefaultAzureCredential (`az login`, environment, managed
 * identity) on the subscription given, checked with one read of the gateway. Without a
 * subscription or a login the run goes on in manual mode with the `az` commands to run.
 */
async function setupAzure(flags: TargetFlags, withRecording: (env: CheckEnv) => CheckEnv, flushRecording: () => Promise<void>, progress: (m: string) => void): Promise<RunSetup> {
  const subscription = flags.subscription || process.env.AZURE_SUBSCRIPTION_ID || undefined;
  const context: Facts = { ...(subscription ? { 'target.subscription': subscription } : {}) };
  const manual = (off: { message: string; nextStep: string }): RunSetup => ({
    env: { ...withRecording(liveEnv()), azureOff: off }, banner: `Azure checks off: ${off.message}. Next: ${off.nextStep}. Continuing with manual steps.`,
    facts: { ...context, 'azure.available': false, 'aws.available': false }, mode: 'manual', flushRecording,
  });
  if (!subscription) return manual({ message: 'no Azure subscription given', nextStep: 'run `az login`, then pass --subscription S (`az account show --query id -o tsv` prints it)' });
  let azure: AzureReader;
  try {
    const { createAzureSdkReader } = await import('./azure/sdk.js');
    // One snapshot per run: several checks read the same gateway.
    azure = decorate(AZURE_PORT, createAzureSdkReader({ subscription }), memoLayer());
  } catch (e) {
    return manual({ message: `Azure could not be set up: ${(e as Error).message}`, nextStep: 'run `az login` and retry' });
  }
  const env: CheckEnv = withRecording({ ...liveEnv(), azure });
  if (flags.resourceGroup && flags.name) {
    progress(`reading application gateway ${flags.resourceGroup}/${flags.name} (ApplicationGateways_Get)`);
    try {
      await env.azure!.getApplicationGateway(flags.resourceGroup, flags.name);
    } catch (e) {
      const kind = (e as { kind?: string }).kind;
      // A wrong name is the checks' to report; no login or no permission turns Azure off for the run.
      if (kind === 'not-logged-in' || kind === 'endpoint-unreachable') return manual({ message: (e as Error).message, nextStep: (e as { nextStep?: string }).nextStep ?? 'run `az login`' });
    }
  }
  return {
    env, banner: `Azure: subscription ${subscription}${flags.resourceGroup ? ` · resource group ${flags.resourceGroup}` : ''}${flags.name ? ` · gateway ${flags.name}` : ''}${flags.record ? ` · recording to ${flags.record}` : ''}`,
    facts: { ...context, 'azure.available': true, 'aws.available': false }, mode: 'live', flushRecording,
  };
}

/**
 * A named profile that no AWS file holds would surface as "no region" or a credential-chain
 * error; say what is really wrong. AWS_PROFILE only counts when no keys are in the environment,
 * since the SDK reads those first.
 */
function missingProfile(flag: string | undefined): { message: string; nextStep: string } | undefined {
  const profile = flag || (process.env.AWS_ACCESS_KEY_ID ? undefined : process.env.AWS_PROFILE || undefined);
  if (!profile || profileExists(profile)) return undefined;
  return {
    message: `no AWS profile "${profile}" in ~/.aws/config or ~/.aws/credentials${flag ? '' : ' (from AWS_PROFILE)'}`,
    nextStep: `\`aws configure list-profiles\` lists the names; \`aws configure sso --profile ${profile}\` or \`aws configure --profile ${profile}\` creates it`,
  };
}

export function targetFacts(flags: TargetFlags): Facts {
  const f: Facts = {};
  if (flags.lb) f['target.lb'] = flags.lb;
  if (flags.url) f['target.url'] = flags.url;
  if (flags.region) f['target.region'] = flags.region;
  if (flags.profile) f['target.profile'] = flags.profile;
  f['target.since'] = flags.since ?? '3h';
  // Absolute, so a session resumed from another directory still finds the files.
  if (flags.config) f['target.nginxConfig'] = resolve(flags.config);
  if (flags.errorLog) f['target.errorLog'] = resolve(flags.errorLog);
  if (flags.subscription) f['target.subscription'] = flags.subscription;
  if (flags.resourceGroup) f['target.resourceGroup'] = flags.resourceGroup;
  if (flags.name) f['target.appgw'] = flags.name;
  if (flags.accessLog) f['target.accessLog'] = flags.accessLog;
  if (flags.distribution) f['target.distribution'] = flags.distribution;
  if (flags.api) f['target.api'] = flags.api;
  if (flags.stage) f['target.stage'] = flags.stage;
  return f;
}

/** Gateways whose flows read AWS; the others (nginx) run with local checks only. */
const AWS_GATEWAYS = new Set(['alb', 'clb', 'nlb', 'cloudfront', 'apigw']);

export function flowUsesAws(flow: { gateway: string }): boolean {
  return AWS_GATEWAYS.has(flow.gateway);
}

/** --config and --error-log feed the nginx flow's questions; elsewhere they would be silently ignored. */
export function checkFlowInputs(flow: { id: string; gateway: string }, flags: TargetFlags): void {
  const given = [flags.config !== undefined && '--config', flags.errorLog !== undefined && '--error-log'].filter(Boolean);
  if (given.length && flow.gateway !== 'nginx') {
    throw new BadgateError(`${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} read by the nginx flow, not by "${flow.id}"`, 'badgate run nginx --config nginx-T.txt --error-log error.log');
  }
  if (flags.distribution !== undefined && flow.gateway !== 'cloudfront') {
    throw new BadgateError(`--distribution is read by the cloudfront flow, not by "${flow.id}"`, `badgate run cloudfront --distribution ${flags.distribution}`);
  }
  const apiFlags = [flags.api !== undefined && '--api', flags.stage !== undefined && '--stage'].filter(Boolean);
  if (apiFlags.length && flow.gateway !== 'apigw') {
    throw new BadgateError(`${apiFlags.join(' and ')} ${apiFlags.length > 1 ? 'are' : 'is'} read by the apigw flow, not by "${flow.id}"`, `badgate run apigw --api ${flags.api ?? 'ID'}${flags.stage ? ` --stage ${flags.stage}` : ''}`);
  }
}

/** The run's check runner: the one runner, over this run's environment. */
export function makeCheckRunner(setup: RunSetup | undefined, opts: { profile?: string; signal?: AbortSignal } = {}): CheckRunner {
  return createCheckRunner({ env: setup?.env ?? liveEnv(), profile: opts.profile, signal: opts.signal, afterEach: setup?.flushRecording });
}
