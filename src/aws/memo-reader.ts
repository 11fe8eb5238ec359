import { decorate, memoLayer } from '../ports/port.js';
import { AWS_PORT } from './port-spec.js';
import type { AwsReader } from './reader.js';

/** One cache per run, not per process, or answers go stale. */
export function createMemoReader(inner: AwsReader): AwsReader {
  return decorate(AWS_PORT, inner, memoLayer());
}
