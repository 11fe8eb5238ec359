/**
 * Worker thread: reads and unzips batches of small files ahead of the thread that parses them
 * (see read-ahead.ts). It claims each batch from a shared counter, so the parsing thread can
 * take files itself whenever it would otherwise wait.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipCap } from './input-reader.js';
import { sizeClass, unzipBatch, type RawFile } from './unzip-batch.js';
import { BATCH, CTRL, MAX_IN_FLIGHT, type UnzipJob, type UnzipMessage } from './read-ahead-protocol.js';

const job = workerData as UnzipJob;
const ctrl = new Int32Array(job.ctrl);
const cap = (raw: Buffer): number | undefined => gunzipCap(raw, { gzipLimit: job.gzipLimit });

/** The next run of files, claimed so that the other thread will not read them too; null when none are left. */
function claim(): { from: number; to: number } | null {
  for (;;) {
    const from = Atomics.load(ctrl, CTRL.next);
    if (from >= job.files.length) return null;
    let to = from;
    let raw = 0;
    while (to < job.files.length && to - from < BATCH.files && (to === from || raw + job.files[to].size <= BATCH.rawBytes)) raw += job.files[to++].size;
    if (Atomics.compareExchange(ctrl, CTRL.next, from, to) === from) return { from, to };
  }
}

let readPool = Buffer.allocUnsafe(BATCH.rawBytes);

/** The files' bytes, read into one buffer; a file that cannot be read is left to the other thread, which reports why. */
function readRun(from: number, to: number): { files: RawFile[]; joined: Buffer | undefined; unread: number[] } {
  let total = 0;
  for (let i = from; i < to; i++) total += job.files[i].size;
  // One read buffer for every batch: a batch is unzipped (and its plain files copied out) before the next is read.
  if (total > readPool.length) readPool = Buffer.allocUnsafe(sizeClass(total));
  const buf = readPool.subarray(0, total);
  const files: RawFile[] = [];
  const unread: number[] = [];
  let at = 0;
  let whole = true;
  for (let i = from; i < to; i++) {
    const size = job.files[i].size;
    try {
      const fd = openSync(job.files[i].path, 'r');
      let n = 0;
      try {
        for (let got = -1; got !== 0 && n < size; n += got) got = readSync(fd, buf, at + n, size - n, n);
      } finally {
        closeSync(fd);
      }
      files.push({ index: i, raw: buf.subarray(at, at + n) });
      if (n !== size) whole = false;
      at += n;
    } catch {
      unread.push(i);
      whole = false;
    }
  }
  return { files, joined: whole ? buf : undefined, unread };
}

/** Moved, not copied, when it has a buffer of its own (a small one may sit in Node's shared pool). */
function post(m: Extract<UnzipMessage, { type: 'batch' }>): void {
  const ab = m.text.buffer;
  if (ab.byteLength >= 64 << 10 && !(ab instanceof SharedArrayBuffer)) parentPort?.postMessage(m, [ab]);
  else parentPort?.postMessage({ ...m, text: new Uint8Array(m.text) });
}

for (;;) {
  while (Atomics.load(ctrl, CTRL.stop) === 0) {
    const inFlight = Atomics.load(ctrl, CTRL.inFlight);
    if (inFlight < MAX_IN_FLIGHT) break;
    Atomics.wait(ctrl, CTRL.inFlight, inFlight, 250);
  }
  if (Atomics.load(ctrl, CTRL.stop) !== 0) break;
  const run = claim();
  if (!run) break;
  const { files, joined, unread } = readRun(run.from, run.to);
  const batch = unzipBatch(files, cap, joined);
  Atomics.add(ctrl, CTRL.inFlight, 1);
  post({ type: 'batch', from: run.from, to: run.to, text: batch.text, spans: batch.spans, unread: [...unread, ...batch.unread] });
}
parentPort?.postMessage({ type: 'end' } satisfies UnzipMessage);
