import type { AnalyzerOptions } from './analyzer.js';
import type { LogProgress } from './types.js';

/** How a log analysis runs: the analyzer's options, and how the reading is shared out and reported. */
export interface RunOptions extends AnalyzerOptions {
  concurrency?: number;
  onProgress?: (p: LogProgress) => void;
  /** How often progress is reported at most (ms); the last report always comes. */
  progressIntervalMs?: number;
  signal?: AbortSignal;
  /** The gzip expansion limit (GZIP_LIMIT by default); false reads any file to its end (--no-limit). */
  gzipLimit?: { ratio: number; minBytes: number } | false;
  /**
   * Worker threads for local files (default: one per core, at most 4, and only for inputs of
   * PARALLEL_MIN_BYTES or more). Inputs that are not local files (S3, stdin) are read here.
   */
  jobs?: number;
}
