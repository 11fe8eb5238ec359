/**
 * Big local inputs are shared out to threads (one per core): this thread reads the first share
 * into the analyzer itself, and a worker thread reads each other share into its own state; those
 * states are merged here, in file order, and concluded once. This thread's reading yields between
 * files and chunks, so the screen and Ctrl+C stay responsive; and one isolate fewer than a worker
 * per share keeps the peak memory down (each isolate has its own heap and young generation).
 * Shares are contiguous runs of files of about equal size, so evidence keeps the files' order.
 */
import { startWorker } from './worker-start.js';
import { readInputs } from './input-reader.js';
import type { LogAnalyzer } from './log-analyzer.js';
import type { LogInput } from './local-source.js';
import type { RunOptions } from './run-options.js';
import type { AnalyzerPartial } from './partial.js';
import type { LogProgress } from './types.js';

export interface WorkerJob {
  files: { path: string; size: number }[];
  opts: Omit<RunOptions, 'onProgress' | 'signal' | 'jobs'>;
}

export type WorkerMessage =
  | { type: 'progress'; filesDone: number; bytesRead: number; lines: number; count502: number; current?: string }
  | { type: 'done'; partial: AnalyzerPartial };

/** Contiguous shares of about equal compressed size. */
export function shareOut<T extends { size: number }>(files: T[], n: number): T[][] {
  const total = files.reduce((s, f) => s + f.size, 0);
  const shares: T[][] = [];
  let cur: T[] = [];
  let acc = 0;
  for (const f of files) {
    cur.push(f);
    acc += f.size;
    if (shares.length < n - 1 && acc >= (total * (shares.length + 1)) / n) {
      shares.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) shares.push(cur);
  return shares;
}

function runWorker(job: WorkerJob, onProgress: (m: Extract<WorkerMessage, { type: 'progress' }>) => void, signal?: AbortSignal): Promise<AnalyzerPartial> {
  return new Promise((resolve, reject) => {
    const w = startWorker('parse-worker', job);
    let result: AnalyzerPartial | undefined;
    const onAbort = (): void => void w.terminate();
    signal?.addEventListener('abort', onAbort, { once: true });
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress(m);
      else result = m.partial;
    });
    w.on('error', reject);
    // Settled when the thread has ended, not when its result arrives: its heap is given back
    // before the merge grows this thread's state, so the two never add up at the peak.
    w.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (result) resolve(result);
      else reject(new Error(signal?.aborted ? 'aborted' : `log reader thread exited with code ${code}`));
    });
  });
}

export async function readInWorkers(
  an: LogAnalyzer, inputs: (LogInput & { path: string })[], jobs: number, opts: RunOptions,
): Promise<void> {
  const [mine, ...shares] = shareOut(inputs.map((i) => ({ ...i, size: i.size ?? 0 })), jobs);
  const { onProgress, signal, ...rest } = opts;
  delete rest.jobs;
  const seen = [mine, ...shares].map(() => ({ filesDone: 0, bytesRead: 0, lines: 0, count502: 0 }));
  const total: LogProgress = { filesTotal: inputs.length, filesDone: 0, bytesTotal: inputs.reduce((s, i) => s + (i.size ?? 0), 0), bytesRead: 0, lines: 0, count502: 0 };
  const sum = (k: 'filesDone' | 'bytesRead' | 'lines' | 'count502'): number => seen.reduce((s, x) => s + x[k], 0);
  const report = (current?: string): void => {
    if (!onProgress) return;
    onProgress({ ...total, filesDone: sum('filesDone'), bytesRead: sum('bytesRead'), lines: sum('lines'), count502: sum('count502'), current });
  };
  const pending = shares.map((files, i) => runWorker({ files: files.map((f) => ({ path: f.path, size: f.size })), opts: rest }, (m) => {
    seen[i + 1] = m;
    report(m.current);
  }, signal).then((partial) => ({ partial }), (error: unknown) => ({ error })));
  await readInputs(an, mine, {
    ...rest,
    ...(signal ? { signal } : {}),
    onProgress: (p) => {
      seen[0] = p;
      report(p.current);
    },
  });
  // Merged in file order as each turn comes; a merged copy is dropped at once.
  for (const share of shares) {
    const r = await (pending.shift() as (typeof pending)[number]);
    if ('partial' in r) an.merge(r.partial);
    else {
      const why = r.error instanceof Error ? r.error.message : String(r.error);
      an.addError({ source: share.length > 1 ? `${share[0].path} and ${share.length - 1} more` : share[0].path, message: `not read: ${why}`, nextStep: 'run badgate logs again; if it repeats, read the files one by one' });
    }
  }
  report();
}
