/**
 * Backends whose keep-alive setting badgate knows (reference §6.3, §9). The first fifteen match
 * BACKENDS in the cause catalog; lighttpd, varnish and kestrel are known here only.
 */
export type Backend =
  | 'node' | 'fastify' | 'nginx' | 'apache' | 'gunicorn' | 'uvicorn' | 'puma'
  | 'tomcat' | 'spring' | 'iis' | 'go' | 'caddy' | 'haproxy' | 'envoy'
  | 'lighttpd' | 'varnish' | 'kestrel';

export interface BackendHeaders {
  server?: string;
  poweredBy?: string;
  keepAlive?: string;
  contentType?: string;
  setCookie?: string;
  via?: string;
  xVarnish?: string;
}

/** Guesses the backend from response headers; undefined when they do not say. */
export function detectBackend(headers: BackendHeaders): Backend | undefined {
  const server = headers.server ?? '';
  const powered = headers.poweredBy ?? '';
  const rules: [RegExp, string, Backend][] = [
    [/^(nginx|openresty)\b/i, server, 'nginx'],
    [/Apache-Coyote|Tomcat/i, server, 'tomcat'],
    [/^Apache\b/i, server, 'apache'],
    [/gunicorn/i, server, 'gunicorn'],
    [/uvicorn/i, server, 'uvicorn'],
    [/puma/i, server, 'puma'],
    [/Microsoft-IIS/i, server, 'iis'],
    [/^Kestrel\b/i, server, 'kestrel'],
    [/^Caddy\b/i, server, 'caddy'],
    [/haproxy/i, server, 'haproxy'],
    [/^lighttpd\b/i, server, 'lighttpd'],
    [/^Varnish\b/i, server, 'varnish'],
    [/^(istio-)?envoy\b/i, server, 'envoy'],
    [/fastify/i, powered, 'fastify'],
    [/Servlet|JSP/i, powered, 'tomcat'],
    [/Express|Next\.js|Nest/i, powered, 'node'],
  ];
  for (const [re, value, backend] of rules) if (re.test(value)) return backend;
  if (server || powered) return undefined;
  if (/\bvarnish\b/i.test(headers.via ?? '') || headers.xVarnish) return 'varnish';
  // Tomcat 8.5+ sends no Server header: its session cookie and its "type;charset=" (no
  // space, where Node and Express write "; charset=") give it away.
  if (/\bJSESSIONID=/.test(headers.setCookie ?? '') || /;charset=/i.test(headers.contentType ?? '')) return 'tomcat';
  const ka = /^timeout=(\d+)$/i.exec((headers.keepAlive ?? '').trim());
  if (!ka) return undefined;
  // Both Node's http server and Tomcat 8.5+ send a bare `Keep-Alive: timeout=N` (Apache adds
  // `, max=N`). Tomcat's stock server.xml gives 20 (connectionTimeout 20000) and its built-in
  // default 60; Node's default is 5 (65 from Node 26). 20 and 60 are read as Tomcat.
  const n = Number(ka[1]);
  return n === 20 || n === 60 ? 'tomcat' : 'node';
}

/** The backend keep-alive to recommend: the gateway idle timeout plus 5 s, at least. */
export function recommendedSeconds(idleTimeoutSeconds: number): number {
  return Math.ceil(idleTimeoutSeconds) + 5;
}

/** The change that makes the backend outlast the gateway, per backend (reference §6.3). */
export function keepAliveFix(backend: Backend, idleTimeoutSeconds: number): string {
  const s = recommendedSeconds(idleTimeoutSeconds);
  // Where the reference suggests 75 s (nginx, Puma, Go), keep it unless the gateway needs more.
  const s75 = Math.max(s, 75);
  switch (backend) {
    case 'node':
      return `Node.js: server.keepAliveTimeout = ${s * 1000}; server.headersTimeout = ${(s + 1) * 1000};`;
    case 'fastify':
      return `Fastify: Fastify({ keepAliveTimeout: ${Math.max(s, 72) * 1000} })`;
    case 'nginx':
      return `nginx: keepalive_timeout ${s75}s;`;
    case 'apache':
      return `Apache httpd: KeepAlive On and KeepAliveTimeout ${s}`;
    case 'gunicorn':
      return `gunicorn: --keep-alive ${s} (the sync worker does not keep connections; use gthread/gevent)`;
    case 'uvicorn':
      return `uvicorn: --timeout-keep-alive ${s}`;
    case 'puma':
      return `Puma: persistent_timeout ${s75} in config/puma.rb (default 20 s)`;
    case 'tomcat':
      return `Tomcat: keepAliveTimeout="${s * 1000}" on the <Connector> in server.xml (it defaults to connectionTimeout: 20000 in the stock server.xml)`;
    case 'spring':
      return `Spring Boot: server.tomcat.keep-alive-timeout=${s}s`;
    case 'iis':
      return `IIS: raise system.applicationHost/sites/siteDefaults/limits@connectionTimeout above ${s - 5} s (default 120 s)`;
    case 'go':
      return `Go net/http: &http.Server{IdleTimeout: ${s75} * time.Second}`;
    case 'caddy':
      return `Caddy: servers { timeouts { idle ${Math.max(s, 300)}s } }`;
    case 'haproxy':
      return `HAProxy: timeout http-keep-alive ${s}s in the frontend or defaults section (it falls back to timeout http-request, then timeout client; keep timeout client >= ${s}s)`;
    case 'envoy':
      return `Envoy: common_http_protocol_options.idle_timeout: ${Math.max(s, 3600)}s on the HTTP connection manager (default 1 h)`;
    case 'lighttpd':
      return `lighttpd: server.max-keep-alive-idle = ${s} in lighttpd.conf (default 5)`;
    case 'varnish':
      return `Varnish: varnishd -p timeout_idle=${s} (default 5 s; param.set timeout_idle ${s} in varnishadm for a running one)`;
    case 'kestrel':
      return `Kestrel: options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(${Math.max(s, 130)}) in ConfigureKestrel (default 130 s)`;
  }
}

const COMMON: Backend[] = ['node', 'nginx', 'apache', 'gunicorn', 'uvicorn', 'puma', 'tomcat', 'iis', 'go'];

/**
 * Fix lines: the one for the detected backend; one naming the Server header when it names a
 * server badgate does not know (a list of others would only mislead); the common ones when
 * nothing says what the backend is.
 */
export function keepAliveFixes(backend: Backend | undefined, idleTimeoutSeconds: number, server?: string): string[] {
  if (backend) return [keepAliveFix(backend, idleTimeoutSeconds)];
  if (server?.trim()) {
    return [`${server.trim()}: set its idle (keep-alive) timeout for client connections to ${recommendedSeconds(idleTimeoutSeconds)} s or more`];
  }
  return COMMON.map((b) => keepAliveFix(b, idleTimeoutSeconds));
}
