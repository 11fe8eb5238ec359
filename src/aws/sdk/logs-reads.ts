/**
 * CloudWatch Logs reads: FilterLogEvents and DescribeLogGroups (paged), and Logs Insights
 * queries (StartQuery, then GetQueryResults until the query ends; StopQuery when cancelled).
 */
import {
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvent, LogEventsQuery, LogGroup, LogsQuery, LogsQueryResult } from '../reader.js';

/** FilterLogEvents answers at most 10,000 events a page. */
const PAGE_MAX = 10_000;

export async function filterLogEvents(client: CloudWatchLogsClient, q: LogEventsQuery): Promise<LogEvent[]> {
  const out: LogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const res = await client.send(new FilterLogEventsCommand({
      logGroupName: q.logGroupName,
      ...(q.filterPattern ? { filterPattern: q.filterPattern } : {}),
      startTime: q.startTime,
      endTime: q.endTime,
      limit: Math.min(PAGE_MAX, q.limit - out.length),
      ...(nextToken ? { nextToken } : {}),
    }));
    for (const e of res.events ?? []) {
      if (out.length >= q.limit) break;
      out.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '', ...(e.logStreamName ? { logStreamName: e.logStreamName } : {}) });
    }
    // A page can be empty while more remain (the service searches in slices): follow the token.
    nextToken = res.nextToken;
  } while (nextToken && out.length < q.limit);
  return out;
}

export async function describeLogGroups(client: CloudWatchLogsClient, prefix: string): Promise<LogGroup[]> {
  const out: LogGroup[] = [];
  let nextToken: string | undefined;
  do {
    const res = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, ...(nextToken ? { nextToken } : {}) }));
    for (const g of res.logGroups ?? []) {
      if (!g.logGroupName) continue;
      out.push({
        name: g.logGroupName,
        ...(g.creationTime ? { createdAt: new Date(g.creationTime).toISOString() } : {}),
        ...(g.retentionInDays !== undefined ? { retentionDays: g.retentionInDays } : {}),
        ...(g.storedBytes !== undefined ? { storedBytes: g.storedBytes } : {}),
      });
    }
    nextToken = res.nextToken;
  } while (nextToken);
  return out;
}

const DONE = new Set(['Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown']);

export interface PollOptions {
  /** First wait between GetQueryResults calls; it doubles up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Give up (and stop the query) after this long; Insights itself ends a query at 60 min. */
  timeoutMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class LogsQueryTimeoutError extends Error {
  override readonly name = 'LogsQueryTimeoutError';
}

export async function queryLogs(client: CloudWatchLogsClient, q: LogsQuery, signal?: AbortSignal, poll: PollOptions = {}): Promise<LogsQueryResult> {
  const started = await client.send(new StartQueryCommand({
    logGroupNames: q.logGroupNames,
    queryString: q.queryString,
    // Insights takes whole seconds.
    startTime: Math.floor(q.startTime / 1000),
    endTime: Math.ceil(q.endTime / 1000),
    limit: q.limit,
  }));
  const queryId = started.queryId ?? '';
  const stop = async () => {
    // Best effort: the query may have ended on its own meanwhile.
    await client.send(new StopQueryCommand({ queryId })).catch(() => undefined);
  };
  const deadline = Date.now() + (poll.timeoutMs ?? 120_000);
  let wait = poll.intervalMs ?? 500;
  try {
    for (;;) {
      const res = await client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: signal });
      const status = res.status ?? 'Unknown';
      if (DONE.has(status)) {
        const rows = (res.results ?? []).map((fields) => Object.fromEntries(fields.filter((f) => f.field).map((f) => [f.field as string, f.value ?? ''])));
        return { status, rows };
      }
      if (Date.now() >= deadline) {
        await stop();
        throw new LogsQueryTimeoutError(`Logs Insights query ${queryId} still ${status} after ${Math.round((poll.timeoutMs ?? 120_000) / 1000)} s; stopped it`);
      }
      await sleep(wait, signal);
      wait = Math.min(wait * 2, poll.maxIntervalMs ?? 5_000);
    }
  } catch (e) {
    if (signal?.aborted) await stop();
    throw e;
  }
}
