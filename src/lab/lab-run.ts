/**
 * The keep-alive lab: starts the backend, the ALB-like proxy and the traffic on 127.0.0.1,
 * counts what the client sees, and lets the trainee change the backend keep-alive.
 * All timeouts are production values multiplied by one `scale`, so a test can run the
 * same lab in seconds.
 */
import { startLabBackend } from './lab-backend.js';
import { startLabProxy, type LabProxy, type ProxyStats } from './lab-proxy.js';
import { runTraffic, type TrafficEnd, type TrafficResult } from './lab-traffic.js';

export interface LabConfig {
  /** Multiplies every timeout: 0.2 turns the ALB's 60 s into 12 s. */
  scale: number;
  /** The ALB idle timeout, production seconds. */
  idleTimeoutSeconds: number;
  /** The backend keepAliveTimeout at the start, production seconds (Node's default is 5). */
  keepAliveSeconds: number;
  maxRequests: number;
  /** Wall-clock bound, not scaled. */
  maxDurationMs: number;
  logPath: string;
  random?: () => number;
}

export const LAB_DEFAULTS = {
  scale: 0.2,
  idleTimeoutSeconds: 60,
  keepAliveSeconds: 5,
  maxRequests: 5000,
  maxDurationMs: 5 * 60_000,
} as const;

/** The lab's life split at each keep-alive change: the before/after of a fix. */
export interface LabPhase {
  /** Backend keepAliveTimeout in force, lab milliseconds. */
  keepAliveMs: number;
  /** Number of the first request counted in this phase. */
  fromRequest: number;
  /** When it began (ISO), for `badgate logs --until`. */
  since: string;
  requests: number;
  ok: number;
  bad502: number;
  /** Requests sent after an idle pause longer than the backend keep-alive the lab started with. */
  afterIdleGap: number;
}

export interface LabInfo {
  proxyUrl: string;
  backendUrl: string;
  logPath: string;
  scale: number;
  /** Proxy idle timeout in lab milliseconds, and the production seconds it stands for. */
  idleTimeoutMs: number;
  idleTimeoutSeconds: number;
  maxRequests: number;
  maxDurationMs: number;
}

export interface LabSnapshot {
  elapsedMs: number;
  requests: number;
  ok: number;
  bad502: number;
  /** Other statuses (504 …) and requests that got no HTTP answer. */
  other: number;
  /** 502s in each second since the start. */
  per502: number[];
  phases: LabPhase[];
  backendKeepAliveMs: number;
  backendRequests: number;
  proxy: Readonly<ProxyStats>;
  /** Set once the traffic has ended. */
  ended?: TrafficEnd;
}

/** What the screen needs from a running lab. */
export interface LabControls {
  readonly info: LabInfo;
  snapshot(): LabSnapshot;
  /** Lab milliseconds; applies at once, to idle connections too. */
  setBackendKeepAlive(ms: number): void;
}

export interface LabController extends LabControls {
  /** Resolves when the traffic ends: a bound was reached, or stop() was called. */
  readonly finished: Promise<TrafficEnd>;
  /** Stops the traffic and closes every server and socket; safe to call twice. */
  stop(): Promise<LabSnapshot>;
}

function newPhase(keepAliveMs: number, fromRequest: number): LabPhase {
  return { keepAliveMs, fromRequest, since: new Date().toISOString(), requests: 0, ok: 0, bad502: 0, afterIdleGap: 0 };
}

export async function startLab(cfg: LabConfig): Promise<LabController> {
  const idleTimeoutMs = Math.round(cfg.idleTimeoutSeconds * 1000 * cfg.scale);
  const startKeepAliveMs = Math.round(cfg.keepAliveSeconds * 1000 * cfg.scale);
  const backend = await startLabBackend({ keepAliveMs: startKeepAliveMs });
  let proxy: LabProxy;
  try {
    proxy = await startLabProxy({ backend: { host: '127.0.0.1', port: backend.port }, idleTimeoutMs, logPath: cfg.logPath, scale: cfg.scale });
  } catch (err) {
    await backend.close();
    throw err;
  }
  const started = performance.now();
  const counts = { requests: 0, ok: 0, bad502: 0, other: 0 };
  const per502: number[] = [];
  const phases: LabPhase[] = [newPhase(startKeepAliveMs, 1)];
  let ended: TrafficEnd | undefined;

  const onResult = (r: TrafficResult): void => {
    const second = Math.floor((performance.now() - started) / 1000);
    while (per502.length <= second) per502.push(0);
    const phase = phases[phases.length - 1];
    counts.requests++;
    phase.requests++;
    if (r.pauseBeforeMs > startKeepAliveMs) phase.afterIdleGap++;
    if (r.status !== null && r.status >= 200 && r.status < 300) {
      counts.ok++;
      phase.ok++;
    } else if (r.status === 502) {
      counts.bad502++;
      phase.bad502++;
      per502[second]++;
    } else counts.other++;
  };

  const abort = new AbortController();
  const finished = runTraffic({
    url: `${proxy.url}/`,
    gapAroundMs: startKeepAliveMs,
    idleTimeoutMs,
    maxRequests: cfg.maxRequests,
    maxDurationMs: cfg.maxDurationMs,
    signal: abort.signal,
    random: cfg.random,
    onResult,
  }).then((r) => {
    ended = r.ended;
    return r.ended;
  });

  const snapshot = (): LabSnapshot => ({
    elapsedMs: performance.now() - started,
    ...counts,
    per502: [...per502],
    phases: phases.map((p) => ({ ...p })),
    backendKeepAliveMs: backend.keepAliveMs,
    backendRequests: backend.requests,
    proxy: { ...proxy.stats },
    ended,
  });

  let stopping: Promise<LabSnapshot> | undefined;
  const info: LabInfo = {
    proxyUrl: proxy.url,
    backendUrl: backend.url,
    logPath: cfg.logPath,
    scale: cfg.scale,
    idleTimeoutMs,
    idleTimeoutSeconds: cfg.idleTimeoutSeconds,
    maxRequests: cfg.maxRequests,
    maxDurationMs: cfg.maxDurationMs,
  };
  return {
    info,
    finished,
    snapshot,
    setBackendKeepAlive(ms) {
      backend.setKeepAlive(ms);
      proxy.dropClosed();
      phases.push(newPhase(ms, counts.requests + 1));
    },
    stop() {
      stopping ??= (async () => {
        abort.abort();
        await finished;
        await Promise.all([proxy.close(), backend.close()]);
        return snapshot();
      })();
      return stopping;
    },
  };
}
