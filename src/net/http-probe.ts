import http from 'node:http';
import https from 'node:https';
import { lookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { codedError, describeNetError, type NetError } from './net-error.js';
import type { ProbeTarget } from './target.js';

/** Where a failed attempt stopped; tells a refused port from a hung server. */
export type HttpPhase = 'dns' | 'connect' | 'tls' | 'response' | 'body';

export interface HttpTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  /** Request start to the first response byte. */
  ttfbMs?: number;
  totalMs?: number;
}

export interface HttpAttempt {
  attempt: number;
  ip?: string;
  status?: number;
  statusText?: string;
  httpVersion?: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers?: Record<string, string>;
  /** The first few KB of the body, for fingerprinting stock error pages. */
  body?: string;
  bodyBytes?: number;
  timings: HttpTimings;
  /** For https: whether the certificate verified (the probe goes on either way). */
  tlsAuthorized?: boolean;
  tlsError?: string;
  error?: NetError & { phase: HttpPhase };
  /** The first bytes the server sent, kept when they were not valid HTTP. */
  rawStart?: string;
}

export interface HttpProbeEvidence {
  url: string;
  host: string;
  port: number;
  /** Addresses the name resolved to; attempts rotate over them. */
  addresses: string[];
  attempts: HttpAttempt[];
  startedAt: string;
}

export type Lookup = (host: string) => Promise<string[]>;

export interface HttpProbeOptions {
  target: ProbeTarget;
  /** How many requests; bounded to 1..100 by the caller. */
  count: number;
  /** Per request, from DNS to the last body byte. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Replaceable resolver (tests); defaults to the system resolver. */
  lookup?: Lookup;
  onAttempt?: (attempt: number, count: number) => void;
  now?: () => Date;
}

const BODY_KEEP = 4096;
const BODY_MAX = 1 << 20;
const RAW_KEEP = 512;

const systemLookup: Lookup = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function joinHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function oneAttempt(opts: HttpProbeOptions, attempt: number, ip: string, dnsMs: number, t0: number): Promise<HttpAttempt> {
  const { target } = opts;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const result: HttpAttempt = { attempt, ip, timings: { dnsMs: round(dnsMs) } };
  const mod = target.tls ? https : http;
  let phase: HttpPhase = 'connect';
  const raw: Buffer[] = [];
  let rawLen = 0;
  const kept: Buffer[] = [];
  let size = 0;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      result.timings.totalMs = round(performance.now() - t0);
      if (result.status !== undefined) {
        result.body = Buffer.concat(kept).subarray(0, BODY_KEEP).toString('utf8');
        result.bodyBytes = size;
      }
      if (err) {
        result.error = { ...describeNetError(err), phase };
        if (result.error.code.startsWith('HPE_') && rawLen) {
          result.rawStart = Buffer.concat(raw).subarray(0, RAW_KEEP).toString('latin1');
        }
      }
      req.destroy();
      resolve(result);
    };
    const req = mod.request({
      host: ip,
      port: target.port,
      path: target.path,
      method: 'GET',
      setHost: false,
      headers: { host: target.hostHeader, 'user-agent': 'badgate-probe/0.1', accept: '*/*', connection: 'close' },
      agent: false,
      // The TLS check reports certificate trouble; here the response itself is wanted.
      rejectUnauthorized: false,
      servername: target.tls && !isIP(target.host) ? target.host : undefined,
    });
    const onAbort = (): void => finish(codedError('ABORT_ERR', 'aborted'));
    const timer = setTimeout(() => finish(codedError('TIMEOUT', `no answer within ${timeoutMs} ms`)), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        result.timings.connectMs = round(performance.now() - t0);
        phase = target.tls ? 'tls' : 'response';
      });
      socket.once('secureConnect', () => {
        result.timings.tlsMs = round(performance.now() - t0);
        const tlsSocket = socket as TLSSocket;
        result.tlsAuthorized = tlsSocket.authorized;
        if (!tlsSocket.authorized && tlsSocket.authorizationError) result.tlsError = String(tlsSocket.authorizationError);
        phase = 'response';
      });
      // Prepended: the client's parser runs on the same event and may fail the request
      // before a later listener would see the bytes that broke it.
      socket.prependListener('data', (chunk: Buffer) => {
        if (result.timings.ttfbMs === undefined) result.timings.ttfbMs = round(performance.now() - t0);
        if (rawLen < RAW_KEEP) {
          raw.push(chunk);
          rawLen += chunk.length;
        }
      });
    });
    req.on('response', (res) => {
      phase = 'body';
      result.status = res.statusCode;
      result.statusText = res.statusMessage;
      result.httpVersion = res.httpVersion;
      result.headers = joinHeaders(res.headers);
      res.on('data', (chunk: Buffer) => {
        if (size < BODY_KEEP) kept.push(chunk);
        size += chunk.length;
        if (size > BODY_MAX) finish(); // enough to judge; the rest is not needed
      });
      res.on('end', () => finish());
      res.on('error', finish);
      res.on('aborted', () => finish(codedError('ECONNRESET', 'response aborted')));
    });
    req.on('error', finish);
    req.end();
  });
}

/** getaddrinfo has no timeout of its own; a hung resolver must not hang the probe. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(codedError('TIMEOUT', `DNS lookup took more than ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Sends `count` GET requests to the target, one after another, rotating over every
 * address the name resolves to so an intermittent 502 from one LB node shows up.
 * Never throws: failures are recorded per attempt.
 */
export async function probeHttp(opts: HttpProbeOptions): Promise<HttpProbeEvidence> {
  const { target } = opts;
  const now = opts.now ?? (() => new Date());
  const evidence: HttpProbeEvidence = {
    url: target.display,
    host: target.host,
    port: target.port,
    addresses: [],
    attempts: [],
    startedAt: now().toISOString(),
  };
  const resolve = opts.lookup ?? systemLookup;
  for (let i = 1; i <= opts.count; i++) {
    if (opts.signal?.aborted) break;
    opts.onAttempt?.(i, opts.count);
    const t0 = performance.now();
    let addresses: string[];
    try {
      addresses = isIP(target.host) ? [target.host] : await withTimeout(resolve(target.host), opts.timeoutMs ?? 10_000);
      if (!addresses.length) throw codedError('ENOTFOUND', 'no addresses');
    } catch (err) {
      evidence.attempts.push({
        attempt: i,
        timings: { dnsMs: round(performance.now() - t0), totalMs: round(performance.now() - t0) },
        error: { ...describeNetError(err), phase: 'dns' },
      });
      continue;
    }
    for (const a of addresses) if (!evidence.addresses.includes(a)) evidence.addresses.push(a);
    const ip = addresses[(i - 1) % addresses.length];
    evidence.attempts.push(await oneAttempt(opts, i, ip, performance.now() - t0, t0));
  }
  return evidence;
}
