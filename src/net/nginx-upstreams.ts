/**
 * What an nginx config says about its upstreams: the `upstream` blocks and, per location
 * that passes requests on, the settings in force there (inherited from http and server the
 * way nginx merges them). And whether nginx keeps idle connections to the upstream open,
 * which is what makes the keep-alive race possible.
 */
import { nginxSeconds, type Directive } from './nginx-config.js';

export interface UpstreamBlock {
  name: string;
  servers: string[];
  /** `keepalive N` as written; absent when not set. */
  keepalive?: number;
  /** Upstream `keepalive_timeout` in seconds, as written. */
  keepaliveTimeoutSeconds?: number;
  /** Peers picked at run time by Lua (ingress-nginx's `upstream_balancer`): `servers` holds only a placeholder. */
  dynamic?: boolean;
  file: string;
  line: number;
}

export type PassModule = 'proxy' | 'fastcgi' | 'uwsgi' | 'scgi' | 'grpc';

/** How the `Connection` header to the upstream is set. */
export type ConnectionHeader = 'default' | 'cleared' | 'keep-alive' | 'close' | 'variable' | 'other';

export interface PassLocation {
  /** `server_name` of the server block (first name), or `(no server_name)`. */
  server: string;
  /** The location's match, e.g. `/api/` or `= /health`; `(server)` for a pass outside any location. */
  location: string;
  module: PassModule;
  /** The argument of proxy_pass, fastcgi_pass, …, as written. */
  target: string;
  /** The `upstream` block the target names, if any. */
  upstream?: string;
  httpVersion?: string;
  connection: ConnectionHeader;
  connectionValue?: string;
  fastcgiKeepConn?: boolean;
  readTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  /** proxy_next_upstream (or fastcgi_/uwsgi_/grpc_next_upstream) words; absent = the default `error timeout`. */
  nextUpstream?: string[];
  file: string;
  line: number;
}

export interface NginxUpstreams {
  upstreams: UpstreamBlock[];
  locations: PassLocation[];
}

const PASS: Record<string, PassModule> = { proxy_pass: 'proxy', fastcgi_pass: 'fastcgi', uwsgi_pass: 'uwsgi', scgi_pass: 'scgi', grpc_pass: 'grpc' };

/** Directives nginx inherits from the enclosing level when the inner level does not set them. */
const INHERITED = [
  'proxy_http_version', 'proxy_read_timeout', 'proxy_connect_timeout', 'proxy_next_upstream', 'fastcgi_keep_conn',
  'fastcgi_read_timeout', 'fastcgi_connect_timeout', 'fastcgi_next_upstream', 'uwsgi_read_timeout', 'uwsgi_connect_timeout',
  'uwsgi_next_upstream', 'scgi_read_timeout', 'scgi_connect_timeout', 'scgi_next_upstream', 'grpc_read_timeout',
  'grpc_connect_timeout', 'grpc_next_upstream',
] as const;

type Scope = Map<string, string[]> & { headers?: { name: string; value: string }[] };

/** The settings at one level: its own values over the enclosing level's. */
function scopeOf(block: Directive[], outer: Scope): Scope {
  const s: Scope = new Map(outer);
  for (const d of block) if ((INHERITED as readonly string[]).includes(d.name)) s.set(d.name, d.args);
  // proxy_set_header is an array directive: a level with any of its own replaces all inherited ones.
  const own = block.filter((d) => d.name === 'proxy_set_header' && d.args.length >= 2).map((d) => ({ name: d.args[0], value: d.args[1] }));
  s.headers = own.length ? own : outer.headers;
  return s;
}

/** `map $http_upgrade $connection_upgrade { … }` blocks: variable name → what a request without Upgrade gets. */
type UpgradeMaps = Map<string, string>;

function upgradeMaps(http: Directive[]): UpgradeMaps {
  const out: UpgradeMaps = new Map();
  for (const m of http.filter((d) => d.name === 'map' && d.block && d.args[0] === '$http_upgrade' && d.args[1]?.startsWith('$'))) {
    const entry = (key: string) => m.block!.find((d) => d.name === key && d.args.length >= 1)?.args[0];
    // A plain request has no Upgrade header: the empty key matches it, else the default.
    const value = entry('') ?? entry('default') ?? '';
    out.set(m.args[1].slice(1), value);
  }
  return out;
}

function connectionOf(headers: Scope['headers'], maps: UpgradeMaps): { connection: ConnectionHeader; connectionValue?: string } {
  const h = [...(headers ?? [])].reverse().find((x) => x.name.toLowerCase() === 'connection');
  if (!h) return { connection: 'default' };
  const v = h.value.trim();
  const mapped = /^\$(\w+)$/.exec(v);
  if (mapped && maps.has(mapped[1])) {
    const plain = maps.get(mapped[1])!;
    const c = connectionOf([{ name: 'Connection', value: plain }], new Map());
    return { connection: c.connection, connectionValue: `${v} (${JSON.stringify(plain)} for requests without Upgrade, from its map)` };
  }
  if (v === '') return { connection: 'cleared', connectionValue: v };
  if (v.includes('$')) return { connection: 'variable', connectionValue: v };
  if (/^keep-alive$/i.test(v)) return { connection: 'keep-alive', connectionValue: v };
  if (/^close$/i.test(v)) return { connection: 'close', connectionValue: v };
  return { connection: 'other', connectionValue: v };
}

/** The upstream name a pass target refers to: `http://backend/x` → `backend`, `fastcgi_backend` → itself. */
export function upstreamName(module: PassModule, target: string): string {
  const noScheme = target.replace(/^[a-z]+:\/\//i, '');
  if (noScheme.startsWith('unix:')) return '';
  return noScheme.split('/')[0];
}

export function readUpstreams(directives: Directive[]): NginxUpstreams {
  const upstreams: UpstreamBlock[] = [];
  const locations: PassLocation[] = [];
  const http = directives.filter((d) => d.name === 'http' && d.block);
  for (const h of http) {
    for (const u of h.block!.filter((d) => d.name === 'upstream' && d.block)) {
      const b = u.block!;
      const last = (name: string) => [...b].reverse().find((d) => d.name === name)?.args;
      const ka = last('keepalive');
      const kt = last('keepalive_timeout');
      const dynamic = b.some((d) => d.name === 'balancer_by_lua_block' || d.name === 'balancer_by_lua_file');
      upstreams.push({
        name: u.args[0] ?? '',
        servers: dynamic ? [] : b.filter((d) => d.name === 'server').map((d) => d.args[0] ?? ''),
        ...(dynamic ? { dynamic } : {}),
        ...(ka?.[0] !== undefined && /^\d+$/.test(ka[0]) ? { keepalive: Number(ka[0]) } : {}),
        ...(nginxSeconds(kt?.[0]) !== undefined ? { keepaliveTimeoutSeconds: nginxSeconds(kt?.[0]) } : {}),
        file: u.file, line: u.line,
      });
    }
    const httpScope = scopeOf(h.block!, new Map() as Scope);
    const maps = upgradeMaps(h.block!);
    for (const srv of h.block!.filter((d) => d.name === 'server' && d.block)) {
      const name = srv.block!.find((d) => d.name === 'server_name')?.args[0] ?? '(no server_name)';
      const srvScope = scopeOf(srv.block!, httpScope);
      walk(srv.block!, srvScope, name, '(server)', upstreams, locations, maps);
    }
  }
  return { upstreams, locations };
}

function walk(block: Directive[], scope: Scope, server: string, where: string, ups: UpstreamBlock[], out: PassLocation[], maps: UpgradeMaps): void {
  for (const d of block) {
    const module = PASS[d.name];
    if (module && d.args[0]) {
      const target = d.args[0];
      const name = upstreamName(module, target);
      const up = ups.find((u) => u.name === name);
      const pre = module === 'proxy' ? 'proxy' : module;
      const next = scope.get(`${pre}_next_upstream`);
      out.push({
        server, location: where, module, target,
        ...(up ? { upstream: up.name } : {}),
        ...(module === 'proxy' && scope.get('proxy_http_version') ? { httpVersion: scope.get('proxy_http_version')![0] } : {}),
        ...(module === 'proxy' ? connectionOf(scope.headers, maps) : { connection: 'default' as const }),
        ...(module === 'fastcgi' ? { fastcgiKeepConn: scope.get('fastcgi_keep_conn')?.[0] === 'on' } : {}),
        ...optionalSeconds('readTimeoutSeconds', scope.get(`${pre}_read_timeout`)?.[0]),
        ...optionalSeconds('connectTimeoutSeconds', scope.get(`${pre}_connect_timeout`)?.[0]),
        ...(next ? { nextUpstream: next } : {}),
        file: d.file, line: d.line,
      });
    }
    if ((d.name === 'location' || d.name === 'if' || d.name === 'limit_except') && d.block) {
      const inner = scopeOf(d.block, scope);
      walk(d.block, inner, server, d.name === 'location' ? d.args.join(' ') : where, ups, out, maps);
    }
  }
}

function optionalSeconds<K extends string>(key: K, value: string | undefined): Partial<Record<K, number>> {
  const s = nginxSeconds(value);
  return s === undefined ? {} : ({ [key]: s } as Record<K, number>);
}

/** Version 1.29.7 changed the defaults: HTTP/1.1, no `Connection: close`, `keepalive 32` in every upstream block. */
export const KEEPALIVE_DEFAULT_SINCE = '1.29.7';

export function versionAtLeast(version: string | undefined, min: string): boolean | undefined {
  if (!version) return undefined;
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

export interface LocationKeepAlive {
  location: PassLocation;
  /** Does nginx keep idle connections from this location to its upstream? */
  reuses: boolean;
  /** Seconds an idle upstream connection stays in nginx's pool (upstream keepalive_timeout, default 60). */
  idleSeconds?: number;
  /** Why, in one line, naming the directives. */
  why: string;
  /** Set only when the answer depends on a version that is not known. */
  versionDependent?: boolean;
}

/** Default upstream `keepalive_timeout` (ngx_http_upstream_keepalive_module: 60 s). */
export const UPSTREAM_KEEPALIVE_TIMEOUT_DEFAULT = 60;

/**
 * Whether one location reuses upstream connections. Before 1.29.7 that needs all three of
 * `keepalive N` in the upstream block, `proxy_http_version 1.1` and a `Connection` header
 * that is not `close` (nginx sends `Connection: close` by default); from 1.29.7 explicit
 * upstream blocks keep connections by default (`keepalive 0` turns it off). A target that
 * names no upstream block (`proxy_pass http://10.0.0.5:8080`) never reuses connections.
 */
export function locationKeepAlive(loc: PassLocation, ups: UpstreamBlock[], version: string | undefined): LocationKeepAlive {
  const up = ups.find((u) => u.name === loc.upstream);
  const modern = versionAtLeast(version, KEEPALIVE_DEFAULT_SINCE);
  const idleSeconds = up?.keepaliveTimeoutSeconds ?? UPSTREAM_KEEPALIVE_TIMEOUT_DEFAULT;
  const at = `${loc.server} location ${loc.location}`;
  if (!up) return { location: loc, reuses: false, why: `${at}: ${loc.module}_pass ${loc.target} names no upstream block, so nginx opens a new connection per request` };
  if (loc.module === 'uwsgi' || loc.module === 'scgi') return { location: loc, reuses: false, why: `${at}: ${loc.module} connections are closed after each request` };
  const ka = up.keepalive;
  if (ka === 0) return { location: loc, reuses: false, why: `${at}: upstream ${up.name} has keepalive 0` };
  const poolFromDefault = ka === undefined;
  if (poolFromDefault && modern === false) return { location: loc, reuses: false, why: `${at}: upstream ${up.name} has no keepalive directive (nginx ${version} keeps no idle connections without it)` };
  const pool = poolFromDefault ? `no keepalive directive (nginx ≥ ${KEEPALIVE_DEFAULT_SINCE} keeps 32 by default)` : `keepalive ${ka}`;
  if (loc.module === 'fastcgi') {
    return loc.fastcgiKeepConn
      ? { location: loc, reuses: true, idleSeconds, why: `${at}: upstream ${up.name} ${pool}, fastcgi_keep_conn on`, ...(poolFromDefault && modern === undefined ? { versionDependent: true } : {}) }
      : { location: loc, reuses: false, why: `${at}: fastcgi_keep_conn is off, so the FastCGI app closes after each request` };
  }
  if (loc.module === 'grpc') return { location: loc, reuses: true, idleSeconds, why: `${at}: upstream ${up.name} ${pool} (gRPC is HTTP/2)`, ...(poolFromDefault && modern === undefined ? { versionDependent: true } : {}) };
  const http11 = loc.httpVersion ? loc.httpVersion !== '1.0' : modern;
  const closeHeader = loc.connection === 'close' || (loc.connection === 'default' ? modern === false ? true : modern === undefined ? undefined : false : false);
  const parts = [
    pool,
    loc.httpVersion ? `proxy_http_version ${loc.httpVersion}` : `proxy_http_version not set (${modern ? '1.1 by default' : modern === false ? '1.0 by default' : '1.0 before 1.29.7, 1.1 since'})`,
    loc.connection === 'default' ? `no proxy_set_header Connection (${modern ? 'none sent' : modern === false ? '"close" sent' : '"close" before 1.29.7'})` : `proxy_set_header Connection ${loc.connectionValue?.startsWith('$') ? loc.connectionValue : JSON.stringify(loc.connectionValue)}`,
  ];
  if (loc.connection === 'variable') parts.push('(a map that yields "close" for plain requests, as in the WebSocket example, turns keep-alive off for them)');
  if (http11 === false || closeHeader === true) return { location: loc, reuses: false, why: `${at}: ${parts.join(', ')}: nginx closes the upstream connection after each request` };
  if (http11 === undefined || closeHeader === undefined || (poolFromDefault && modern === undefined)) {
    return { location: loc, reuses: true, idleSeconds, versionDependent: true, why: `${at}: ${parts.join(', ')}: keep-alive is on only on nginx ≥ ${KEEPALIVE_DEFAULT_SINCE} (version not known; \`nginx -v\` tells)` };
  }
  return { location: loc, reuses: true, idleSeconds, why: `${at}: ${parts.join(', ')}: nginx keeps idle upstream connections up to ${idleSeconds} s and reuses them` };
}
