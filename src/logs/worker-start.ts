/** Starting the log reader's worker threads, from the built bundle or from the sources. */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A small young generation per worker: a log reader's garbage is short-lived buffers (freed at each
 * scavenge, so a small young generation frees them sooner), and the
 * default (16 MiB semi-spaces in every thread) was most of the peak memory with many targets.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * The built worker sits next to the bundle (each is its own tsup entry). From the sources (tests,
 * bench), the worker registers tsx first: a worker's execArgv --import does not reach its entry
 * module on Node 20.
 */
export type WorkerEntry = 'parse-worker' | 'unzip-worker';

export function startWorker(entry: WorkerEntry, workerData: unknown): Worker {
  const js = new URL(`./${entry}.js`, import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData, resourceLimits: RESOURCE_LIMITS });
  const ts = new URL(`./${entry}.ts`, import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits: RESOURCE_LIMITS });
}
