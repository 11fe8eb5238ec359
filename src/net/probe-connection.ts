import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { codedError } from './net-error.js';
import { Http1ResponseReader, type ResponseHead } from './http1-response-reader.js';
import type { ProbeTarget } from './target.js';

/** How the server ended the connection: a FIN ('end') or a RST (ECONNRESET). */
export type ClosedBy = 'fin' | 'rst';

export interface CloseInfo {
  by: ClosedBy | 'error';
  /** performance.now() when it happened. */
  at: number;
  code?: string;
}

export interface ReadResponse {
  head: ResponseHead;
  untilClose: boolean;
  /** performance.now() when the last byte of the response arrived. */
  endedAt: number;
}

/**
 * One raw HTTP/1.1 connection the probe controls byte by byte, so it can time the
 * moment the server closes an idle keep-alive connection and tell FIN from RST.
 */
export class ProbeConnection {
  private reader?: Http1ResponseReader;
  private pending?: { resolve: (r: ReadResponse) => void; reject: (e: Error) => void };
  private closeInfo?: CloseInfo;
  private closeWaiters: ((c: CloseInfo) => void)[] = [];
  private constructor(private readonly socket: Socket, private readonly target: ProbeTarget) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onClosed({ by: 'fin', at: performance.now() }));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      this.onClosed({ by: err.code === 'ECONNRESET' ? 'rst' : 'error', at: performance.now(), code: err.code }),
    );
    socket.on('close', () => this.onClosed({ by: 'fin', at: performance.now() }));
  }

  /** Connects (TLS for https targets, certificate not verified: only timing matters here). */
  static open(target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<ProbeConnection> {
    return new Promise((resolve, reject) => {
      const socket = target.tls
        ? tls.connect({
            host: target.host,
            port: target.port,
            servername: target.servername ?? (net.isIP(target.host) ? undefined : target.host),
            rejectUnauthorized: false,
            ALPNProtocols: ['http/1.1'],
          })
        : net.connect({ host: target.host, port: target.port });
      const ready = target.tls ? 'secureConnect' : 'connect';
      const fail = (err: Error): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(err);
      };
      const onAbort = (): void => fail(codedError('ABORT_ERR', 'aborted'));
      const timer = setTimeout(() => fail(codedError('TIMEOUT', `connect took more than ${timeoutMs} ms`)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', fail);
      socket.once(ready, () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('error', fail);
        resolve(new ProbeConnection(socket, target));
      });
    });
  }

  get closed(): CloseInfo | undefined {
    return this.closeInfo;
  }

  /** Sends one keep-alive GET and resolves when its response has fully arrived. */
  request(timeoutMs: number): Promise<ReadResponse> {
    if (this.closeInfo) return Promise.reject(this.closedError(this.closeInfo));
    const t = this.target;
    this.reader = new Http1ResponseReader('GET');
    return new Promise<ReadResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(codedError('TIMEOUT', `no complete response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.socket.write(
        `GET ${t.path} HTTP/1.1\r\nHost: ${t.hostHeader}\r\nUser-Agent: badgate-probe/0.1\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`,
      );
    });
  }

  /** Resolves with how the server closed, or undefined once `ms` passed with it still open. */
  waitForClose(ms: number, signal?: AbortSignal): Promise<CloseInfo | undefined> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return new Promise((resolve) => {
      const done = (c: CloseInfo | undefined): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.closeWaiters = this.closeWaiters.filter((w) => w !== done);
        resolve(c);
      };
      const onAbort = (): void => done(undefined);
      const timer = setTimeout(() => done(undefined), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.closeWaiters.push(done);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (!this.pending || !this.reader) return; // bytes while idle are not ours to judge
    try {
      const state = this.reader.feed(chunk);
      if (!state.done) return;
      const p = this.pending;
      this.pending = undefined;
      p.resolve({ head: state.head, untilClose: state.untilClose, endedAt: performance.now() });
    } catch (err) {
      const p = this.pending;
      this.pending = undefined;
      p?.reject(err as Error);
      this.socket.destroy();
    }
  }

  private onClosed(info: CloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    this.socket.destroy();
    if (this.pending) {
      const p = this.pending;
      this.pending = undefined;
      p.reject(this.closedError(info));
    }
    for (const w of [...this.closeWaiters]) w(info);
  }

  private closedError(info: CloseInfo): Error {
    if (info.by === 'error') return codedError(info.code ?? 'ERROR', 'connection failed');
    return codedError(
      info.by === 'rst' ? 'ECONNRESET' : 'ECONNCLOSED',
      info.by === 'rst' ? 'connection reset before a full response' : 'connection closed before a full response',
    );
  }
}
