/**
 * Turns a `badgate logs` source (file, directory, glob, `-` for stdin, s3://bucket/prefix)
 * into inputs to read, planning S3 listings for the window.
 */
import type { Readable } from 'node:stream';
import { resolveLocalSource, stdinInput, type LogInput } from './local-source.js';
import type { LogObjectStore } from './log-object-store.js';
import { parseS3Uri, planS3, type S3Plan } from './s3-plan.js';
import { LogSourceError } from './errors.js';

export interface LoadedSource {
  kind: 'local' | 'stdin' | 's3';
  inputs: LogInput[];
  totalBytes: number;
  plan?: S3Plan & { bucket: string; prefix: string };
}

export interface LoadOptions {
  sinceMs: number | undefined;
  untilMs: number | undefined;
  region?: string;
  lb?: string;
  stdin?: NodeJS.ReadableStream;
  createStore?: (bucket: string) => LogObjectStore;
}

export function isS3(source: string): boolean {
  return source.startsWith('s3://');
}

export function s3Inputs(store: LogObjectStore, plan: S3Plan): LogInput[] {
  return plan.objects.map((o) => ({
    name: `s3://${store.bucket}/${o.key}`,
    size: o.size,
    open: () => store.get(o.key),
  }));
}

export async function loadSource(source: string, opts: LoadOptions): Promise<LoadedSource> {
  if (source === '-') {
    const stdin = opts.stdin ?? (process.stdin as Readable);
    return { kind: 'stdin', inputs: [stdinInput(stdin)], totalBytes: 0 };
  }
  if (isS3(source)) {
    const { bucket, prefix } = parseS3Uri(source);
    if (!opts.createStore) throw new LogSourceError('S3 sources need AWS access', 'pass --profile/--region or set AWS_PROFILE');
    if (opts.sinceMs === undefined || opts.untilMs === undefined) throw new LogSourceError('an S3 source needs a time window', 'pass --since (e.g. --since 2h)');
    const store = opts.createStore(bucket);
    const plan = await planS3(store, prefix, { sinceMs: opts.sinceMs, untilMs: opts.untilMs, region: opts.region, lb: opts.lb });
    return { kind: 's3', inputs: s3Inputs(store, plan), totalBytes: plan.totalBytes, plan: { ...plan, bucket, prefix } };
  }
  const inputs = await resolveLocalSource(source);
  return { kind: 'local', inputs, totalBytes: inputs.reduce((s, i) => s + (i.size ?? 0), 0) };
}
