/** Errors a user can act on: a one-line message and the next step, never a stack trace. */
import { classifyAwsError } from '../engine/errors.js';

export class LogSourceError extends Error {
  constructor(message: string, readonly nextStep: string) {
    super(message);
    this.name = 'LogSourceError';
  }
}

/** Maps file-system and zlib errors to a message and a next step. */
export function describeIoError(source: string, err: unknown): { message: string; nextStep: string } {
  const e = err as { code?: string; name?: string; message?: string };
  const code = e?.code ?? '';
  if (err instanceof LogSourceError) return { message: err.message, nextStep: err.nextStep };
  if (err && typeof err === 'object' && '$metadata' in err) {
    // An S3 GetObject that failed: the AWS classifier knows the words for it.
    const c = classifyAwsError(err, { action: 's3:GetObject' });
    return { message: `${source}: ${c.message}`, nextStep: c.nextStep };
  }
  if (code === 'ENOENT') return { message: `${source}: no such file or directory`, nextStep: 'check the path, or pass a directory or a glob such as "logs/*.log.gz"' };
  if (code === 'EACCES' || code === 'EPERM') return { message: `${source}: permission denied`, nextStep: `make it readable (ls -l ${source}) or copy it somewhere you can read` };
  if (code === 'EISDIR') return { message: `${source}: is a directory`, nextStep: 'pass the directory itself as the source; badgate reads every log in it' };
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) {
    return { message: `${source}: the gzip stream ends early (truncated download or file still being written)`, nextStep: 'the lines before the cut were analysed; fetch the file again to read the rest' };
  }
  if (code.startsWith('Z_') || /incorrect header check|invalid (block|distance|stored)/i.test(e?.message ?? '')) {
    return { message: `${source}: not a readable gzip file (${e?.message ?? code})`, nextStep: `check it with "gzip -t ${source}"; ALB logs are .log.gz, CLB logs plain .log` };
  }
  return { message: `${source}: ${e?.message ?? String(err)}`, nextStep: 'check the source and try again' };
}
