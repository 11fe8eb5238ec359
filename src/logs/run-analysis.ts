/**
 * One analysis of many inputs: which threads read them. Big local inputs are shared out to
 * parse workers (parallel.ts); a directory of small files is unzipped ahead by one worker while
 * this thread parses (read-ahead.ts); anything else is read here.
 */
import { availableParallelism } from 'node:os';
import { LogAnalyzer } from './log-analyzer.js';
import type { LogInput } from './local-source.js';
import type { LogAnalysis } from './types.js';
import { readInWorkers } from './parallel.js';
import { readAhead } from './read-ahead.js';
import { readInputs, SYNC_FILE_BYTES } from './input-reader.js';
import type { RunOptions } from './run-options.js';

export type { RunOptions } from './run-options.js';
export { readInputs } from './input-reader.js';

export async function analyzeInputs(inputs: LogInput[], opts: RunOptions = {}): Promise<LogAnalysis> {
  const an = new LogAnalyzer(opts);
  const threads = workerCount(inputs, opts);
  const local = inputs as (LogInput & { path: string; size: number })[];
  if (threads === 2 && readAheadFits(local)) await readAhead(an, local, opts);
  else if (threads > 1) await readInWorkers(an, local, threads, opts);
  else await readInputs(an, inputs, opts);
  return an.finish();
}

/**
 * Up to this much gzip in small files, two threads do best as one unzipping ahead and one
 * parsing everything: a second parser would spend its share warming up. Past it, parsing is
 * most of the work and is shared out. Measured with bench/log-parse.ts on two cores: 2,000 ELB
 * files (7 MB of gzip) 0.32 s read ahead vs 0.41 s shared out; 864 files (77 MB) 2.3 s vs 1.8 s.
 */
export const READ_AHEAD_MAX_BYTES = 32 << 20;

function readAheadFits(inputs: { size: number }[]): boolean {
  let total = 0;
  for (const i of inputs) {
    if (i.size > SYNC_FILE_BYTES) return false;
    total += i.size;
  }
  return total <= READ_AHEAD_MAX_BYTES;
}

/** Below this much compressed input, starting a thread costs more than it saves. */
export const PARALLEL_MIN_BYTES = 2 << 20;

/**
 * How many threads read the inputs (this one and workers; 1 or 0: this one alone). Big local
 * inputs are shared out, one share per core by default and at most one per file.
 */
function workerCount(inputs: LogInput[], opts: RunOptions): number {
  if (inputs.length === 0 || !inputs.every((i) => i.path !== undefined && i.size !== undefined)) return 0;
  const bytes = inputs.reduce((s, i) => s + (i.size ?? 0), 0);
  if (opts.jobs === undefined && bytes < PARALLEL_MIN_BYTES) return 0;
  return Math.min(opts.jobs ?? Math.min(4, availableParallelism()), inputs.length);
}
