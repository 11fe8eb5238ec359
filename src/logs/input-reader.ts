/**
 * Reads inputs into one LogAnalyzer on this thread: small local files synchronously, bigger
 * ones as streams with bounded parallelism. gzip is detected from the magic bytes, not the
 * name. A stream's decompression runs on libuv's thread pool while parsing runs here, so one
 * big file already keeps two cores busy.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createGunzip, gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LogAnalyzer } from './log-analyzer.js';
import type { LogFileParser } from './file-parser.js';
import type { LogInput } from './local-source.js';
import { describeIoError } from './errors.js';
import type { LogProgress } from './types.js';
import type { RunOptions } from './run-options.js';
import { sizeClass } from './unzip-batch.js';


/**
 * highWaterMark is passed through to the Transform although ZlibOptions does not declare it;
 * a deeper buffer lets decompression run ahead of parsing. Output chunks are sized to the
 * input (ELB logs inflate about tenfold) so small files do not each allocate 256 KiB.
 */
function gunzipOptions(compressedSize: number | undefined): { chunkSize: number; highWaterMark: number } {
  const want = compressedSize === undefined ? 256 << 10 : compressedSize * 8;
  const chunkSize = Math.min(1 << 20, Math.max(16 << 10, 2 ** Math.ceil(Math.log2(Math.max(1, want)))));
  return { chunkSize, highWaterMark: Math.min(4 << 20, chunkSize * 16) };
}

async function* countedChunks(first: Buffer, rest: AsyncIterator<unknown>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  onBytes(first.length);
  yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
    onBytes(b.length);
    yield b;
  }
}

/**
 * A gzip file that expands far past what logs do (ELB logs compress about 10–20×) is stopped:
 * a newline bomb would otherwise stream for minutes. Small files are exempt (their ratio says little).
 */
export const GZIP_LIMIT = { ratio: 200, minBytes: 64 * 1024 * 1024 };

export class GzipBombError extends Error {
  override readonly name = 'GzipBombError';
  readonly nextStep = 'if the file is really that big, read it anyway with --no-limit';
  constructor(file: string, expanded: number, compressed: number) {
    super(`${file}: stopped after ${Math.round(expanded / 1024 / 1024)} MB: it expands ${Math.round(expanded / Math.max(1, compressed))}× (more than ${GZIP_LIMIT.ratio}×), which no log does (a gzip bomb?)`);
  }
}

const gunzipAsync = promisify(gunzip);

/**
 * Files this small are read and unzipped whole (zlib still runs on the thread pool): a stream,
 * a gunzip stream and a pipeline per file cost more than the parsing of a 5-minute ELB file.
 */
export const WHOLE_FILE_BYTES = 4 * 1024 * 1024;
const PUSH_BYTES = 1 << 20;
/**
 * Local files this small are read and unzipped synchronously: a thread-pool round trip per
 * open, stat, read, close and unzip costs more than the work, and one file blocks for a few ms.
 */
export const SYNC_FILE_BYTES = 1 << 20;

export function gunzipCap(raw: Buffer, opts: RunOptions): number | undefined {
  const limit = opts.gzipLimit === false ? undefined : (opts.gzipLimit ?? GZIP_LIMIT);
  return limit ? Math.max(limit.minBytes, limit.ratio * raw.length) : undefined;
}

/** readWhole for a small local file, without leaving this thread. */
/**
 * One read buffer for every small file of this thread: a directory of thousands of ELB
 * files would otherwise allocate (and leave for the collector) a buffer per file. Safe to
 * reuse because a small file is read, unzipped and parsed before the next one starts.
 */
let readPool = Buffer.allocUnsafe(64 << 10);

function readPooled(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > readPool.length) readPool = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(size)));
    let n = 0;
    for (let got = -1; got !== 0 && n < size; n += got) got = readSync(fd, readPool, n, size - n, n);
    return readPool.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * One output chunk that just holds the file: gzip's trailer ends with the uncompressed size
 * (ISIZE, mod 2^32), so no list of chunks is concatenated and no byte is allocated twice; the
 * extra 64 bytes keep zlib from asking for another chunk at the very end. A file of several
 * gzip members only names its last one's size: zlib then adds chunks, still correctly.
 */
function outputChunk(raw: Buffer): number {
  const isize = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
  const guess = isize > 0 ? isize + 64 : raw.length * 16;
  return sizeClass(Math.min(64 << 20, guess));
}

function readWholeSync(input: LogInput & { path: string }, opts: RunOptions): { text: Buffer; compressed: number } | undefined {
  const raw = readPooled(input.path);
  if (!(raw[0] === 0x1f && raw[1] === 0x8b)) return { text: raw, compressed: raw.length };
  const cap = gunzipCap(raw, opts);
  try {
    const chunkSize = outputChunk(raw);
    return { text: gunzipSync(raw, cap ? { maxOutputLength: cap, chunkSize } : { chunkSize }), compressed: raw.length };
  } catch (e) {
    if (cap && (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new GzipBombError(input.name, cap, raw.length);
    return undefined;
  }
}

/**
 * A small file read and unzipped in one go; undefined when it must be streamed instead (a cut-off
 * gzip: the stream gives the lines before the cut). A file past the bomb limit throws.
 */
async function readWhole(input: LogInput, opts: RunOptions): Promise<{ text: Buffer; compressed: number } | undefined> {
  const raw = await input.read!();
  if (!(raw[0] === 0x1f && raw[1] === 0x8b)) return { text: raw, compressed: raw.length };
  // maxOutputLength is the bomb limit for a whole-file read: zlib stops there.
  const cap = gunzipCap(raw, opts);
  try {
    return { text: await gunzipAsync(raw, cap ? { maxOutputLength: cap } : {}), compressed: raw.length };
  } catch (e) {
    if (cap && (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new GzipBombError(input.name, cap, raw.length);
    return undefined;
  }
}

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Reads inputs into one analyzer on this thread, one at a time, and reports progress. */
export interface InputReader {
  /** Reads, unzips and parses one input (errors become the analysis' source errors). */
  read(input: LogInput): Promise<void>;
  /** Parses a text another thread read and unzipped; `compressed` bytes were read from disk. */
  parseText(input: LogInput, text: Buffer, compressed: number): void;
  /** Reports progress now (the last report of a run). */
  flush(): void;
}

export function inputReader(an: LogAnalyzer, inputs: LogInput[], opts: RunOptions = {}): InputReader {
  const progress: LogProgress = {
    filesTotal: inputs.length, filesDone: 0, bytesTotal: inputs.reduce((s, i) => s + (i.size ?? 0), 0),
    bytesRead: 0, lines: 0, count502: 0,
  };
  let lastReport = 0;
  const interval = opts.progressIntervalMs ?? 200;
  const report = (force: boolean): void => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < interval) return;
    lastReport = now;
    progress.lines = an.lines;
    progress.count502 = an.count502;
    opts.onProgress({ ...progress });
  };
  const counted = (n: number): void => {
    progress.bytesRead += n;
    an.addBytes(n);
    report(false);
  };
  const pushWhole = (parser: LogFileParser, text: Buffer): void => {
    for (let i = 0; i < text.length; i += PUSH_BYTES) {
      parser.push(text.subarray(i, i + PUSH_BYTES));
      if (opts.signal?.aborted) throw new Error('aborted');
    }
  };

  const read = async (input: LogInput): Promise<void> => {
    const parser = an.openFile(input.name);
    progress.current = input.name;
    let compressed = 0;
    let expanded = 0;
    // Kept apart: the pipeline reports the abort it causes, not the reason for it.
    let bomb: GzipBombError | undefined;
    const onBytes = (n: number): void => {
      compressed += n;
      counted(n);
    };
    try {
      const small = input.size !== undefined && input.size <= SYNC_FILE_BYTES && input.path !== undefined;
      const whole = small ? readWholeSync(input as LogInput & { path: string }, opts)
        : input.read && input.size !== undefined && input.size <= WHOLE_FILE_BYTES ? await readWhole(input, opts) : undefined;
      if (whole) {
        onBytes(whole.compressed);
        pushWhole(parser, whole.text);
        report(false);
        // Let progress, Ctrl+C and the other readers run between synchronous files.
        if (small) await yieldToLoop();
        return;
      }
      const stream = await input.open();
      const it = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      const head = await it.next();
      if (head.done) return;
      let first = Buffer.isBuffer(head.value) ? head.value : Buffer.from(head.value as string);
      if (first.length === 1) {
        // Need two bytes to see the gzip magic.
        const more = await it.next();
        if (!more.done) first = Buffer.concat([first, Buffer.isBuffer(more.value) ? more.value : Buffer.from(more.value as string)]);
      }
      const source = Readable.from(countedChunks(first, it, onBytes), { objectMode: false, highWaterMark: 1 << 20 });
      const gzip = first[0] === 0x1f && first[1] === 0x8b;
      const limit = opts.gzipLimit === false ? undefined : (opts.gzipLimit ?? GZIP_LIMIT);
      const sink = async (chunks: AsyncIterable<Buffer>): Promise<void> => {
        for await (const c of chunks) {
          expanded += c.length;
          if (gzip && limit && expanded > limit.minBytes && expanded > limit.ratio * compressed) throw (bomb = new GzipBombError(input.name, expanded, compressed));
          parser.push(c);
          report(false);
          if (opts.signal?.aborted) throw new Error('aborted');
        }
      };
      if (gzip) {
        await pipeline(source, createGunzip(gunzipOptions(input.size)), sink);
      } else {
        await pipeline(source, sink);
      }
    } catch (err) {
      const b = bomb ?? (err instanceof GzipBombError ? err : undefined);
      const d = b ? { message: b.message, nextStep: b.nextStep } : describeIoError(input.name, err);
      an.addError({ source: input.name, message: `${d.message} (after ${parser.linesRead} lines)`, nextStep: d.nextStep });
    } finally {
      parser.end();
      progress.filesDone++;
      report(false);
    }
  };

  const parseText = (input: LogInput, text: Buffer, compressed: number): void => {
    const parser = an.openFile(input.name);
    progress.current = input.name;
    counted(compressed);
    try {
      pushWhole(parser, text);
    } catch (err) {
      const d = describeIoError(input.name, err);
      an.addError({ source: input.name, message: `${d.message} (after ${parser.linesRead} lines)`, nextStep: d.nextStep });
    } finally {
      parser.end();
      progress.filesDone++;
      report(false);
    }
  };

  return { read, parseText, flush: () => report(true) };
}

/** Reads every input into `an` on this thread (the whole job, or one worker's share). */
export async function readInputs(an: LogAnalyzer, inputs: LogInput[], opts: RunOptions = {}): Promise<void> {
  const reader = inputReader(an, inputs, opts);
  const queue = [...inputs];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, queue.length)) }, async () => {
    for (;;) {
      const next = queue.shift();
      if (!next) return;
      if (opts.signal?.aborted) return;
      await reader.read(next);
    }
  });
  await Promise.all(workers);
  reader.flush();
}
