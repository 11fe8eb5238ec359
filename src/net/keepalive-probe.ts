import { describeNetError, type NetError } from './net-error.js';
import { signalsClose, type ResponseHead } from './http1-response-reader.js';
import { ProbeConnection, type ClosedBy } from './probe-connection.js';
import type { ProbeTarget } from './target.js';

/** Gateway idle timeouts badgate accepts: the ALB's and CLB's range is 1-4000 s. */
export const MAX_IDLE_TIMEOUT_SECONDS = 4000;
/** Longest keep-alive wait: the largest idle timeout plus the 15 s margin the probe command adds. */
export const MAX_KEEPALIVE_WAIT_SECONDS = MAX_IDLE_TIMEOUT_SECONDS + 15;

export interface KeepAliveResponse {
  status: number;
  httpVersion: string;
  server?: string;
  poweredBy?: string;
  connection?: string;
  /** The `Keep-Alive: timeout=N` hint, when the server sends one. */
  keepAlive?: string;
  /** Hints at the backend when Server is missing (Tomcat, Varnish). */
  contentType?: string;
  setCookie?: string;
  via?: string;
  xVarnish?: string;
}

/** What happened on a second request sent just before the measured close. */
export interface RaceConfirmation {
  /** Idle time before the second request was sent. */
  sentAfterMs: number;
  answered: boolean;
  status?: number;
  /** Set when the connection ended instead of an answer: what a gateway turns into a 502. */
  closedBy?: ClosedBy;
  /** The server closed even before the second request went out (its timeout varies). */
  closedBeforeSend?: boolean;
  error?: NetError;
}

export interface KeepAliveEvidence {
  target: string;
  startedAt: string;
  maxWaitMs: number;
  /**
   * closed: the server closed the idle connection after `idleMs`;
   * still-open: it was open after `idleMs` = the whole max wait;
   * no-keepalive: the server ends the connection after each response;
   * error: the probe could not get one response (`error` says why).
   */
  result: 'closed' | 'still-open' | 'no-keepalive' | 'error';
  response?: KeepAliveResponse;
  closedBy?: ClosedBy;
  idleMs?: number;
  error?: NetError & { phase: 'connect' | 'response' };
  confirm?: RaceConfirmation;
}

export interface KeepAliveOptions {
  target: ProbeTarget;
  maxWaitMs: number;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called every `tickMs` while waiting on the idle connection. */
  onTick?: (elapsedMs: number, maxWaitMs: number) => void;
  tickMs?: number;
  now?: () => Date;
}

function describeResponse(head: ResponseHead): KeepAliveResponse {
  const h = head.headers;
  return {
    status: head.status,
    httpVersion: head.httpVersion,
    server: h.server,
    poweredBy: h['x-powered-by'],
    connection: h.connection,
    keepAlive: h['keep-alive'],
    contentType: h['content-type'],
    setCookie: h['set-cookie'],
    via: h.via,
    xVarnish: h['x-varnish'],
  };
}

function round(ms: number): number {
  return Math.round(ms);
}

async function connectAndRequest(
  opts: KeepAliveOptions,
): Promise<{ conn: ProbeConnection; head: ResponseHead; untilClose: boolean; endedAt: number } | { error: NetError & { phase: 'connect' | 'response' } }> {
  let conn: ProbeConnection;
  try {
    conn = await ProbeConnection.open(opts.target, opts.connectTimeoutMs ?? 10_000, opts.signal);
  } catch (err) {
    return { error: { ...describeNetError(err), phase: 'connect' } };
  }
  const onAbort = (): void => conn.destroy();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const r = await conn.request(opts.responseTimeoutMs ?? 10_000);
    return { conn, ...r };
  } catch (err) {
    conn.destroy();
    const e = opts.signal?.aborted ? { code: 'ABORT_ERR', message: 'aborted' } : describeNetError(err);
    return { error: { ...e, phase: 'response' } };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Opens a keep-alive connection, sends one request, then times how long the server
 * keeps the idle connection before closing it, up to `maxWaitMs`. Never throws.
 */
export async function measureKeepAlive(opts: KeepAliveOptions): Promise<KeepAliveEvidence> {
  const now = opts.now ?? (() => new Date());
  const evidence: KeepAliveEvidence = { target: opts.target.display, startedAt: now().toISOString(), maxWaitMs: opts.maxWaitMs, result: 'error' };
  const first = await connectAndRequest(opts);
  if ('error' in first) {
    evidence.error = first.error;
    return evidence;
  }
  const { conn, head, untilClose, endedAt } = first;
  evidence.response = describeResponse(head);
  if (untilClose || signalsClose(head)) {
    conn.destroy();
    evidence.result = 'no-keepalive';
    return evidence;
  }
  const tickMs = opts.tickMs ?? 5000;
  const ticker = opts.onTick
    ? setInterval(() => opts.onTick?.(performance.now() - endedAt, opts.maxWaitMs), tickMs)
    : undefined;
  const closed = await conn.waitForClose(Math.max(0, opts.maxWaitMs - (performance.now() - endedAt)), opts.signal);
  if (ticker) clearInterval(ticker);
  conn.destroy();
  if (!closed) {
    if (opts.signal?.aborted) {
      evidence.error = { code: 'ABORT_ERR', message: 'aborted', phase: 'response' };
      return evidence;
    }
    evidence.result = 'still-open';
    evidence.idleMs = round(performance.now() - endedAt);
    return evidence;
  }
  evidence.result = 'closed';
  evidence.idleMs = round(Math.max(0, closed.at - endedAt));
  evidence.closedBy = closed.by === 'rst' ? 'rst' : 'fin';
  return evidence;
}

/**
 * Shows the race: on a fresh connection, waits until just before the measured close
 * and sends a second request. An unanswered close there is the gateway's 502.
 */
export async function confirmRace(opts: KeepAliveOptions, idleMs: number): Promise<RaceConfirmation> {
  // Lead time: enough for the request to reach the server before its timer fires.
  const lead = Math.min(200, Math.max(10, idleMs * 0.02));
  const sentAfter = Math.max(0, idleMs - lead);
  const first = await connectAndRequest(opts);
  if ('error' in first) return { sentAfterMs: 0, answered: false, error: first.error };
  const { conn, endedAt } = first;
  try {
    const early = await conn.waitForClose(Math.max(0, sentAfter - (performance.now() - endedAt)), opts.signal);
    const sentAfterMs = round(performance.now() - endedAt);
    if (early) return { sentAfterMs, answered: false, closedBeforeSend: true, closedBy: early.by === 'rst' ? 'rst' : 'fin' };
    try {
      const second = await conn.request(opts.responseTimeoutMs ?? 10_000);
      return { sentAfterMs, answered: true, status: second.head.status };
    } catch (err) {
      const e = describeNetError(err);
      const closedBy = e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'rst' : e.code === 'ECONNCLOSED' ? 'fin' : undefined;
      return { sentAfterMs, answered: false, closedBy, error: closedBy ? undefined : e };
    }
  } finally {
    conn.destroy();
  }
}
