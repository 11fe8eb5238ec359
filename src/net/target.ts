/** Where a probe connects, derived from a URL or a bare `host:port`. */
export interface ProbeTarget {
  /** Host to resolve and connect to (no brackets around IPv6). */
  host: string;
  port: number;
  tls: boolean;
  /** Request path including the query. */
  path: string;
  /** Value of the Host header (host, plus port when not the scheme default). */
  hostHeader: string;
  /** Normalised text shown to the responder and cited in sources; never carries credentials. */
  display: string;
  /** SNI for https when it is not the host (an IP address, or another name): --sni. */
  servername?: string;
  /** Set when the URL had `user:pass@`: removed everywhere and never sent. */
  credentialsRemoved?: boolean;
}

export type TargetParse = { ok: true; target: ProbeTarget } | { ok: false; error: string };

const EXAMPLE = 'e.g. https://api.example.com/health or 10.0.1.15:8080';

function fromUrl(url: URL): TargetParse {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `unsupported scheme "${url.protocol}" (only http and https are probed, ${EXAMPLE})` };
  }
  if (!url.hostname) return { ok: false, error: `no host in "${url.href}" (${EXAMPLE})` };
  const tls = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  // WHATWG URL keeps an explicit ":0"; nothing can listen there.
  if (port < 1 || port > 65535) return { ok: false, error: `port ${port} is out of range (1-65535)` };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // Credentials would end up on screen, in JSON reports and sources: drop them.
  const credentialsRemoved = Boolean(url.username || url.password);
  url.username = '';
  url.password = '';
  const target: ProbeTarget = { host, port, tls, path: `${url.pathname || '/'}${url.search}`, hostHeader: url.host, display: url.href };
  if (credentialsRemoved) target.credentialsRemoved = true;
  return { ok: true, target };
}

/** Parses a URL (`http(s)://…`) or `host:port` (plain HTTP, or HTTPS on port 443). */
export function parseTarget(input: string): TargetParse {
  const text = input.trim();
  if (!text) return { ok: false, error: `no target given (${EXAMPLE})` };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return fromUrl(new URL(text));
    } catch {
      return { ok: false, error: `"${text}" is not a valid URL (${EXAMPLE})` };
    }
  }
  const m = /^(\[[0-9a-f:.]+\]|[^:/\s]+):(\d{1,5})(\/.*)?$/i.exec(text);
  if (!m) return { ok: false, error: `"${text}" is neither a URL nor host:port (${EXAMPLE})` };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return { ok: false, error: `port ${m[2]} is out of range (1-65535)` };
  const scheme = port === 443 ? 'https' : 'http';
  return parseTarget(`${scheme}://${m[1]}:${port}${m[3] ?? '/'}`);
}

/** Just the host name of a URL or `host[:port]`, for DNS. */
export function hostOf(input: string): string {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return new URL(text).hostname.replace(/^\[(.*)\]$/, '$1');
    } catch {
      return text;
    }
  }
  const bare = text.replace(/\/.*$/, '');
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(bare);
  if (v6) return v6[1];
  // A lone IPv6 address has many colons; only strip a port from host:port.
  return (bare.split(':').length === 2 ? bare.replace(/:\d+$/, '') : bare).replace(/\.$/, '');
}
