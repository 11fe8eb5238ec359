/**
 * nginx error-log lines (reference §7): parsing and the mapping from the upstream
 * messages to the way the 502 happened.
 */
import type { LogCauseId, NginxErrorRecord } from './types.js';

/** What went wrong with the upstream, as the nginx checks name it. */
export type NginxKind =
  | 'refused' | 'prematurely-closed' | 'reset' | 'too-big-header' | 'invalid-header'
  | 'ssl' | 'no-live-upstreams' | 'timeout' | 'other';

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

export function classifyNginxMessage(message: string): NginxClass {
  const m = message;
  if (m.includes('no live upstreams')) return { kind: 'no-live-upstreams', is502: true, cause: 'all-targets-unhealthy' };
  if (m.includes('upstream timed out')) return { kind: 'timeout', is502: false, cause: null };
  if (/SSL_do_handshake\(\) failed|peer closed connection in SSL handshake|upstream SSL certificate|SSL handshaking to upstream|upstream prematurely sent response/.test(m)) {
    return { kind: 'ssl', is502: true, cause: 'target-tls-handshake' };
  }
  if (/connect\(\) (?:to \S+ )?failed \((?:111|2|13|113|101):/.test(m)) return { kind: 'refused', is502: true, cause: 'target-not-listening' };
  // EAGAIN on a unix socket: the listen backlog is full, the app is overloaded.
  if (/connect\(\) (?:to \S+ )?failed \(11:/.test(m)) return { kind: 'refused', is502: true, cause: 'target-crashed-or-overloaded' };
  if (m.includes('upstream sent too big header')) return { kind: 'too-big-header', is502: true, cause: 'response-headers-too-large' };
  if (/upstream sent (?:invalid|no valid|unexpected)/.test(m)) return { kind: 'invalid-header', is502: true, cause: 'malformed-response' };
  if (m.includes('upstream prematurely closed connection')) {
    // After the headers the status line was already sent: a truncated body, not a 502.
    const header = m.includes('while reading response header') || !m.includes('while reading upstream');
    return { kind: 'prematurely-closed', is502: header, cause: header ? 'burst-dependent' : null };
  }
  if (/(?:recv|readv|send|writev|sendfile)\(\) failed \((?:104|32):/.test(m) && m.includes('upstream')) {
    return { kind: 'reset', is502: true, cause: 'burst-dependent' };
  }
  return { kind: 'other', is502: false, cause: null };
}

/** Host:port of the upstream in `upstream: "http://10.0.0.5:8080/path"`. */
export function upstreamHost(upstream: string): string {
  const m = /^[a-z]+:\/\/([^/]+)/.exec(upstream);
  return m ? m[1] : upstream;
}
