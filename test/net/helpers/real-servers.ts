import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real reverse proxies (Debian packages) started on free 127.0.0.1 ports with generated
 * configs, for the captured fingerprint fixtures and the real-server tests. Nothing here
 * touches the packages' own configs, ports or service units.
 */
export type RealServer = 'nginx' | 'apache2' | 'haproxy' | 'lighttpd' | 'varnish' | 'caddy';

const BINARY: Record<RealServer, string> = {
  nginx: 'nginx',
  apache2: 'apache2',
  haproxy: 'haproxy',
  lighttpd: 'lighttpd',
  varnish: 'varnishd',
  caddy: 'caddy',
};

const SEARCH = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/sbin', '/bin'];

/** Full path of the server's binary, or undefined when it is not installed. */
export function findBinary(server: RealServer): string | undefined {
  for (const dir of SEARCH) {
    const p = join(dir, BINARY[server]);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The version line the binary prints, for fixture notes and test names. */
export function versionOf(server: RealServer): string {
  const bin = findBinary(server);
  if (!bin) return 'not installed';
  const args: Record<RealServer, string[]> = {
    nginx: ['-v'], apache2: ['-v'], haproxy: ['-v'], lighttpd: ['-v'], varnish: ['-V'], caddy: ['version'],
  };
  const r = spawnSync(bin, args[server], { encoding: 'utf8', timeout: 5000 });
  return `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).find((l) => l) ?? 'unknown';
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ProxyOptions {
  /** Where the proxy sends requests: a closed port or a misbehaving Node server. */
  upstreamPort: number;
  /** Client-side keep-alive the proxy is configured with, in seconds. */
  keepAliveSeconds: number;
  /** How long the proxy waits for the upstream's response, in seconds (504 tests). */
  upstreamTimeoutSeconds?: number;
}

export interface StartedProxy {
  server: RealServer;
  port: number;
  dir: string;
  stop(): Promise<void>;
  /** What the process printed, for a failing test's message. */
  output(): string;
}

/**
 * The start of an nginx.conf that runs unprivileged in a scratch dir: in the foreground, one
 * process, pid, error log and temp files inside `dir`; it opens the `http {` block.
 */
export function nginxScratchHead(dir: string, errorLevel: 'info' | 'error'): string[] {
  return [
    'daemon off;',
    'master_process off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} ${errorLevel};`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${join(dir, 'tmp-body')};`,
    `  proxy_temp_path ${join(dir, 'tmp-proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'tmp-fcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'tmp-uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'tmp-scgi')};`,
  ];
}

function configFor(server: RealServer, dir: string, port: number, o: ProxyOptions): { args: string[]; files: Record<string, string> } {
  const up = `127.0.0.1:${o.upstreamPort}`;
  const wait = o.upstreamTimeoutSeconds ?? 3;
  const ka = o.keepAliveSeconds;
  switch (server) {
    case 'nginx':
      return {
        args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
        files: {
          'nginx.conf': [
            ...nginxScratchHead(dir, 'info'),
            `  keepalive_timeout ${ka}s;`,
            '  server {',
            `    listen 127.0.0.1:${port};`,
            '    location = /ok { default_type text/plain; return 200 "ok\\n"; }',
            '    location / {',
            `      proxy_pass http://${up};`,
            `      proxy_connect_timeout ${wait}s;`,
            `      proxy_read_timeout ${wait}s;`,
            '    }',
            '  }',
            '}',
            '',
          ].join('\n'),
        },
      };
    case 'apache2': {
      const mods = '/usr/lib/apache2/modules';
      return {
        args: ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'],
        files: {
          'httpd.conf': [
            `ServerRoot ${dir}`,
            `DefaultRuntimeDir ${dir}`,
            `PidFile ${join(dir, 'httpd.pid')}`,
            `ErrorLog ${join(dir, 'error.log')}`,
            `Mutex file:${dir} default`,
            `LoadModule mpm_event_module ${mods}/mod_mpm_event.so`,
            `LoadModule authz_core_module ${mods}/mod_authz_core.so`,
            `LoadModule proxy_module ${mods}/mod_proxy.so`,
            `LoadModule proxy_http_module ${mods}/mod_proxy_http.so`,
            'User www-data',
            'Group www-data',
            'ServerName 127.0.0.1',
            `Listen 127.0.0.1:${port}`,
            'KeepAlive On',
            `KeepAliveTimeout ${ka}`,
            `Timeout ${wait}`,
            `DocumentRoot ${dir}`,
            `ProxyPass /ok !`,
            `ProxyPass / http://${up}/`,
            '',
          ].join('\n'),
          'ok': 'ok\n',
        },
      };
    }
    case 'haproxy':
      return {
        args: ['-f', join(dir, 'haproxy.cfg'), '-db'],
        files: {
          'haproxy.cfg': [
            'global',
            '  maxconn 64',
            'defaults',
            '  mode http',
            '  timeout connect 1s',
            `  timeout client ${Math.max(ka, wait) + 5}s`,
            `  timeout server ${wait}s`,
            `  timeout http-keep-alive ${ka}s`,
            'frontend fe',
            `  bind 127.0.0.1:${port}`,
            '  http-request return status 200 content-type text/plain string "ok" if { path /ok }',
            '  default_backend be',
            'backend be',
            `  server s1 ${up}`,
            '',
          ].join('\n'),
        },
      };
    case 'lighttpd':
      return {
        args: ['-D', '-f', join(dir, 'lighttpd.conf')],
        files: {
          'lighttpd.conf': [
            `server.document-root = "${dir}"`,
            `server.bind = "127.0.0.1"`,
            `server.port = ${port}`,
            `server.errorlog = "${join(dir, 'error.log')}"`,
            `server.pid-file = "${join(dir, 'lighttpd.pid')}"`,
            `server.max-keep-alive-idle = ${ka}`,
            `server.max-read-idle = ${wait}`,
            'server.modules += ( "mod_proxy" )',
            `proxy.server = ( "" => ( ( "host" => "127.0.0.1", "port" => ${o.upstreamPort}, "connect-timeout" => ${wait}, "read-timeout" => ${wait} ) ) )`,
            '',
          ].join('\n'),
        },
      };
    case 'varnish':
      return {
        args: [
          '-F', '-n', join(dir, 'varnish'), '-a', `127.0.0.1:${port}`, '-b', up, '-s', 'malloc,16m',
          '-T', 'none', '-p', `timeout_idle=${ka}`, '-p', `first_byte_timeout=${wait}`, '-p', `connect_timeout=${wait}`,
        ],
        files: {},
      };
    case 'caddy':
      return {
        args: ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
        files: {
          Caddyfile: [
            '{',
            '  admin off',
            '  auto_https off',
            '  servers {',
            '    timeouts {',
            `      idle ${ka}s`,
            '    }',
            '  }',
            '}',
            `http://127.0.0.1:${port} {`,
            `  reverse_proxy ${up} {`,
            '    transport http {',
            `      dial_timeout ${wait}s`,
            `      response_header_timeout ${wait}s`,
            '    }',
            '  }',
            '}',
            '',
          ].join('\n'),
        },
      };
  }
}

async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not listening on ${port} after ${ms} ms`);
}

/** Starts `server` in the foreground on a free port; stop() ends that one process. */
/**
 * Collects a started server's output, waits for its port, and gives the stop that ends it
 * (SIGTERM, then SIGKILL after 3 s) and removes its scratch dir; a server that does not
 * come up is stopped and its output thrown.
 */
async function supervise(child: ChildProcess, dir: string, port: number, name: string): Promise<{ stop: () => Promise<void>; output: () => string }> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 10_000);
  } catch (err) {
    await stop();
    throw new Error(`${name} did not start: ${(err as Error).message}\n${out}`);
  }
  return { stop, output: () => out };
}

export async function startProxy(server: RealServer, o: ProxyOptions): Promise<StartedProxy> {
  const bin = findBinary(server);
  if (!bin) throw new Error(`${BINARY[server]} is not installed`);
  const dir = mkdtempSync(join(tmpdir(), `badgate-${server}-`));
  const port = await freePort();
  const { args, files } = configFor(server, dir, port, o);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  if (server === 'varnish') mkdirSync(join(dir, 'varnish'));
  // Caddy keeps state under $HOME/XDG dirs; point them into the scratch dir.
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
  const child = spawn(bin, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const { stop, output } = await supervise(child, dir, port, server);
  return { server, port, dir, stop, output };
}

/** One raw HTTP/1.1 exchange; the bytes exactly as the server sent them, until it closed. */
export function rawGet(port: number, path = '/', timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const t = setTimeout(() => { s.destroy(); reject(new Error('no close within the timeout')); }, timeoutMs);
    s.on('connect', () => s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: badgate-capture\r\nConnection: close\r\n\r\n`));
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('close', () => { clearTimeout(t); resolve(Buffer.concat(chunks).toString('latin1')); });
    s.on('error', (e) => { clearTimeout(t); reject(e); });
  });
}

/**
 * Whether tests may use `server`: with CI=true a missing binary is a failure (CI installs
 * them in .ci/run), elsewhere the tests skip and say why.
 */
export function requireServer(server: RealServer): { available: boolean; reason?: string } {
  if (findBinary(server)) return { available: true };
  const reason = `${BINARY[server]} is not installed (apt-get install ${server === 'varnish' ? 'varnish' : server})`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: .ci/run must install it`);
  return { available: false, reason };
}

/**
 * Real nginx with a config the test writes (`render` gets the scratch dir and the free port to
 * listen on); the error log is `<dir>/error.log`. Same lifecycle as startProxy.
 */
export async function startNginxWith(render: (dir: string, port: number) => string): Promise<StartedProxy & { conf: string; errorLog: string; bin: string }> {
  const bin = findBinary('nginx');
  if (!bin) throw new Error('nginx is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'badgate-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const errorLog = join(dir, 'error.log');
  writeFileSync(conf, render(dir, port));
  const child = spawn(bin, ['-p', dir, '-c', conf, '-e', errorLog], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const { stop, output } = await supervise(child, dir, port, 'nginx');
  return { server: 'nginx', port, dir, conf, errorLog, bin, stop, output };
}
