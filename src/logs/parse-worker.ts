/** Worker thread: reads its share of the files and posts its partial state (see parallel.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { LogAnalyzer } from './log-analyzer.js';
import { fileInput } from './local-source.js';
import { readInputs } from './input-reader.js';
import { transferables } from './partial.js';
import type { WorkerJob, WorkerMessage } from './parallel.js';

const job = workerData as WorkerJob;
const an = new LogAnalyzer(job.opts);
const post = (m: WorkerMessage): void => parentPort?.postMessage(m);
await readInputs(an, job.files.map((f) => fileInput(f.path, f.size)), {
  ...job.opts,
  onProgress: (p) => post({ type: 'progress', filesDone: p.filesDone, bytesRead: p.bytesRead, lines: p.lines, count502: p.count502, current: p.current }),
});
const partial = an.partial();
// The packed arrays move to the reading thread instead of being copied: this thread ends now.
parentPort?.postMessage({ type: 'done', partial } satisfies WorkerMessage, transferables(partial));
