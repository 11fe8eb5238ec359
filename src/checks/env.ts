import { AWS_PORT } from '../aws/port-spec.js';
import { AZURE_PORT } from '../azure/port-spec.js';
import { AzureReadError, type AzureReader } from '../azure/reader.js';
import { DNS_PORT, liveDns, liveNet, NET_PORT } from '../net/port.js';
import { decorate, type Layer, type PortSpec } from '../ports/port.js';
import { recordLayer, replayPort, type Recording, type ReplayOptions } from '../ports/recording.js';
import { FILES_PORT, liveFiles } from './files-port.js';
import { AwsNotConfiguredError } from '../engine/errors.js';
import type { AwsReader } from '../aws/reader.js';
import type { CheckContext, CheckEnv } from './types.js';

/** The reader, or the typed error the runner maps to `unknown` with a next step. */
export function requireAws(ctx: Pick<CheckContext, 'env'>): AwsReader {
  if (!ctx.env.aws) throw ctx.env.awsOff ? new AwsNotConfiguredError(`AWS is off for this run: ${ctx.env.awsOff.message}`, ctx.env.awsOff.nextStep) : new AwsNotConfiguredError();
  return ctx.env.aws;
}

/** The Azure reader, or the typed error the runner maps to `unknown` with a next step. */
export function requireAzure(ctx: Pick<CheckContext, 'env'>): AzureReader {
  if (ctx.env.azure) return ctx.env.azure;
  const off = ctx.env.azureOff;
  throw new AzureReadError('not-configured', off ? `Azure is off for this run: ${off.message}` : 'Azure is not set up for this run', off?.nextStep ?? 'pass --subscription, --resource-group and --name after `az login`');
}

/** Puts one layer (chosen per port) around every port of an environment; the clock stays as it is. */
export function layerEnv(env: CheckEnv, layerFor: <T>(spec: PortSpec<T>) => Layer | undefined): CheckEnv {
  const wrap = <T extends object>(spec: PortSpec<T>, port: T): T => {
    const layer = layerFor(spec);
    return layer ? decorate(spec, port, layer) : port;
  };
  return {
    ...(env.aws ? { aws: wrap(AWS_PORT, env.aws) } : {}),
    net: wrap(NET_PORT, env.net),
    dns: wrap(DNS_PORT, env.dns),
    files: wrap(FILES_PORT, env.files),
    clock: env.clock,
    ...(env.replayed ? { replayed: true } : {}),
    ...(env.awsOff ? { awsOff: env.awsOff } : {}),
    ...(env.azure ? { azure: wrap(AZURE_PORT, env.azure) } : {}),
    ...(env.azureOff ? { azureOff: env.azureOff } : {}),
  };
}

/** The real world: the given AWS reader (if any), the network, this machine's files. */
export function liveEnv(aws?: CheckEnv['aws']): CheckEnv {
  return { ...(aws ? { aws } : {}), net: liveNet, dns: liveDns, files: liveFiles(() => aws?.logObjectStore?.bind(aws)), clock: { now: () => new Date() } };
}

/** Every port's answers appended to `sink`, for `--record`. */
export function recordingEnv(env: CheckEnv, sink: Recording): CheckEnv {
  return layerEnv(env, () => recordLayer(sink));
}

export interface ReplayEnvOptions {
  /** Per port, what answers a call the recording lacks (a drill serves its own files). */
  miss?: Partial<Record<'net' | 'dns' | 'files', ReplayOptions['miss']>>;
  clock?: CheckEnv['clock'];
}

/** A recorded environment, offline: AWS, probes, DNS and logs as they were answered. */
export function replayEnv(recording: Recording, opts: ReplayEnvOptions = {}): CheckEnv {
  const has = (port: string) => recording.calls.some((c) => (c.port ?? 'aws') === port);
  return {
    ...(has('aws') || recording.version === 1 ? { aws: Object.assign(replayPort(AWS_PORT, recording), { region: recording.region }) } : {}),
    ...(has('azure') ? { azure: Object.assign(replayPort(AZURE_PORT, recording), { subscription: 'replayed' }) } : {}),
    net: replayPort(NET_PORT, recording, { miss: opts.miss?.net }),
    dns: replayPort(DNS_PORT, recording, { miss: opts.miss?.dns }),
    files: replayPort(FILES_PORT, recording, { miss: opts.miss?.files }),
    clock: opts.clock ?? { now: () => new Date() },
    replayed: true,
  };
}
