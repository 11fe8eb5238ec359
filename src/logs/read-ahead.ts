/**
 * A directory of small files on two cores: one worker thread reads and unzips batches of files
 * ahead, and this thread parses them in file order into the one analyzer, so the result is the
 * single-thread one, with no partial state to merge. The two share a counter of claimed files:
 * whenever this thread would wait for the next batch (the worker is still starting, or unzipping
 * is the slower half), it reads the next file itself.
 */
import type { Worker } from 'node:worker_threads';
import type { LogAnalyzer } from './log-analyzer.js';
import type { LogInput } from './local-source.js';
import type { RunOptions } from './run-options.js';
import { inputReader, yieldToLoop } from './input-reader.js';
import { startWorker, type WorkerEntry } from './worker-start.js';
import { CTRL, type UnzipJob, type UnzipMessage } from './read-ahead-protocol.js';

type Batch = Extract<UnzipMessage, { type: 'batch' }>;

/** For tests: `claimHere: false` leaves every file to the worker, whatever the timing; `entry` starts another worker. */
export interface ReadAheadTest {
  claimHere?: boolean;
  entry?: WorkerEntry;
}

/** Returns how many files came unzipped from the worker. */
export async function readAhead(an: LogAnalyzer, inputs: (LogInput & { path: string; size: number })[], opts: RunOptions, { claimHere = true, entry = 'unzip-worker' }: ReadAheadTest = {}): Promise<{ ahead: number }> {
  const reader = inputReader(an, inputs, opts);
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.length * 4));
  const job: UnzipJob = { files: inputs.map((i) => ({ path: i.path, size: i.size })), ctrl: ctrl.buffer as SharedArrayBuffer, gzipLimit: opts.gzipLimit };
  const batches = new Map<number, Batch>();
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let worker: Worker | undefined;
  try {
    worker = startWorker(entry, job);
    worker.on('message', (m: UnzipMessage) => {
      if (m.type === 'batch') batches.set(m.from, m);
      else ended = true;
      poke();
    });
    // A worker that fails leaves its files to this thread (below): the analysis loses nothing.
    worker.on('error', () => {
      ended = true;
      poke();
    });
    worker.on('exit', () => {
      ended = true;
      poke();
    });
  } catch {
    ended = true;
  }
  opts.signal?.addEventListener('abort', poke, { once: true });
  let next = 0;
  let ahead = 0;
  try {
    while (next < inputs.length && !opts.signal?.aborted) {
      const b = batches.get(next);
      if (b) {
        batches.delete(next);
        await parseBatch(b);
        next = b.to;
        Atomics.sub(ctrl, CTRL.inFlight, 1);
        Atomics.notify(ctrl, CTRL.inFlight);
        continue;
      }
      // Claimed here unless the worker has claimed it; once the worker is gone, whatever it claimed and did not post is read here.
      if (ended || (claimHere && Atomics.compareExchange(ctrl, CTRL.next, next, next + 1) === next)) {
        await reader.read(inputs[next]);
        next++;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    opts.signal?.removeEventListener('abort', poke);
    Atomics.store(ctrl, CTRL.stop, 1);
    Atomics.notify(ctrl, CTRL.inFlight);
    await worker?.terminate();
  }
  reader.flush();
  return { ahead };

  async function parseBatch(b: Batch): Promise<void> {
    const text = Buffer.from(b.text.buffer, b.text.byteOffset, b.text.byteLength);
    const spans = new Map(b.spans.map((s) => [s.index, s]));
    for (let i = b.from; i < b.to; i++) {
      const s = spans.get(i);
      if (s) {
        reader.parseText(inputs[i], text.subarray(s.start, s.end), s.compressed);
        ahead++;
      }
      // Cut off, corrupt, unreadable or over the bomb limit: read here, where the error is reported with the lines before it.
      else await reader.read(inputs[i]);
      if (opts.signal?.aborted) return;
    }
    // Progress and Ctrl+C between batches.
    await yieldToLoop();
  }
}
