/**
 * nginx error-log lines (reference §7): parsing and the mapping from the upstream
 * messages to the way the 502 happened.
 */
import type { LogCauseId, NginxErrorRecord } from './types.js';

/** What went wrong with the upstream, as the nginx checks name it. */
export type NginxKind =
  | 'refused' | 'prematurely-closed' | 'reset' | 'too-big-header' | 'invalid-header'
  | 'ssl' | 'no-live-upstreams' | 'timeout'
  /** An upstream failure after the response header was sent: a truncated body, not a 502. */
  | 'truncated-body'
  /** A failure on the client connection (TLS handshake, reading the request): no upstream involved. */
  | 'client-side'
  /** The FastCGI app wrote to stderr; nginx logs it and goes on unless fastcgi_catch_stderr matches. */
  | 'fastcgi-stderr'
  | 'other';

export interface NginxClass {
  kind: NginxKind;
  /** Does nginx answer this failure with a 502 (a timeout is a 504)? */
  is502: boolean;
  /** The cause, or 'burst-dependent' when only the traffic around it can tell keep-alive from crash. */
  cause: LogCauseId | 'burst-dependent' | null;
}

const LINE = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[(\w+)\] (\d+)#\d+: (?:\*(\d+) )?(.*)$/;

function field(rest: string, name: string): string {
  const m = new RegExp(`, ${name}: "?([^",]*)"?`).exec(rest);
  return m ? m[1] : '-';
}

/** nginx writes local time without a zone; we read it as UTC and say so in the output. */
export function parseNginxErrorLine(line: string): { ok: true; record: NginxErrorRecord } | { ok: false; reason: string } {
  const m = LINE.exec(line);
  if (!m) return { ok: false, reason: 'not an nginx error-log line' };
  const [, y, mo, d, h, mi, s, level, pid, conn, rest] = m;
  const time = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  if (Number.isNaN(Date.parse(time))) return { ok: false, reason: 'bad time' };
  const cut = rest.indexOf(', client: ');
  const message = cut >= 0 ? rest.slice(0, cut) : rest;
  const tail = cut >= 0 ? rest.slice(cut) : '';
  const req = /, request: "((?:[^"\\]|\\.)*)"/.exec(tail);
  return {
    ok: true,
    record: {
      time, level, pid: Number(pid), connection: conn ? Number(conn) : null, message,
      client: field(tail, 'client'), server: field(tail, 'server'),
      request: req ? req[1] : '-', upstream: field(tail, 'upstream'), host: field(tail, 'host'),
    },
  };
}

/**
 * The `while …` part names what nginx was doing (log->action in the nginx source). Only
 * failures before the upstream's response header reached the client become a 502; after
 * it the client gets a truncated body, and client-side actions involve no upstream at all.
 */
type Phase = 'upstream-header' | 'upstream-body' | 'client' | 'none';

const HEADER_ACTIONS = new Set([
  'connecting to upstream', 'SSL handshaking to upstream', 'sending request to upstream', 'reading response header from upstream',
]);
const BODY_ACTIONS = new Set(['reading upstream', 'proxying upgraded connection']);

function phaseOf(message: string): Phase {
  const at = message.lastIndexOf(' while ');
  if (at < 0) return 'none';
  const action = message.slice(at + 7);
  if (HEADER_ACTIONS.has(action)) return 'upstream-header';
  if (BODY_ACTIONS.has(action)) return 'upstream-body';
  // `upstream prematurely closed connection while sending to client`: non-buffered proxying.
  return message.slice(0, at).includes('upstream') ? 'upstream-body' : 'client';
}

type Failure = Omit<NginxClass, 'is502'>;

const SSL = /SSL_do_handshake\(\) failed|peer closed connection in SSL handshake|upstream SSL certificate|upstream prematurely sent response/;
const REFUSED = /connect\(\) (?:to \S+ )?failed \((?:111|2|13|113|101):/;
// EAGAIN on a unix socket: the listen backlog is full, the app is overloaded.
const BACKLOG = /connect\(\) (?:to \S+ )?failed \(11:/;
const RESET = /(?:recv|readv|send|writev|sendfile|SSL_read|SSL_write)\(\) failed \((?:104|32):/;
/** proxy, uwsgi and SCGI share ngx_http_upstream.c's message; FastCGI and gRPC have their own. */
const CLOSED = /upstream prematurely closed (?:connection|stream)/;
const FASTCGI_EMPTY = /upstream prematurely closed FastCGI (?:stdout|request)/;
/** gRPC RST_STREAM (`rejected request with error N`) or GOAWAY for our stream. */
const GRPC_REJECTED = /upstream rejected request with error \d+/;
const GRPC_GOAWAY = /upstream sent goaway with error \d+/;
/** Logged but ignored (warn) or about the body: no 502 of their own. */
const HARMLESS_SENT = /upstream sent (?:duplicate header line|more data than specified|data after)/;

/** The upstream failure a message reports, in any phase; null when it reports none. */
function upstreamFailure(m: string): Failure | null {
  if (m.includes('no live upstreams')) return { kind: 'no-live-upstreams', cause: 'all-targets-unhealthy' };
  if (m.startsWith('FastCGI sent in stderr')) return { kind: 'fastcgi-stderr', cause: null };
  if (SSL.test(m)) return { kind: 'ssl', cause: 'target-tls-handshake' };
  if (REFUSED.test(m)) return { kind: 'refused', cause: 'target-not-listening' };
  if (BACKLOG.test(m)) return { kind: 'refused', cause: 'target-crashed-or-overloaded' };
  if (m.includes('upstream sent too big header')) return { kind: 'too-big-header', cause: 'response-headers-too-large' };
  if (GRPC_GOAWAY.test(m)) return { kind: 'prematurely-closed', cause: 'burst-dependent' };
  // RST_STREAM is the HTTP/2 reset: the kind the nginx check already knows, with its own cause.
  if (GRPC_REJECTED.test(m)) return { kind: 'reset', cause: 'target-crashed-or-overloaded' };
  if (FASTCGI_EMPTY.test(m)) return { kind: 'prematurely-closed', cause: 'target-crashed-or-overloaded' };
  if (CLOSED.test(m)) return { kind: 'prematurely-closed', cause: 'burst-dependent' };
  if (m.includes('upstream sent ') && !HARMLESS_SENT.test(m)) return { kind: 'invalid-header', cause: 'malformed-response' };
  if (m.includes('upstream split a header line in FastCGI records')) return { kind: 'invalid-header', cause: 'malformed-response' };
  if (RESET.test(m) && m.includes('upstream')) return { kind: 'reset', cause: 'burst-dependent' };
  return null;
}

export function classifyNginxMessage(message: string): NginxClass {
  if (message.includes('upstream timed out')) return { kind: 'timeout', is502: false, cause: null };
  const phase = phaseOf(message);
  if (phase === 'client') return { kind: 'client-side', is502: false, cause: null };
  const f = upstreamFailure(message);
  if (f === null) return { kind: 'other', is502: false, cause: null };
  if (f.cause === null) return { ...f, is502: false };
  if (phase === 'upstream-body') return { kind: 'truncated-body', is502: false, cause: null };
  return { ...f, is502: true };
}

/**
 * Host:port of the upstream in `upstream: "http://10.0.0.5:8080/path"`, or the socket in
 * `fastcgi://unix:/run/php/php8.2-fpm.sock:` (nginx ends a unix: address with `:`).
 */
export function upstreamHost(upstream: string): string {
  const unix = /^[a-z]+:\/\/(unix:[^:]+)/.exec(upstream);
  if (unix) return unix[1];
  const m = /^[a-z]+:\/\/([^/]+)/.exec(upstream);
  return m ? m[1] : upstream;
}
