/**
 * What the CloudWatch Logs checks share: the window they read, whether the group exists, log
 * text made safe to keep (control characters and credentials removed), and how a cause found in
 * gateway logs becomes an outcome and a finding.
 */
import type { AwsReader, LogEvent } from '../aws/reader.js';
import { sanitizeText } from '../engine/sanitize.js';
import { scrubSecrets } from '../engine/scrub.js';
import type { Confidence, Finding } from '../engine/vocabulary.js';
import { parseWindow } from '../logs/time-window.js';
import type { LogCause } from '../logs/types.js';
import { windowStart } from './logs-access-log.js';
import { requireAws } from './env.js';
import type { CheckContext } from './types.js';

export const WINDOW_PARAMS = {
  since: { description: 'Start of the window: a duration back from now (30m, 2h) or an ISO time; default 1h' },
  until: { description: 'End of the window (default now)' },
  window: { description: "The run's incident window back from now (--since, e.g. 3h): the window opens at the earlier of the two" },
  limit: { description: 'At most this many log events per search (default 500)' },
} as const;

export interface LogWindow {
  startTime: number;
  endTime: number;
}

export function logWindow(ctx: Pick<CheckContext, 'params' | 'env'>): LogWindow | { error: string } {
  const now = ctx.env.clock.now();
  const w = parseWindow(ctx.params.since || '1h', ctx.params.until || undefined, now);
  if (!w.ok) return { error: w.message };
  const startTime = windowStart(w.sinceMs, ctx.params.window, now) ?? now.getTime() - 3_600_000;
  return { startTime, endTime: w.untilMs ?? now.getTime() };
}

export function eventLimit(params: Record<string, string>, fallback = 500): number | { error: string } {
  const raw = params.limit?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n <= 10_000 ? n : { error: `limit must be a whole number from 1 to 10000, not "${raw}"` };
}

export function windowLabel(w: LogWindow): string {
  const t = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}`;
  return `${t(w.startTime)} → ${t(w.endTime)} UTC`;
}

/** Log text as it may be kept in a journal and shown: no terminal controls, no credentials, bounded. */
export function safeLine(text: string, max = 1000): string {
  const s = scrubSecrets(sanitizeText(text)).replace(/\s+$/, '');
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function safeEvents(events: LogEvent[]): LogEvent[] {
  return events.map((e) => ({ timestamp: e.timestamp, message: safeLine(e.message) }));
}

/** True when the group exists (DescribeLogGroups matches by prefix, so the name must match whole). */
export async function groupExists(aws: AwsReader, name: string): Promise<boolean> {
  const groups = await aws.describeLogGroups(name);
  return groups.some((g) => g.name === name);
}

/** What a phrase-searching log check keeps: the group, the window and limit asked, what came back. */
export interface PhraseRead {
  logGroup: string;
  window?: LogWindow;
  exists?: boolean;
  events: LogEvent[];
  limit?: number;
  /** Searches that returned as many events as the limit: there may be more. */
  capped: string[];
  paramError?: string;
}

/**
 * The collect step both phrase-searching checks share: the window and limit from the params, then the
 * group (missing is an answer, not an error), then one read per phrase.
 */
export async function collectPhrases<E extends PhraseRead>(ctx: Pick<CheckContext, 'params' | 'env' | 'signal' | 'progress'>, base: E, patterns: readonly string[]): Promise<E> {
  const window = logWindow(ctx);
  if ('error' in window) return { ...base, paramError: window.error };
  const limit = eventLimit(ctx.params);
  if (typeof limit !== 'number') return { ...base, paramError: limit.error };
  const aws = requireAws(ctx);
  ctx.progress(`DescribeLogGroups ${base.logGroup}`);
  if (!(await groupExists(aws, base.logGroup))) return { ...base, window, limit, exists: false };
  return { ...base, window, limit, exists: true, ...(await readPhrases(ctx, aws, base.logGroup, patterns, window, limit)) };
}

/**
 * One FilterLogEvents per phrase over the window (a phrase each, so one noisy phrase cannot crowd out
 * the others under the limit), merged in time order; `capped` names the phrases that hit the limit.
 */
async function readPhrases(
  ctx: Pick<CheckContext, 'signal' | 'progress'>, aws: AwsReader, logGroup: string, patterns: readonly string[], window: LogWindow, limit: number,
): Promise<{ events: LogEvent[]; capped: string[] }> {
  const lists: LogEvent[][] = [];
  const capped: string[] = [];
  for (const filterPattern of patterns) {
    ctx.signal.throwIfAborted();
    ctx.progress(`FilterLogEvents ${logGroup} ${filterPattern}`);
    const events = await aws.filterLogEvents({ logGroupName: logGroup, filterPattern, ...window, limit });
    if (events.length >= limit) capped.push(filterPattern);
    lists.push(events);
  }
  return { events: safeEvents(mergeEvents(lists)), capped };
}

/** Events of several searches in one list, oldest first, each event once. */
export function mergeEvents(lists: LogEvent[][]): LogEvent[] {
  const seen = new Set<string>();
  const out: LogEvent[] = [];
  for (const e of lists.flat()) {
    const key = `${e.timestamp}\u0000${e.logStreamName ?? ''}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/** The outcome a flow branches on when this cause leads. */
export const CAUSE_OUTCOME: Partial<Record<LogCause, string>> = {
  'lambda-invalid-response': 'lambda-invalid-response',
  'lambda-error-or-timeout': 'lambda-error',
  'lambda-invoke-permission-missing': 'permission',
  'timeout-mismatch': 'integration-timeout',
  'target-generated-502': 'backend-502',
  'apigw-integration-misconfigured': 'integration-config',
  'target-not-listening': 'backend-unreachable',
};

export const GATEWAY_OUTCOMES = ['lambda-invalid-response', 'lambda-error', 'permission', 'integration-timeout', 'backend-502', 'integration-config', 'backend-unreachable', 'unclassified', 'clean', 'no-logs'] as const;

/** API Gateway names these in its own words: a log line that says so is proof. */
const CONFIDENCE: Partial<Record<LogCause, Confidence>> = {
  'lambda-invalid-response': 'confirmed',
  'lambda-error-or-timeout': 'confirmed',
  'lambda-invoke-permission-missing': 'confirmed',
  'timeout-mismatch': 'confirmed',
  'target-generated-502': 'confirmed',
  'apigw-integration-misconfigured': 'likely',
  'target-not-listening': 'likely',
};

export interface CauseCount {
  cause: LogCause;
  count: number;
  /** The reasons seen, most frequent first. */
  whys: [string, number][];
  sample: { at: number; line: string };
  statuses: Record<string, number>;
}

/** Tallies failures by cause, keeping the first line of each as its sample. */
export class CauseCounter {
  private readonly byCause = new Map<LogCause, { count: number; whys: Map<string, number>; sample: { at: number; line: string }; statuses: Map<string, number> }>();

  add(cause: LogCause, why: string, at: number, line: string, status?: number): void {
    let c = this.byCause.get(cause);
    if (!c) {
      c = { count: 0, whys: new Map(), sample: { at, line }, statuses: new Map() };
      this.byCause.set(cause, c);
    }
    c.count++;
    c.whys.set(why, (c.whys.get(why) ?? 0) + 1);
    if (status !== undefined) c.statuses.set(String(status), (c.statuses.get(String(status)) ?? 0) + 1);
  }

  list(): CauseCount[] {
    return [...this.byCause.entries()]
      .map(([cause, c]) => ({ cause, count: c.count, whys: [...c.whys.entries()].sort((a, b) => b[1] - a[1]), sample: c.sample, statuses: Object.fromEntries(c.statuses) }))
      .sort((a, b) => b.count - a.count || (a.cause < b.cause ? -1 : 1));
  }
}

function statusText(s: Record<string, number>): string {
  const e = Object.entries(s);
  return e.length ? `, answered ${e.map(([k, n]) => `${k}×${n}`).join(' ')}` : '';
}

/** One finding per named cause; `unclassified` stays in the details. */
export function findingsFor(counts: CauseCount[], where: string): Finding[] {
  return counts.filter((c) => c.cause !== 'unclassified').map((c) => ({
    cause: c.cause,
    confidence: CONFIDENCE[c.cause] ?? 'likely',
    strength: 'measured' as const,
    evidence: [
      `${c.count} failed request(s) in ${where}${statusText(c.statuses)}: ${c.whys[0][0]}${c.whys.length > 1 ? ` (and ${c.whys.length - 1} other reason(s))` : ''}`,
      `e.g. ${new Date(c.sample.at).toISOString()} ${c.sample.line.slice(0, 300)}`,
    ],
  }));
}

export function detailLines(counts: CauseCount[]): string[] {
  return counts.flatMap((c) => [
    `${c.cause}: ${c.count}${statusText(c.statuses)}`,
    ...c.whys.slice(0, 3).map(([why, n]) => `  ${n}× ${why}`),
    `  e.g. ${new Date(c.sample.at).toISOString()} ${c.sample.line.slice(0, 300)}`,
  ]);
}
