import net from 'node:net';
import { describeNetError, type NetError } from './net-error.js';

/**
 * open: the handshake completed; refused: RST (nothing listens) — a 502 cause;
 * timeout: no answer at all (a silent drop) — a 504 cause on ALB;
 * unreachable: ICMP host/network unreachable — a 502 cause; dns-error: the name did not resolve.
 */
export type TcpResult = 'open' | 'refused' | 'timeout' | 'unreachable' | 'dns-error' | 'error';

export interface TcpEvidence {
  host: string;
  port: number;
  result: TcpResult;
  /** The address connected to, when known. */
  address?: string;
  connectMs?: number;
  timeoutMs: number;
  checkedAt: string;
  error?: NetError;
}

export interface TcpProbeOptions {
  host: string;
  port: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

function resultOf(code: string): TcpResult {
  switch (code) {
    case 'ECONNREFUSED':
    case 'ECONNRESET':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns-error';
    default:
      return 'error';
  }
}

/** Opens (and at once closes) one TCP connection. Never throws. */
export function probeTcp(opts: TcpProbeOptions): Promise<TcpEvidence> {
  const now = opts.now ?? (() => new Date());
  const timeoutMs = opts.timeoutMs ?? 5000;
  const ev: TcpEvidence = { host: opts.host, port: opts.port, result: 'error', timeoutMs, checkedAt: now().toISOString() };
  return new Promise((resolve) => {
    const t0 = performance.now();
    let settled = false;
    const socket = net.connect({ host: opts.host, port: opts.port });
    const done = (result: TcpResult, err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      ev.result = result;
      ev.address = socket.remoteAddress ?? ev.address;
      if (err) ev.error = describeNetError(err);
      socket.destroy();
      resolve(ev);
    };
    const onAbort = (): void => done('error', Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', (_err: Error | null, address: string) => {
      ev.address = address;
    });
    socket.once('connect', () => {
      ev.connectMs = Math.round((performance.now() - t0) * 10) / 10;
      done('open');
    });
    socket.once('error', (err: unknown) => done(resultOf(describeNetError(err).code), err));
  });
}
