/** Backends whose keep-alive setting badgate knows (reference §6.3); names match the cause catalog. */
export type Backend =
  | 'node' | 'fastify' | 'nginx' | 'apache' | 'gunicorn' | 'uvicorn' | 'puma'
  | 'tomcat' | 'spring' | 'iis' | 'go' | 'caddy' | 'haproxy' | 'envoy';

/** Guesses the backend from response headers; undefined when they do not say. */
export function detectBackend(headers: { server?: string; poweredBy?: string; keepAlive?: string }): Backend | undefined {
  const server = headers.server ?? '';
  const powered = headers.poweredBy ?? '';
  // Node's http server sends no Server header but a bare `Keep-Alive: timeout=N`
  // (Apache adds `, max=N`), which is the usual Express-behind-ALB fingerprint.
  if (!server && !powered && /^timeout=\d+$/i.test((headers.keepAlive ?? '').trim())) return 'node';
  const rules: [RegExp, string, Backend][] = [
    [/^(nginx|openresty)\b/i, server, 'nginx'],
    [/Apache-Coyote|Tomcat/i, server, 'tomcat'],
    [/^Apache\b/i, server, 'apache'],
    [/gunicorn/i, server, 'gunicorn'],
    [/uvicorn/i, server, 'uvicorn'],
    [/puma/i, server, 'puma'],
    [/Microsoft-IIS/i, server, 'iis'],
    [/^Caddy\b/i, server, 'caddy'],
    [/haproxy/i, server, 'haproxy'],
    [/^(istio-)?envoy\b/i, server, 'envoy'],
    [/fastify/i, powered, 'fastify'],
    [/Express|Next\.js|Nest/i, powered, 'node'],
  ];
  for (const [re, value, backend] of rules) if (re.test(value)) return backend;
  return undefined;
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
      return `Puma: persistent_timeout ${s75} in config/puma.rb`;
    case 'tomcat':
      return `Tomcat: <Connector … keepAliveTimeout="${s * 1000}"/> in server.xml`;
    case 'spring':
      return `Spring Boot: server.tomcat.keep-alive-timeout=${s}s`;
    case 'iis':
      return `IIS: raise system.applicationHost/sites/siteDefaults/limits@connectionTimeout above ${s - 5} s (default 120 s)`;
    case 'go':
      return `Go net/http: &http.Server{IdleTimeout: ${s75} * time.Second}`;
    case 'caddy':
      return `Caddy: servers { timeouts { idle ${Math.max(s, 300)}s } }`;
    case 'haproxy':
      return `HAProxy: timeout http-keep-alive ${s}s and timeout client ${s}s`;
    case 'envoy':
      return `Envoy: common_http_protocol_options.idle_timeout: ${Math.max(s, 3600)}s on the HTTP connection manager`;
  }
}

const COMMON: Backend[] = ['node', 'nginx', 'apache', 'gunicorn', 'uvicorn', 'puma', 'tomcat', 'iis', 'go'];

/** Fix lines for the detected backend, or for the common ones when it is unknown. */
export function keepAliveFixes(backend: Backend | undefined, idleTimeoutSeconds: number): string[] {
  return (backend ? [backend] : COMMON).map((b) => keepAliveFix(b, idleTimeoutSeconds));
}
