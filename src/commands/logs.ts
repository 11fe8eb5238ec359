/**
 * `badgate logs <source> [--since] [--until] [--lb NAME] [--json] [--top N] [--jobs N] [--athena]`.
 * Exit codes: 0 no 502s, 1 502s found and classified, 2 usage or setup error. Every bad
 * input ends in one line saying what is wrong and what to do next, never a stack trace.
 */
import { analyzeInputs } from '../logs/run-analysis.js';
import { loadSource, isS3, type LoadedSource } from '../logs/load-source.js';
import { parseWindow } from '../logs/time-window.js';
import { renderAnalysis } from '../logs/render-text.js';
import { describeIoError, LogSourceError } from '../logs/errors.js';
import type { LogObjectStore } from '../logs/log-object-store.js';
import { analyzeWithAthena, type AthenaQueryRunner } from '../logs/athena-analysis.js';
import { createAlbTableSql, classificationSql, dayOf, type AlbQuerySpec, type AlbTableSpec } from '../logs/athena-sql.js';
import type { LogAnalysis, LogProgress } from '../logs/types.js';

export interface LogsCommandOptions {
  source: string;
  since?: string;
  until?: string;
  lb?: string;
  json: boolean;
  top?: number;
  /** Worker threads for local files; 1 reads on the main thread. */
  jobs?: number;
  athena?: boolean;
  profile?: string;
  region?: string;
  /** Above this many bytes in the window, offer Athena instead of downloading (default 5 GB). */
  maxDownloadBytes?: number;
  /** --no-limit: read gzip files that expand past the bomb limit to their end. */
  noLimit?: boolean;
}

export interface LogsCommandIo {
  out(s: string): void;
  err(s: string): void;
  stdin?: NodeJS.ReadableStream;
  isTTY?: boolean;
}

/** Seams for tests; the CLI uses the defaults (the SDK adapters, loaded lazily). */
export interface LogsCommandDeps {
  now?: () => Date;
  createStore?: (bucket: string) => LogObjectStore;
  createAthena?: () => AthenaQueryRunner;
  classifyAwsError?: (err: unknown) => { message: string; nextStep: string } | null;
}

export const DOWNLOAD_THRESHOLD_BYTES = 5 * 1024 ** 3;
const DEFAULT_S3_WINDOW_MS = 3_600_000;

function gb(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

async function defaultDeps(opts: LogsCommandOptions): Promise<Required<Omit<LogsCommandDeps, 'now'>>> {
  // Loaded only for S3/Athena so local runs never pay for the SDK.
  const [{ createS3LogStore }, { createAthenaQueryRunner }, { classifyAwsError }] = await Promise.all([
    import('../aws/sdk/s3-log-store.js'),
    import('../aws/sdk/athena.js'),
    import('../engine/errors.js'),
  ]);
  return {
    createStore: (bucket) => createS3LogStore({ bucket, profile: opts.profile, region: opts.region }),
    createAthena: () => createAthenaQueryRunner({
      profile: opts.profile, region: opts.region,
      workGroup: process.env.BADGATE_ATHENA_WORKGROUP, outputLocation: process.env.BADGATE_ATHENA_OUTPUT,
    }),
    classifyAwsError: (err) => classifyAwsError(err, { profile: opts.profile }),
  };
}

function isAwsError(err: unknown): boolean {
  const e = err as { $metadata?: unknown; name?: string };
  return Boolean(e && (e.$metadata !== undefined || /Credential|Token|SSO|Region/i.test(e.name ?? '')));
}

function progressPrinter(io: LogsCommandIo): { onProgress: (p: LogProgress) => void; done: () => void } {
  const started = Date.now();
  let shown = false;
  return {
    onProgress: (p) => {
      // Only runs slower than a second get a bar; fast ones stay quiet.
      if (!io.isTTY || Date.now() - started < 1000) return;
      shown = true;
      const frac = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
      const bar = p.bytesTotal ? `[${'#'.repeat(Math.round(frac * 20)).padEnd(20)}] ${Math.round(frac * 100)}% ` : '';
      io.err(`\r${bar}${p.filesDone}/${p.filesTotal} files, ${(p.bytesRead / 1048576).toFixed(1)} MB, ${p.lines} lines, ${p.count502} 502s`);
    },
    done: () => {
      if (shown) io.err('\n');
    },
  };
}

function athenaSpec(opts: LogsCommandOptions, loaded: LoadedSource, sinceMs: number, untilMs: number): AlbTableSpec & AlbQuerySpec {
  const root = loaded.plan?.roots[0] ?? '';
  const m = /AWSLogs\/([^/]+)\/elasticloadbalancing\/([^/]+)\//.exec(root);
  const prefix = (loaded.plan?.prefix ?? '').split('AWSLogs/')[0];
  return {
    database: process.env.BADGATE_ATHENA_DATABASE ?? 'default',
    table: 'badgate_alb_logs',
    bucket: loaded.plan?.bucket ?? '',
    prefix,
    account: m?.[1] ?? 'ACCOUNT_ID',
    region: m?.[2] ?? opts.region ?? 'REGION',
    fromDay: dayOf(sinceMs - 30 * 86_400_000),
    sinceMs,
    untilMs,
    lb: opts.lb,
    top: opts.top,
  };
}

export async function runLogsCommand(opts: LogsCommandOptions, io: LogsCommandIo, deps: LogsCommandDeps = {}): Promise<number> {
  const fail = (message: string, nextStep?: string): number => {
    io.err(`badgate logs: ${message}${nextStep ? `\n  next step: ${nextStep}` : ''}\n`);
    return 2;
  };
  if (!opts.source) return fail('no source given', 'badgate logs <file|dir|glob|-|s3://bucket/prefix> [--since 2h]');
  if (opts.top !== undefined && !(Number.isInteger(opts.top) && opts.top > 0)) return fail(`--top must be a positive whole number, not "${opts.top}"`, 'e.g. --top 10');
  if (opts.jobs !== undefined && !(Number.isInteger(opts.jobs) && opts.jobs >= 1 && opts.jobs <= 64)) return fail(`--jobs must be a whole number from 1 to 64, not "${opts.jobs}"`, 'e.g. --jobs 2 (one per core is the default)');
  const now = deps.now?.() ?? new Date();
  const w = parseWindow(opts.since, opts.until, now);
  if (!w.ok) return fail(w.message, 'e.g. --since 2h, --since 30m, --since 2024-05-01T13:00:00Z');
  let { sinceMs, untilMs } = w;
  const s3 = isS3(opts.source);
  if (s3) {
    untilMs ??= now.getTime();
    if (sinceMs === undefined) {
      sinceMs = untilMs - DEFAULT_S3_WINDOW_MS;
      if (!opts.json) io.err('badgate logs: no --since given; reading the last hour of logs.\n');
    }
  }
  if (opts.athena && !s3) return fail('--athena reads logs in place in S3', 'pass an s3://bucket/prefix source, or drop --athena for local files');

  let full: Required<Omit<LogsCommandDeps, 'now'>> | null = null;
  const need = async (): Promise<Required<Omit<LogsCommandDeps, 'now'>>> => {
    full ??= { ...(await defaultDeps(opts)), ...Object.fromEntries(Object.entries(deps).filter(([, v]) => v !== undefined)) } as Required<Omit<LogsCommandDeps, 'now'>>;
    return full;
  };
  const awsFail = async (err: unknown): Promise<number> => {
    const c = (await need()).classifyAwsError(err);
    return c ? fail(c.message, c.nextStep) : fail(String((err as Error)?.message ?? err), 'check the bucket name, --profile and --region');
  };

  let loaded: LoadedSource;
  try {
    loaded = await loadSource(opts.source, {
      sinceMs, untilMs, region: opts.region, lb: opts.lb, stdin: io.stdin,
      createStore: s3 ? (await need()).createStore : undefined,
    });
  } catch (err) {
    if (err instanceof LogSourceError) return fail(err.message, err.nextStep);
    if (s3 || isAwsError(err)) return awsFail(err);
    const d = describeIoError(opts.source, err);
    return fail(d.message, d.nextStep);
  }

  if (s3 && loaded.inputs.length === 0) {
    const span = `${new Date(sinceMs as number).toISOString()} → ${new Date(untilMs as number).toISOString()}`;
    return fail(`no log files in ${opts.source} for ${span}${opts.lb ? ` and load balancer ${opts.lb}` : ''} (${loaded.plan?.listed ?? 0} files listed in the day folders)`, 'widen --since/--until, check --lb, or check that access logging was enabled then');
  }

  const threshold = opts.maxDownloadBytes ?? DOWNLOAD_THRESHOLD_BYTES;
  let analysis: LogAnalysis;
  if (s3 && (opts.athena || loaded.totalBytes > threshold)) {
    const spec = athenaSpec(opts, loaded, sinceMs as number, untilMs as number);
    if (!opts.athena) {
      io.err(`badgate logs: the window holds ${loaded.inputs.length} files, ${gb(loaded.totalBytes)} compressed: too much to download.\n` +
        '  next step: re-run with --athena to query them in place (read-only; set BADGATE_ATHENA_OUTPUT=s3://… unless your workgroup has an output location), or narrow --since/--until.\n');
      io.out(`-- Athena table over the ALB logs (partition projection; run it once yourself: badgate only reads)\n${createAlbTableSql(spec)};\n\n-- 502s by cause and target\n${classificationSql(spec)};\n`);
      return 2;
    }
    try {
      if (!opts.json) io.err('badgate logs: querying with Athena…\n');
      analysis = await analyzeWithAthena((await need()).createAthena(), spec);
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (/TABLE_NOT_FOUND|EntityNotFound|does not exist|not found/i.test(message)) {
        io.out(`-- badgate only reads from AWS: create the table yourself, then re-run with --athena\n${createAlbTableSql(spec)};\n`);
        return fail(`Athena: the table over the logs does not exist yet (${message})`, 'run the CREATE EXTERNAL TABLE printed above in the Athena console, then re-run');
      }
      if (isAwsError(err)) return awsFail(err);
      return fail(`Athena: ${message}`, 'check the workgroup output location (BADGATE_ATHENA_OUTPUT) and athena:/glue: read permissions');
    }
  } else {
    const progress = progressPrinter(io);
    analysis = await analyzeInputs(loaded.inputs, {
      sinceMs, untilMs, lb: opts.lb, top: opts.top, jobs: opts.jobs, concurrency: s3 ? 8 : 2, onProgress: progress.onProgress,
      ...(opts.noLimit ? { gzipLimit: false as const } : {}),
    });
    progress.done();
    const errors = analysis.files.errors;
    if (errors.length > 0 && analysis.lines.total === 0) {
      const e = errors[0];
      if (s3 && /AccessDenied|Forbidden|403/i.test(e.message)) return fail(e.message, 'the role needs s3:GetObject on the log prefix (badgate iam-policy)');
      return fail(e.message, e.nextStep);
    }
  }

  if (opts.json) io.out(`${JSON.stringify(analysis, null, 2)}\n`);
  else io.out(renderAnalysis(analysis));
  if (analysis.partial && !opts.json) io.err(`badgate logs: partial result: ${analysis.files.errors.length} input(s) failed part-way (see warnings above).\n`);
  if (analysis.requests === 0 && analysis.count502 === 0 && analysis.lines.malformed > 0 && Object.keys(analysis.nginxKinds).length === 0) {
    io.err('badgate logs: no line could be read as an ALB, CLB, CloudFront, App Gateway, API Gateway (access or execution) or Lambda log, or an nginx error log.\n  next step: check the file is an access log (ALB lines start with http/https/h2/ws, CLB lines with a timestamp), or export CloudWatch logs with `aws logs tail GROUP --since 1h > file`.\n');
    return 2;
  }
  return analysis.count502 > 0 ? 1 : 0;
}
