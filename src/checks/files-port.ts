import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { stableKey, type PortSpec } from '../ports/port.js';
import { loadSource, isS3 } from '../logs/load-source.js';
import { analyzeInputs } from '../logs/run-analysis.js';
import type { AnalyzerOptions } from '../logs/log-analyzer.js';
import type { LogObjectStore } from '../logs/log-object-store.js';
import type { LogAnalysis, LogProgress } from '../logs/types.js';

export interface LogReadRequest {
  source: string;
  sinceMs?: number;
  untilMs?: number;
  /** Keep only this load balancer's files in its bucket. */
  lb?: string;
  analyzer?: AnalyzerOptions;
  signal?: AbortSignal;
  onProgress?(p: LogProgress): void;
}

/** What reading a log source gave: where it looked, how much, and the analysis (the evidence, not the bytes). */
export interface LogRead {
  kind: 'local' | 'stdin' | 's3';
  listed?: number;
  files: number;
  bytes: number;
  analysis: LogAnalysis | null;
}

/** Files and log sources (local, or S3 through the AWS credentials); checks read nothing else. */
export interface FilesPort {
  readText(path: string): Promise<string>;
  readLogs(req: LogReadRequest): Promise<LogRead>;
}

/** The live adapter; S3 sources open the bucket through `openStore` (the AWS port's, when AWS is set up). */
export function liveFiles(openStore?: () => ((bucket: string) => LogObjectStore) | undefined): FilesPort {
  return {
    readText: (path) => readFile(path, 'utf8'),
    async readLogs(req) {
      const s3 = isS3(req.source);
      const loaded = await loadSource(req.source, { sinceMs: req.sinceMs, untilMs: req.untilMs, lb: req.lb, createStore: s3 ? openStore?.() : undefined });
      const base = { kind: loaded.kind, listed: loaded.plan?.listed, files: loaded.inputs.length, bytes: loaded.totalBytes };
      if (!loaded.inputs.length) return { ...base, analysis: null };
      const analysis = await analyzeInputs(loaded.inputs, {
        ...req.analyzer, sinceMs: req.sinceMs, untilMs: req.untilMs, signal: req.signal, concurrency: s3 ? 8 : 2, onProgress: req.onProgress,
      });
      return { ...base, analysis };
    },
  };
}

/** True when `path` is `dir` or inside it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export const FILES_PORT: PortSpec<FilesPort> = {
  name: 'files',
  methods: ['readText', 'readLogs'],
  // A log window is relative to "now", which differs on every replay: match on what was read and how.
  replayKey: (method, args) => {
    if (method !== 'readLogs') return `${method}:${stableKey(args)}`;
    const { source, lb, analyzer } = (args[0] ?? {}) as LogReadRequest;
    return `${method}:${stableKey([{ source, lb, analyzer }])}`;
  },
  describe: (method, args) => {
    if (method === 'readText') return { api: 'probe:file', params: { path: args[0] } };
    const req = args[0] as LogReadRequest;
    return { api: isS3(req.source) ? 's3:GetObject' : 'probe:file', params: { source: req.source, ...(req.sinceMs !== undefined ? { since: new Date(req.sinceMs).toISOString() } : {}), ...(req.untilMs !== undefined ? { until: new Date(req.untilMs).toISOString() } : {}) } };
  },
};
