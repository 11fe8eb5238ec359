import { readFile, writeFile } from 'node:fs/promises';
import { classifyAwsError, ReplayMissError, type AwsErrorKind } from '../engine/errors.js';
import { keepLogStore, READER_METHODS, type AwsReader, type ReaderMethod } from './reader.js';

/** One reader call and what it gave back. */
export interface RecordedCall {
  method: ReaderMethod;
  args: unknown[];
  result?: unknown;
  error?: { name: string; message: string; kind: AwsErrorKind };
}

export interface Recording {
  version: 1;
  region: string;
  recordedAt: string;
  /** Free text: how the recording was made (scenario, tool version). */
  note?: string;
  calls: RecordedCall[];
}

const SECRET_KEY = /secret|password|token|credential|accesskey|sessionkey|authorization|signature/i;
const SECRET_VALUE = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** Deep copy that drops anything that looks like a credential, by key or by value. */
export function redact<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(SECRET_VALUE, '[redacted]');
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

export function newRecording(region: string, note?: string): Recording {
  return { version: 1, region, recordedAt: new Date().toISOString(), ...(note ? { note } : {}), calls: [] };
}

/** A reader that forwards to `inner` and appends every result (or classified error) to `sink`. */
export function createRecordingReader(inner: AwsReader, sink: Recording): AwsReader {
  const reader = { region: inner.region } as Record<string, unknown>;
  for (const method of READER_METHODS) {
    reader[method] = async (...args: unknown[]) => {
      const call: RecordedCall = { method, args: redact(args) };
      try {
        const result = await (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
        call.result = redact(result);
        sink.calls.push(call);
        return result;
      } catch (err) {
        const e = err as { name?: string; message?: string };
        call.error = redact({ name: e.name ?? 'Error', message: e.message ?? String(err), kind: classifyAwsError(err).kind });
        sink.calls.push(call);
        throw err;
      }
    };
  }
  return keepLogStore(inner, reader) as unknown as AwsReader;
}

/** JSON with sorted keys, so argument objects match however they were built. */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableKey(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The key a replay matches on. Metric windows are relative to "now", which differs on
 * every replay, so GetMetricData matches on its queries and period and not on the times.
 */
function callKey(method: ReaderMethod, args: unknown[]): string {
  if (method === 'getMetricData' && args[0] && typeof args[0] === 'object') {
    const { queries, periodSeconds } = args[0] as { queries: unknown; periodSeconds: unknown };
    return `${method}:${stableKey([{ queries, periodSeconds }])}`;
  }
  return `${method}:${stableKey(args)}`;
}

class ReplayedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * A replayed incident happened "just now": metric points move by the distance between the
 * recorded window's end and the requested one, so they land inside the window a check asks for.
 */
function shiftMetrics(result: unknown, recordedArgs: unknown, askedArgs: unknown): unknown {
  const recordedEnd = Date.parse((recordedArgs as { end?: string })?.end ?? '');
  const askedEnd = Date.parse((askedArgs as { end?: string })?.end ?? '');
  if (!Array.isArray(result) || Number.isNaN(recordedEnd) || Number.isNaN(askedEnd)) return result;
  const delta = askedEnd - recordedEnd;
  for (const r of result as { timestamps?: string[] }[]) {
    r.timestamps = (r.timestamps ?? []).map((t) => new Date(Date.parse(t) + delta).toISOString());
  }
  return result;
}

/** A reader that answers only from a recording; no network. */
export function createReplayReader(recording: Recording): AwsReader {
  const answers = new Map<string, RecordedCall>();
  for (const call of recording.calls) answers.set(callKey(call.method, call.args), call);
  const reader = { region: recording.region } as Record<string, unknown>;
  for (const method of READER_METHODS) {
    reader[method] = async (...args: unknown[]) => {
      // Undefined args are dropped the same way JSON.stringify dropped them at record time.
      const normalized = JSON.parse(JSON.stringify(args)) as unknown[];
      const call = answers.get(callKey(method, normalized));
      if (!call) throw new ReplayMissError(method, normalized);
      if (call.error) throw new ReplayedError(call.error.name, call.error.message);
      // A copy, so a check that mutates its evidence cannot change later answers.
      const result = JSON.parse(JSON.stringify(call.result ?? null)) as unknown;
      return method === 'getMetricData' ? shiftMetrics(result, call.args[0], normalized[0]) : result;
    };
  }
  return reader as unknown as AwsReader;
}

/** Drops repeated identical calls (replay answers each key once), keeping the latest answer. */
export function compactRecording(recording: Recording): Recording {
  const byKey = new Map<string, RecordedCall>();
  for (const call of recording.calls) {
    const key = callKey(call.method, call.args);
    byKey.delete(key);
    byKey.set(key, call);
  }
  return { ...recording, calls: [...byKey.values()] };
}

export async function loadRecording(path: string): Promise<Recording> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Recording>;
  if (parsed.version !== 1 || !Array.isArray(parsed.calls) || typeof parsed.region !== 'string') {
    throw new Error(`${path} is not a badgate AWS recording (expected {version: 1, region, calls: [...]})`);
  }
  return parsed as Recording;
}

export async function saveRecording(path: string, recording: Recording): Promise<void> {
  await writeFile(path, `${JSON.stringify(redact(recording), null, 2)}\n`, 'utf8');
}

/**
 * Replaces the account id in ARNs and identity fields with a stand-in, for shareable
 * examples. Only in those places: a bare 12-digit run may be part of a resource id.
 */
export function anonymiseRecording(recording: Recording, account = '123456789012'): Recording {
  const text = JSON.stringify(recording)
    .replace(/(arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:)[0-9]{12}/g, `$1${account}`)
    .replace(/("account":")[0-9]{12}"/g, `$1${account}"`);
  return JSON.parse(text) as Recording;
}
