/**
 * One proxy→backend connection of the lab proxy's pool, driven byte by byte: the proxy must
 * decide itself when a connection is reused and what a close under a request means, which
 * Node's http.Agent would decide for it.
 */
import net from 'node:net';
import { Http1ResponseReader, signalsClose, type ResponseHead } from '../net/http1-response-reader.js';

/** Why a request got no response: each one becomes a 502 (or a 504 for timeout). */
export type UpstreamFailure = 'refused' | 'reset' | 'closed' | 'timeout' | 'invalid';

export interface UpstreamResponse {
  head: ResponseHead;
  body: Buffer;
  /** performance.now() when the first response byte arrived. */
  firstByteAt: number;
  /** performance.now() when the whole response had arrived. */
  endedAt: number;
  /** The connection may carry another request. */
  reusable: boolean;
}

export type Exchange =
  | { ok: true; response: UpstreamResponse }
  | { ok: false; failure: UpstreamFailure; detail: string };

interface Pending {
  reader: Http1ResponseReader;
  chunks: Buffer[];
  firstByteAt?: number;
  untilClose: boolean;
  head?: ResponseHead;
  finish(e: Exchange): void;
}

export class UpstreamConn {
  /** The backend's FIN arrived while the connection sat unused in the pool. */
  finWhileIdle = false;
  /** Requests this connection has carried, this one included. */
  uses = 0;
  private readEnded = false;
  private pending?: Pending;

  private constructor(readonly socket: net.Socket, private readonly onIdleFin: () => void) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.readEnded = true;
      if (this.pending) this.onGone('closed', 'the backend closed the connection (FIN) before a full response');
      else {
        this.finWhileIdle = true;
        this.onIdleFin();
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.pending) return;
      const code = err.code ?? 'ERROR';
      const reset = code === 'ECONNRESET' || code === 'EPIPE';
      this.onGone(reset ? 'reset' : 'closed', `${code}: ${reset ? 'the backend reset the connection' : err.message}`);
    });
    socket.on('close', () => {
      if (this.pending) this.onGone('closed', 'the connection closed before a full response');
    });
  }

  /**
   * Opens a connection with allowHalfOpen, so the backend's FIN does not make Node close our
   * side: the connection stays in the pool looking usable, as it does to a real load balancer.
   */
  static connect(host: string, port: number, timeoutMs: number, onIdleFin: () => void): Promise<UpstreamConn | { failure: UpstreamFailure; detail: string }> {
    return new Promise((resolve) => {
      const socket = net.connect({ host, port, allowHalfOpen: true });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ failure: 'timeout', detail: `connect took more than ${timeoutMs} ms` });
      }, timeoutMs);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ failure: err.code === 'ECONNREFUSED' ? 'refused' : 'reset', detail: `${err.code ?? 'ERROR'} while connecting` });
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new UpstreamConn(socket, onIdleFin));
      });
    });
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  /** Sends one request and waits for its response. Never throws. */
  send(request: Buffer, method: string, timeoutMs: number): Promise<Exchange> {
    this.uses++;
    if (this.socket.destroyed) {
      return Promise.resolve({ ok: false, failure: 'reset', detail: 'the connection had been reset while idle in the pool' });
    }
    return new Promise<Exchange>((resolve) => {
      const timer = setTimeout(() => this.settle({ ok: false, failure: 'timeout', detail: `no response within ${timeoutMs} ms` }), timeoutMs);
      this.pending = {
        reader: new Http1ResponseReader(method),
        chunks: [],
        untilClose: false,
        finish: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const readEndedBefore = this.readEnded;
      this.socket.write(request, () => {
        // The FIN came before the request went out: reading now returns end-of-file at once,
        // which is how a real proxy finds out, and no response can follow a FIN.
        if (readEndedBefore) this.onGone('closed', 'the backend had closed this idle keep-alive connection (FIN) before the request was sent');
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private settle(e: Exchange): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (!e.ok || !e.response.reusable) this.socket.destroy();
    p.finish(e);
  }

  private onGone(failure: UpstreamFailure, detail: string): void {
    const p = this.pending;
    if (p?.untilClose && p.head) {
      // A response without a length ends with the connection.
      this.settle({ ok: true, response: { head: p.head, body: bodyAfterHead(Buffer.concat(p.chunks)), firstByteAt: p.firstByteAt ?? performance.now(), endedAt: performance.now(), reusable: false } });
      return;
    }
    this.settle({ ok: false, failure, detail });
  }

  private onData(chunk: Buffer): void {
    const p = this.pending;
    if (!p) return; // bytes on an idle connection belong to no request
    p.firstByteAt ??= performance.now();
    p.chunks.push(chunk);
    if (p.untilClose) return;
    let state;
    try {
      state = p.reader.feed(chunk);
    } catch (err) {
      this.settle({ ok: false, failure: 'invalid', detail: (err as Error).message });
      return;
    }
    if (!state.done) return;
    if (state.untilClose) {
      p.untilClose = true;
      p.head = state.head;
      return;
    }
    const raw = Buffer.concat(p.chunks);
    const head = state.head;
    const body = bodyAfterHead(raw);
    const chunked = /chunked\s*$/i.test(head.headers['transfer-encoding'] ?? '');
    this.settle({
      ok: true,
      response: { head, body: chunked ? dechunk(body) : body, firstByteAt: p.firstByteAt, endedAt: performance.now(), reusable: !signalsClose(head) && !this.readEnded },
    });
  }
}

/** The bytes after the final (non-1xx) response head. */
function bodyAfterHead(raw: Buffer): Buffer {
  let pos = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', pos);
    if (end < 0) return Buffer.alloc(0);
    const interim = /^HTTP\/\d\.\d 1\d\d/.test(raw.toString('latin1', pos, Math.min(raw.length, pos + 16)));
    if (!interim) return raw.subarray(end + 4);
    pos = end + 4;
  }
}

/** Chunked body to plain bytes; the reader already checked the framing. */
function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = Number.parseInt(body.toString('latin1', pos, eol).split(';')[0].trim(), 16);
    if (!(size > 0)) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
