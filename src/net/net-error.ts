/** A network failure reduced to what a responder needs: a stable code and one plain line. */
export interface NetError {
  code: string;
  message: string;
}

const MESSAGES: Record<string, string> = {
  ENOTFOUND: 'the name does not resolve (NXDOMAIN)',
  EAI_AGAIN: 'DNS lookup failed for now (resolver unreachable or SERVFAIL)',
  ECONNREFUSED: 'connection refused: nothing listens on that port (TCP RST)',
  ECONNRESET: 'connection reset by the peer (TCP RST)',
  EPIPE: 'the peer closed the connection while the request was being sent',
  ETIMEDOUT: 'timed out',
  TIMEOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable (ICMP unreachable or no route)',
  ENETUNREACH: 'network unreachable (no route)',
  EADDRNOTAVAIL: 'address not available on this machine',
  ABORT_ERR: 'aborted',
  ABORTED: 'aborted',
  ECONNCLOSED: 'the server closed the connection before sending a full response',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  EPROTO: 'TLS protocol error (no common protocol or cipher, or not TLS on that port)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS protocol error: the port does not speak TLS (wrong version number)',
};

function codeOf(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && e.code) return e.code;
    // Happy-eyeballs connects fail with an AggregateError of one error per address.
    if (Array.isArray(e.errors) && e.errors.length) return codeOf(e.errors[0]);
    if (e.name === 'AbortError') return 'ABORT_ERR';
  }
  return 'ERROR';
}

/** Maps a Node network error to a stable code and a plain message, never a stack. */
export function describeNetError(err: unknown): NetError {
  const code = codeOf(err);
  const raw = err instanceof Error ? err.message : String(err);
  if (code.startsWith('HPE_')) {
    return { code, message: `invalid HTTP response (${code}: ${raw.replace(/^Parse Error: /, '')})` };
  }
  const known = MESSAGES[code];
  if (known) return { code, message: known };
  return { code, message: raw.split('\n')[0] || code };
}

/** Errors that mean the peer answered with something that is not valid HTTP. */
export function isMalformedHttp(code: string): boolean {
  return code.startsWith('HPE_');
}

/** A plain error carrying a code, for the probes' own failures (timeouts, early close). */
export function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
