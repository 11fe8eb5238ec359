import { readFile, writeFile } from 'node:fs/promises';
import { scrubValue } from '../engine/scrub.js';
import { classifyAwsError } from '../engine/errors.js';
import { plainArgs, stableKey, type Layer, type PortSpec } from './port.js';

/** One port call and what it gave back. `port` is absent in version-1 files, which held AWS only. */
export interface RecordedCall {
  port?: string;
  method: string;
  args: unknown[];
  result?: unknown;
  error?: { name: string; message: string; kind: string; nextStep?: string };
}

/**
 * A recorded environment: every answer the ports gave during a run (`--record`), replayed
 * by `--replay`, and the inline environment of a drill. Version 2 adds probes, DNS and logs
 * to the AWS calls of version 1; both load.
 */
export interface Recording {
  version: 1 | 2;
  region: string;
  recordedAt: string;
  /** Free text: how the recording was made (scenario, tool version). */
  note?: string;
  /**
   * What the run was pointed at (--lb, --url, --api, --stage, --distribution, --since), so a replay
   * with no flags asks the same questions the recorded run asked.
   */
  target?: Record<string, string>;
  calls: RecordedCall[];
}

export function newRecording(region: string, note?: string): Recording {
  return { version: 2, region, recordedAt: new Date().toISOString(), ...(note ? { note } : {}), calls: [] };
}

export function portOf(call: RecordedCall): string {
  return call.port ?? 'aws';
}

/** Appends every answer (or classified error) to `sink`, scrubbed of anything like a credential. */
export function recordLayer(sink: Recording): Layer {
  return async (call, next) => {
    const entry: RecordedCall = { port: call.port, method: call.method, args: scrubValue(plainArgs(call.args)) };
    try {
      const result = await next();
      entry.result = scrubValue(JSON.parse(JSON.stringify(result ?? null)) as unknown);
      sink.calls.push(entry);
      return result;
    } catch (err) {
      const e = err as { name?: string; message?: string; nextStep?: unknown };
      entry.error = scrubValue({
        name: e.name ?? 'Error', message: e.message ?? String(err), kind: classifyAwsError(err).kind,
        ...(typeof e.nextStep === 'string' ? { nextStep: e.nextStep } : {}),
      });
      sink.calls.push(entry);
      throw err;
    }
  };
}

/** Thrown by a replay asked for a call the recording does not hold. */
export class ReplayMissError extends Error {
  override readonly name = 'ReplayMissError';
  constructor(readonly method: string, readonly args: unknown) {
    super(`the recording has no answer for ${method}(${JSON.stringify(args)})`);
  }
}

class ReplayedError extends Error {
  constructor(name: string, message: string, readonly nextStep?: string) {
    super(message);
    this.name = name;
  }
}

function keyOf<T>(spec: PortSpec<T>, method: string, args: unknown[]): string {
  return spec.replayKey ? spec.replayKey(method, args) : `${method}:${stableKey(args)}`;
}

export interface ReplayOptions {
  /** Answers a call the recording does not hold; the default throws ReplayMissError. */
  miss?(method: string, args: unknown[]): Promise<unknown>;
}

/**
 * A port that answers only from recorded calls of its kind; no network. The same call made
 * several times is answered in the order it was recorded (a log read at two moments can differ),
 * then with its last answer.
 */
export function replayPort<T extends object>(spec: PortSpec<T>, recording: Pick<Recording, 'calls'>, opts: ReplayOptions = {}): T {
  const answers = new Map<string, RecordedCall[]>();
  for (const call of recording.calls) {
    if (portOf(call) !== spec.name) continue;
    const key = keyOf(spec, call.method, call.args);
    answers.set(key, [...(answers.get(key) ?? []), call]);
  }
  const asked = new Map<string, number>();
  const port: Record<string, unknown> = {};
  for (const method of spec.methods) {
    port[method] = async (...args: unknown[]) => {
      const plain = plainArgs(args);
      const key = keyOf(spec, method, plain);
      const queue = answers.get(key);
      const n = asked.get(key) ?? 0;
      asked.set(key, n + 1);
      const call = queue?.[Math.min(n, queue.length - 1)];
      if (!call) {
        if (opts.miss) return opts.miss(method, args);
        throw new ReplayMissError(`${spec.name === 'aws' ? '' : `${spec.name}.`}${method}`, plain);
      }
      if (call.error) throw new ReplayedError(call.error.name, call.error.message, call.error.nextStep);
      // A copy, so a check that mutates its evidence cannot change later answers.
      const result = JSON.parse(JSON.stringify(call.result ?? null)) as unknown;
      return spec.adjust ? spec.adjust(method, result, call.args, plain) : result;
    };
  }
  return port as T;
}

/** Drops repeated identical calls (replay answers each key once), keeping the latest answer. */
export function compactCalls(calls: RecordedCall[], key: (c: RecordedCall) => string): RecordedCall[] {
  const byKey = new Map<string, RecordedCall>();
  for (const call of calls) {
    const k = key(call);
    byKey.delete(k);
    byKey.set(k, call);
  }
  return [...byKey.values()];
}

export async function loadRecording(path: string): Promise<Recording> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Recording>;
  if ((parsed.version !== 1 && parsed.version !== 2) || !Array.isArray(parsed.calls) || typeof parsed.region !== 'string') {
    throw new Error(`${path} is not a badgate recording (expected {version: 1 or 2, region, calls: [...]})`);
  }
  return parsed as Recording;
}

export async function saveRecording(path: string, recording: Recording): Promise<void> {
  await writeFile(path, `${JSON.stringify(scrubValue(recording), null, 2)}\n`, 'utf8');
}
