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
  /** Connections accepted so far. */
  readonly connections: number;
  /** Idle keep-alive connections the backend closed after its timeout. */
  readonly closedIdle: number;
  readonly keepAliveMs: number;
  /** Applies from each connection's next idle period, as changing Node's keepAliveTimeout does. */
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
  let connections = 0;
  let closedIdle = 0;
  let keepAliveMs = opts.keepAliveMs;
  const sockets = new Set<Socket>();
  const idleTimers = new Map<Socket, NodeJS.Timeout>();
  const server: ServerWithBuffer = http.createServer((req, res) => {
    requests++;
    clearTimeout(idleTimers.get(req.socket));
    idleTimers.delete(req.socket);
    req.resume();
    const body = JSON.stringify({ ok: true, from: 'lab-backend', path: req.url });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Powered-By': 'Express' });
    res.end(body);
    res.on('finish', () => {
      const socket = req.socket;
      if (socket.destroyed) return;
      idleTimers.set(socket, setTimeout(() => {
        idleTimers.delete(socket);
        closedIdle++;
        socket.destroy();
      }, keepAliveMs));
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
    connections++;
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      clearTimeout(idleTimers.get(s));
      idleTimers.delete(s);
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
    get connections() { return connections; },
    get closedIdle() { return closedIdle; },
    get keepAliveMs() { return keepAliveMs; },
    setKeepAlive(ms) {
      keepAliveMs = ms;
      server.keepAliveTimeout = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of idleTimers.values()) clearTimeout(t);
        idleTimers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
