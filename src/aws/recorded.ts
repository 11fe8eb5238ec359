import { scrubValue } from '../engine/scrub.js';
import { decorate } from '../ports/port.js';
import { compactCalls, loadRecording, newRecording, recordLayer, replayPort, ReplayMissError, saveRecording, type RecordedCall, type Recording } from '../ports/recording.js';
import { AWS_PORT } from './port-spec.js';
import type { AwsReader } from './reader.js';

export { loadRecording, newRecording, ReplayMissError, saveRecording, type RecordedCall, type Recording };

/** Deep copy that drops anything that looks like a credential, by key or by value. */
export const redact = scrubValue;

/** A reader that forwards to `inner` and appends every result (or classified error) to `sink`. */
export function createRecordingReader(inner: AwsReader, sink: Recording): AwsReader {
  return decorate(AWS_PORT, inner, recordLayer(sink));
}

/** A reader that answers only from a recording's AWS calls; no network. */
export function createReplayReader(recording: Recording): AwsReader {
  return Object.assign(replayPort(AWS_PORT, recording), { region: recording.region });
}

/** Drops repeated identical calls (replay answers each key once), keeping the latest answer. */
export function compactRecording(recording: Recording): Recording {
  return { ...recording, calls: compactCalls(recording.calls, (c) => `${c.port ?? 'aws'}|${AWS_PORT.replayKey!(c.method, c.args)}`) };
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
