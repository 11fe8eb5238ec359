import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Servers started by one test file; `closeAll` in afterAll. */
const open: { close(): Promise<void> }[] = [];

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

function track(server: net.Server): { port: number; close(): Promise<void> } {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const handle = {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  open.push(handle);
  return handle;
}

export async function startHttp(
  handler: http.RequestListener,
  setup?: (server: http.Server) => void,
): Promise<{ port: number; server: http.Server; close(): Promise<void> }> {
  const server = http.createServer(handler);
  setup?.(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { ...track(server), server };
}

export async function startRaw(onConnection: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return track(server);
}

/** A port nothing listens on: bind, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The stock ALB 502 page, byte for byte as the ALB sends it. */
export const ALB_502_BODY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>awselb/2.0</center>\r\n</body>\r\n</html>\r\n';

export function answerLikeAlb502(res: http.ServerResponse): void {
  res.writeHead(502, { Server: 'awselb/2.0', 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(ALB_502_BODY) });
  res.end(ALB_502_BODY);
}

/**
 * Ground truth for keep-alive tests: per connection, ms from the server finishing its
 * last response to the socket closing, as the server itself saw it.
 */
export function recordServerIdle(server: http.Server | https.Server): number[] {
  const idle: number[] = [];
  const finishedAt = new WeakMap<net.Socket, number>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    finishedAt.delete(socket);
    res.on('finish', () => finishedAt.set(socket, performance.now()));
  });
  // For https the request's socket is the TLS socket, announced by 'secureConnection'.
  server.on(server instanceof https.Server ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    socket.on('close', () => {
      const at = finishedAt.get(socket);
      if (at !== undefined) idle.push(performance.now() - at);
    });
  });
  return idle;
}
