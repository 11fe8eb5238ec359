import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
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
  /** Addresses of the name that refused or were unreachable before `ip` answered (dual stack). */
  failedAddresses?: { ip: string; error: NetError }[];
}

export interface HttpProbeEvidence {
  url: string;
  host: string;
  port: number;
  /** Addresses the name resolved to; attempts rotate over them. */
  addresses: string[];
  attempts: HttpAttempt[];
  startedAt: string;
  /** Set when the probe stopped before `count` requests: a silent backend or the overall bound. */
  stopped?: { reason: 'silent' | 'budget'; notSent: number; budgetMs: number };
}

export type Lookup = (host: string) => Promise<string[]>;

export interface HttpProbeOptions {
  target: ProbeTarget;
  /** How many requests; bounded to 1..100 by the caller. */
  count: number;
  /** Per request, from DNS to the last body byte. */
  timeoutMs?: number;
  /** Bound on the whole probe (default 60 s, at least one request's timeout). */
  totalTimeoutMs?: number;
  /** SNI name for https (default: the URL's host when it is a name). */
  servername?: string;
  /** PEM file with extra trust anchors for https (a private CA). */
  caFile?: string;
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

function oneAttempt(opts: HttpProbeOptions, attempt: number, ip: string, dnsMs: number, t0: number, ca?: Buffer): Promise<HttpAttempt> {
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
      ca,
      servername: target.tls ? (opts.servername ?? (isIP(target.host) ? undefined : target.host)) : undefined,
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

/** Connect errors after which another address of the same name may still answer. */
const TRY_NEXT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

/** Consecutive timeouts after which the backend counts as silent and the rest is not sent. */
const SILENT_AFTER = 2;

/**
 * Sends `count` GET requests to the target, one after another, rotating over every
 * address the name resolves to so an intermittent 502 from one LB node shows up.
 * Like the TCP connect (happy eyeballs), an address that refuses or is unreachable does not
 * fail the attempt while another one answers. Never throws: failures are recorded per attempt.
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
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const budgetMs = Math.max(opts.totalTimeoutMs ?? 60_000, timeoutMs);
  const started = performance.now();
  let ca: Buffer | undefined;
  if (target.tls && opts.caFile) {
    try {
      ca = readFileSync(opts.caFile);
    } catch (err) {
      evidence.attempts.push({ attempt: 1, timings: {}, error: { code: 'ECAFILE', message: `cannot read the CA file ${opts.caFile}: ${describeNetError(err).message}`, phase: 'tls' } });
      return evidence;
    }
  }
  let timeouts = 0;
  for (let i = 1; i <= opts.count; i++) {
    if (opts.signal?.aborted) break;
    const left = opts.count - i + 1;
    if (timeouts >= SILENT_AFTER) {
      evidence.stopped = { reason: 'silent', notSent: left, budgetMs };
      break;
    }
    // A request may take up to timeoutMs: start one only if it fits in the overall bound.
    if (i > 1 && performance.now() - started + timeoutMs > budgetMs) {
      evidence.stopped = { reason: 'budget', notSent: left, budgetMs };
      break;
    }
    opts.onAttempt?.(i, opts.count);
    const t0 = performance.now();
    let addresses: string[];
    try {
      addresses = isIP(target.host) ? [target.host] : await withTimeout(resolve(target.host), timeoutMs);
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
    const first = (i - 1) % addresses.length;
    const order = [...addresses.slice(first), ...addresses.slice(0, first)];
    const dnsMs = performance.now() - t0;
    const failed: { ip: string; error: NetError }[] = [];
    let result: HttpAttempt | undefined;
    for (const ip of order) {
      result = await oneAttempt(opts, i, ip, dnsMs, t0, ca);
      const e = result.error;
      if (!(e && e.phase === 'connect' && TRY_NEXT.has(e.code)) || ip === order[order.length - 1]) break;
      failed.push({ ip, error: { code: e.code, message: e.message } });
    }
    if (!result) continue;
    if (failed.length) result.failedAddresses = failed;
    timeouts = result.error?.code === 'TIMEOUT' ? timeouts + 1 : 0;
    evidence.attempts.push(result);
  }
  return evidence;
}
