/** What the read-ahead thread and the parsing thread share (see read-ahead.ts). */
import type { TextSpan } from './unzip-batch.js';
import type { RunOptions } from './run-options.js';

export interface UnzipJob {
  files: { path: string; size: number }[];
  /** An Int32Array's buffer, indexed by CTRL. */
  ctrl: SharedArrayBuffer;
  gzipLimit: RunOptions['gzipLimit'];
}

export type UnzipMessage =
  | { type: 'batch'; from: number; to: number; text: Uint8Array; spans: TextSpan[]; unread: number[] }
  | { type: 'end' };

/** next: the first file nobody has claimed; inFlight: batches posted and not yet parsed; stop: set by the parsing thread. */
export const CTRL = { next: 0, inFlight: 1, stop: 2, length: 3 } as const;

/**
 * Batches posted ahead of the parser: enough to keep it busy, few enough that unzipped text
 * waiting to be parsed stays within MAX_IN_FLIGHT × (about 10 × BATCH.rawBytes).
 */
export const MAX_IN_FLIGHT = 2;
export const BATCH = { files: 256, rawBytes: 256 << 10 } as const;
