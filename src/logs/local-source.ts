/** Local inputs: a file, a directory (recursively), a glob, or stdin (`-`). */
import { createReadStream, promises as fsp, statSync } from 'node:fs';
import path from 'node:path';
import { LogSourceError } from './errors.js';

export interface LogInput {
  /** Shown in evidence as `name:line`. */
  name: string;
  /** A local file's path: it can be read synchronously or by a worker thread. */
  path?: string;
  size?: number;
  open(): Promise<NodeJS.ReadableStream>;
  /** The whole file at once, for small files: one read instead of a stream per file. */
  read?(): Promise<Buffer>;
}

const LOG_NAME = /\.(log|txt)(\.gz)?$|\.gz$|error[._-]?log/i;

/**
 * Read buffers sized to the file: fs allocates a full highWaterMark buffer per read, and a
 * directory of thousands of small ELB files would otherwise churn a MiB per file.
 */
export function readChunkSize(size: number): number {
  return Math.min(1 << 20, Math.max(16 << 10, 2 ** Math.ceil(Math.log2(Math.max(1, size + 1)))));
}

export function fileInput(p: string, size: number): LogInput {
  return { name: p, path: p, size, open: async () => createReadStream(p, { highWaterMark: readChunkSize(size) }), read: () => fsp.readFile(p) };
}

export function stdinInput(stdin: NodeJS.ReadableStream): LogInput {
  return { name: 'stdin', open: async () => stdin };
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** Glob → RegExp: `**` any depth, `*` and `?` within one path segment, `[abc]` classes. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, close).replace(/^!/, '^')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function isGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

/**
 * Sizes by synchronous stat: a few microseconds each, where thousands of thread-pool round trips
 * (an S3 prefix download holds one file per node per 5 minutes) cost tens of milliseconds.
 */
function withSizes(files: string[]): LogInput[] {
  return files.map((f) => fileInput(f, statSync(f).size));
}

export async function resolveLocalSource(source: string): Promise<LogInput[]> {
  if (isGlob(source)) {
    const segs = source.split('/');
    const firstWild = segs.findIndex((s) => isGlob(s));
    const base = segs.slice(0, firstWild).join('/') || (source.startsWith('/') ? '/' : '.');
    const files: string[] = [];
    try {
      await walk(base, files);
    } catch {
      throw new LogSourceError(`no files match ${source}`, `check the directory part of the glob (${base}) exists`);
    }
    const re = globToRegExp(path.normalize(source).replace(/^\.\//, ''));
    const matched = files.filter((f) => re.test(path.normalize(f)));
    if (matched.length === 0) throw new LogSourceError(`no files match ${source}`, 'check the pattern; quote it so the shell does not expand it');
    return withSizes(matched);
  }
  let st;
  try {
    st = await fsp.stat(source);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new LogSourceError(`${source}: no such file or directory`, 'check the path, or pass a directory, a glob ("logs/*.log.gz") or s3://bucket/prefix');
    if (code === 'EACCES') throw new LogSourceError(`${source}: permission denied`, `make it readable (ls -l ${source})`);
    throw err;
  }
  if (st.isDirectory()) {
    const files: string[] = [];
    await walk(source, files);
    const logs = files.filter((f) => LOG_NAME.test(path.basename(f)));
    if (logs.length === 0) throw new LogSourceError(`${source}: no log files in this directory`, 'ALB logs end in .log.gz, CLB logs in .log; pass a file or a glob if yours are named otherwise');
    return withSizes(logs);
  }
  return [fileInput(source, st.size)];
}
