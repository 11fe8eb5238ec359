/**
 * An ALB-like reverse proxy for the lab, on 127.0.0.1 only. Toward its backend it behaves
 * as an ALB does: a pool of keep-alive connections, an idle timeout after which it closes
 * an unused connection, one attempt per request (no retry), and its own 502 page when the
 * connection it picked is closed under the request. One ALB access-log line per request.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { formatAlbLine, labIdentity, newTraceId, type AlbIdentity, type AlbLogEntry } from './alb-log-line.js';
import { UpstreamConn, type UpstreamFailure } from './upstream-conn.js';

/** The ALB's own 502 page (122 bytes), sent with `Server: awselb/2.0`. */
export const ALB_502_BODY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
const ALB_504_BODY =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n';

export interface LabProxyOptions {
  backend: { host: string; port: number };
  /** The ALB idle timeout (already scaled): pooled connections unused this long are closed. */
  idleTimeoutMs: number;
  /** Where to append the ALB access log; none when absent. */
  logPath?: string;
  /**
   * The lab runs faster than production (every timeout times `scale`); the log is written in
   * production time, so the idle gaps in it are the ones an ALB log would show and
   * `badgate logs` reads it as it would a real one. 1 (the default) writes wall-clock time.
   */
  scale?: number;
  identity?: AlbIdentity;
}

export interface ProxyStats {
  requests: number;
  responses502: number;
  responses504: number;
  connectionsOpened: number;
  connectionsReused: number;
  /** Pooled connections the proxy closed itself after its idle timeout: the safe order. */
  closedByIdleTimeout: number;
  /** FINs from the backend on pooled connections; the proxy does not look at them (see below). */
  backendClosedWhileIdle: number;
  /** Requests sent on a pooled connection the backend had already closed: each one a 502. */
  sentOnClosedConnection: number;
}

export interface LabProxy {
  url: string;
  port: number;
  readonly stats: Readonly<ProxyStats>;
  /**
   * Forgets pooled connections the backend already closed. A fix ships with a backend
   * restart, after which the ALB works on fresh connections; without this, the first
   * reuse of a connection closed before the fix would count as a 502 after it.
   */
  dropClosed(): void;
  close(): Promise<void>;
}

// Hop-by-hop headers end at the proxy (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

function requestBytes(req: http.IncomingMessage, body: Buffer): number {
  let n = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`.length + 2 + body.length;
  for (let i = 0; i < req.rawHeaders.length; i += 2) n += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
  return n;
}

function upstreamRequest(req: http.IncomingMessage, body: Buffer, traceId: string, proxyPort: number): Buffer {
  const dropped = new Set(HOP_BY_HOP);
  for (const name of (req.headers.connection ?? '').split(',')) dropped.add(name.trim().toLowerCase());
  dropped.add('content-length');
  dropped.add('x-amzn-trace-id');
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  let forwardedFor = '';
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const lower = name.toLowerCase();
    if (lower === 'x-forwarded-for') forwardedFor = `${req.rawHeaders[i + 1]}, `;
    else if (!dropped.has(lower) && !lower.startsWith('x-forwarded-')) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  lines.push(
    `X-Forwarded-For: ${forwardedFor}${req.socket.remoteAddress ?? '127.0.0.1'}`,
    'X-Forwarded-Proto: http',
    `X-Forwarded-Port: ${proxyPort}`,
    `X-Amzn-Trace-Id: ${traceId}`,
    'Connection: keep-alive',
  );
  if (body.length || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method ?? 'GET')) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

export async function startLabProxy(opts: LabProxyOptions): Promise<LabProxy> {
  const identity = opts.identity ?? labIdentity();
  const target = `${opts.backend.host}:${opts.backend.port}`;
  const stats: ProxyStats = {
    requests: 0, responses502: 0, responses504: 0, connectionsOpened: 0, connectionsReused: 0,
    closedByIdleTimeout: 0, backendClosedWhileIdle: 0, sentOnClosedConnection: 0,
  };
  const logFd = opts.logPath ? openSync(opts.logPath, 'a') : undefined;
  let closed = false;
  /**
   * Idle connections, most recently used last (taken first). A connection stays here until
   * the proxy's idle timer closes it, even after the backend closed it: a real ALB does not
   * watch idle connections and only finds out when it next writes to one or reads from it.
   * On loopback the race between the backend's FIN and the next request lasts microseconds,
   * so a proxy that dropped connections on FIN would almost never lose it; ignoring the FIN
   * reproduces what the ALB sees across a network, every time the backend closes first.
   */
  const pool: UpstreamConn[] = [];
  const idleTimers = new Map<UpstreamConn, NodeJS.Timeout>();
  const upstreams = new Set<UpstreamConn>();
  const clients = new Set<Socket>();

  const release = (conn: UpstreamConn): void => {
    if (closed || conn.destroyed) {
      conn.destroy();
      upstreams.delete(conn);
      return;
    }
    pool.push(conn);
    idleTimers.set(conn, setTimeout(() => {
      idleTimers.delete(conn);
      pool.splice(pool.indexOf(conn), 1);
      upstreams.delete(conn);
      stats.closedByIdleTimeout++;
      conn.destroy();
    }, opts.idleTimeoutMs));
  };

  const take = async (): Promise<{ conn: UpstreamConn; reused: boolean } | { failure: UpstreamFailure; detail: string }> => {
    const pooled = pool.pop();
    if (pooled) {
      clearTimeout(idleTimers.get(pooled));
      idleTimers.delete(pooled);
      stats.connectionsReused++;
      return { conn: pooled, reused: true };
    }
    const conn = await UpstreamConn.connect(opts.backend.host, opts.backend.port, 10_000, () => stats.backendClosedWhileIdle++);
    if (!(conn instanceof UpstreamConn)) return conn;
    stats.connectionsOpened++;
    upstreams.add(conn);
    return { conn, reused: false };
  };

  const epoch = Date.now();
  const stretch = (d: Date): Date => new Date(epoch + (d.getTime() - epoch) / (opts.scale ?? 1));
  const log = (entry: AlbLogEntry): void => {
    if (logFd !== undefined && !closed) writeSync(logFd, `${formatAlbLine({ ...entry, receivedAt: stretch(entry.receivedAt), answeredAt: stretch(entry.answeredAt) }, identity)}\n`);
  };

  const answerError = (res: http.ServerResponse, status: 502 | 504): void => {
    const body = status === 502 ? ALB_502_BODY : ALB_504_BODY;
    if (status === 502) stats.responses502++;
    else stats.responses504++;
    res.writeHead(status, { Server: 'awselb/2.0', 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, port: number): Promise<void> => {
    const receivedAt = new Date();
    const t0 = performance.now();
    stats.requests++;
    const wroteBefore = req.socket.bytesWritten;
    const body = await readBody(req);
    const traceId = newTraceId(receivedAt);
    const entry: AlbLogEntry = {
      receivedAt, answeredAt: receivedAt, client: `${req.socket.remoteAddress ?? '-'}:${req.socket.remotePort ?? 0}`, target,
      requestProcessing: -1, targetProcessing: -1, responseProcessing: -1, elbStatus: 502, targetStatus: null,
      receivedBytes: requestBytes(req, body), sentBytes: 0, method: req.method ?? 'GET',
      url: `http://${req.headers.host ?? `127.0.0.1:${port}`}${req.url ?? '/'}`, httpVersion: req.httpVersion,
      userAgent: req.headers['user-agent'] ?? '-', traceId,
    };
    res.once('close', () => {
      entry.answeredAt = new Date();
      entry.sentBytes = req.socket.bytesWritten - wroteBefore;
      log(entry);
    });

    const got = await take();
    if (!('conn' in got)) {
      answerError(res, got.failure === 'timeout' ? 504 : 502);
      entry.elbStatus = res.statusCode;
      return;
    }
    const { conn, reused } = got;
    const sentAt = performance.now();
    const closedBeforeSend = conn.finWhileIdle || conn.destroyed;
    // One attempt only: like an ALB, the proxy does not retry on another connection.
    const ex = await conn.send(upstreamRequest(req, body, traceId, port), req.method ?? 'GET', opts.idleTimeoutMs);
    if (!ex.ok) {
      if (reused && closedBeforeSend) stats.sentOnClosedConnection++;
      upstreams.delete(conn);
      answerError(res, ex.failure === 'timeout' ? 504 : 502);
      entry.elbStatus = res.statusCode;
      return;
    }
    const r = ex.response;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.head.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    headers['content-length'] = String(r.body.length);
    const startedAnswer = performance.now();
    res.writeHead(r.head.status, headers);
    res.end(req.method === 'HEAD' ? undefined : r.body);
    Object.assign(entry, {
      requestProcessing: (sentAt - t0) / 1000,
      targetProcessing: (r.firstByteAt - sentAt) / 1000,
      responseProcessing: (startedAnswer - r.endedAt) / 1000,
      elbStatus: r.head.status,
      targetStatus: r.head.status,
    });
    if (r.reusable) release(conn);
    else upstreams.delete(conn);
  };

  const server = http.createServer();
  // The ALB applies the same idle timeout to client connections.
  server.keepAliveTimeout = opts.idleTimeoutMs;
  server.on('connection', (s: Socket) => {
    clients.add(s);
    s.on('close', () => clients.delete(s));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (logFd !== undefined) closeSync(logFd);
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res, port).catch(() => {
      // A bug in the proxy must look like what it is to the trainee: the proxy failed.
      if (!res.headersSent) answerError(res, 502);
      else res.destroy();
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    dropClosed: () => {
      for (const conn of pool.filter((c) => c.finWhileIdle || c.destroyed)) {
        clearTimeout(idleTimers.get(conn));
        idleTimers.delete(conn);
        pool.splice(pool.indexOf(conn), 1);
        upstreams.delete(conn);
        conn.destroy();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const t of idleTimers.values()) clearTimeout(t);
        idleTimers.clear();
        pool.length = 0;
        for (const c of upstreams) c.destroy();
        upstreams.clear();
        for (const s of clients) s.destroy();
        server.close(() => {
          if (logFd !== undefined) closeSync(logFd);
          resolve();
        });
      }),
  };
}
