import type { Source } from '../engine/vocabulary.js';
import { decorate, tapLayer } from '../ports/port.js';
import { AWS_PORT } from './port-spec.js';
import type { AwsReader, ReaderMethod } from './reader.js';

export { sourceParams } from './port-spec.js';

export interface TapHooks {
  /** Called as each call starts, with what a finding would cite. */
  onCall?(source: Source, method: ReaderMethod): void;
  /** Called when a call fails, before the error propagates. */
  onError?(source: Source, error: unknown, method: ReaderMethod): void;
  now?(): Date;
}

/** Every call reported as a Source, at the port, so live, recorded and replayed runs cite their calls the same way. */
export function tapReader(inner: AwsReader, hooks: TapHooks): AwsReader {
  return decorate(AWS_PORT, inner, tapLayer(AWS_PORT, {
    now: hooks.now ?? (() => new Date()),
    region: inner.region,
    onCall: (s, c) => hooks.onCall?.(s, c.method as ReaderMethod),
    onError: (s, e, c) => hooks.onError?.(s, e, c.method as ReaderMethod),
  }));
}
