/**
 * Steady client traffic through the lab proxy with idle gaps, one request at a time,
 * bounded by a request count and a duration, stoppable with an AbortSignal.
 */
import http from 'node:http';

export type PauseKind = 'steady' | 'gap' | 'long';

export interface TrafficResult {
  /** 1-based request number. */
  n: number;
  /** null when the request failed without an HTTP answer. */
  status: number | null;
  error?: string;
  /** The idle time before this request was sent. */
  pauseBeforeMs: number;
  pauseKind: PauseKind;
}

export type TrafficEnd = 'max-requests' | 'max-duration' | 'stopped';

export interface TrafficOptions {
  url: string;
  /** Idle gaps are drawn around this: the backend's keep-alive when the lab starts. */
  gapAroundMs: number;
  /** Long gaps stay under this: the proxy's idle timeout. */
  idleTimeoutMs: number;
  maxRequests: number;
  maxDurationMs: number;
  signal?: AbortSignal;
  /** A number in [0, 1); tests pass a seeded one. */
  random?: () => number;
  onResult?: (r: TrafficResult) => void;
}

/**
 * Mostly steady traffic; a quarter of the pauses are idle gaps between 0.5× and 1.5× the
 * backend keep-alive (about half of them outlast it), and one in twenty is a long gap just
 * under the proxy idle timeout, so a "fix" that only narrows the gap still shows 502s.
 */
export function nextPause(random: () => number, gapAroundMs: number, idleTimeoutMs: number): { ms: number; kind: PauseKind } {
  const r = random();
  if (r < 0.05) return { ms: idleTimeoutMs * (0.5 + 0.4 * random()), kind: 'long' };
  if (r < 0.3) return { ms: gapAroundMs * (0.5 + random()), kind: 'gap' };
  return { ms: gapAroundMs * (0.05 + 0.2 * random()), kind: 'steady' };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Each request opens its own client connection (Connection: close), so the only keep-alive
 * in play is the proxy's pool toward the backend, the one the lab is about.
 */
function get(url: string, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number | null; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, headers: { Connection: 'close', 'User-Agent': 'badgate-lab/0.1' }, signal }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? null }));
      res.on('error', (e) => resolve({ status: null, error: e.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: null, error: e.code ?? e.message }));
  });
}

export async function runTraffic(opts: TrafficOptions): Promise<{ sent: number; ended: TrafficEnd }> {
  const random = opts.random ?? Math.random;
  const deadline = performance.now() + opts.maxDurationMs;
  // The proxy answers 504 after its idle timeout; this only guards against a stuck socket.
  const timeoutMs = opts.idleTimeoutMs + 5000;
  let sent = 0;
  let pause: { ms: number; kind: PauseKind } = { ms: 0, kind: 'steady' };
  for (;;) {
    if (opts.signal?.aborted) return { sent, ended: 'stopped' };
    if (sent >= opts.maxRequests) return { sent, ended: 'max-requests' };
    if (performance.now() >= deadline) return { sent, ended: 'max-duration' };
    sent++;
    const r = await get(opts.url, timeoutMs, opts.signal);
    if (opts.signal?.aborted) return { sent: sent - 1, ended: 'stopped' };
    opts.onResult?.({ n: sent, ...r, pauseBeforeMs: Math.round(pause.ms), pauseKind: pause.kind });
    pause = nextPause(random, opts.gapAroundMs, opts.idleTimeoutMs);
    await sleep(Math.min(pause.ms, deadline - performance.now()), opts.signal);
  }
}
