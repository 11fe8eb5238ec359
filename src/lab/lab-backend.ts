/**
 * The lab's backend: a plain Node http server, like the Express app in the source article,
 * whose keep-alive timeout can be changed while it runs.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LabBackend {
  url: string;
  port: number;
  /** Requests the backend received and answered. */
  readonly requests: number;
  /** Idle keep-alive connections the backend closed after its timeout. */
  readonly closedIdle: number;
  readonly keepAliveMs: number;
  /** Applies at once, to idle connections too (their idle time so far counts). */
  setKeepAlive(ms: number): void;
  close(): Promise<void>;
}

export interface LabBackendOptions {
  keepAliveMs: number;
}

/** Node ≥ 24.6 has this; @types/node 20 does not know it. */
type ServerWithBuffer = http.Server & { keepAliveTimeoutBuffer?: number };

export async function startLabBackend(opts: LabBackendOptions): Promise<LabBackend> {
  let requests = 0;
  let closedIdle = 0;
  let keepAliveMs = opts.keepAliveMs;
  const sockets = new Set<Socket>();
  /** Idle connections: when they went idle, and the timer that closes them. */
  const idle = new Map<Socket, { since: number; timer: NodeJS.Timeout }>();
  const closeWhenIdle = (socket: Socket, since: number): void => {
    idle.set(socket, {
      since,
      timer: setTimeout(() => {
        idle.delete(socket);
        closedIdle++;
        socket.destroy();
      }, Math.max(0, since + keepAliveMs - performance.now())),
    });
  };
  const server: ServerWithBuffer = http.createServer((req, res) => {
    requests++;
    clearTimeout(idle.get(req.socket)?.timer);
    idle.delete(req.socket);
    req.resume();
    const body = JSON.stringify({ ok: true, from: 'lab-backend', path: req.url });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Powered-By': 'Express' });
    res.end(body);
    res.on('finish', () => {
      if (!req.socket.destroyed) closeWhenIdle(req.socket, performance.now());
    });
  });
  // Node 20 and 22 close an idle connection 1 s after keepAliveTimeout (a fixed buffer; Node
  // ≥ 24.6 calls it keepAliveTimeoutBuffer). A fixed second does not scale with the lab, so
  // the backend closes idle connections itself, at exactly keepAliveTimeout and the way Node
  // does (socket.destroy(): a FIN). keepAliveTimeout is still set, so the `Keep-Alive:
  // timeout=N` header reads as Node's; Node's own later timer never gets to fire.
  server.keepAliveTimeout = keepAliveMs;
  server.keepAliveTimeoutBuffer = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      clearTimeout(idle.get(s)?.timer);
      idle.delete(s);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() { return requests; },
    get closedIdle() { return closedIdle; },
    get keepAliveMs() { return keepAliveMs; },
    setKeepAlive(ms) {
      keepAliveMs = ms;
      server.keepAliveTimeout = ms;
      // Node would keep the old timer on connections idle right now, so one more 502 could
      // follow the change; the lab applies it to them too, so that every 502 counted after
      // a change is that setting's doing and the before/after split stays clean.
      for (const [socket, { since, timer }] of idle) {
        clearTimeout(timer);
        closeWhenIdle(socket, since);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { timer } of idle.values()) clearTimeout(timer);
        idle.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
