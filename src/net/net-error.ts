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
  // Node 20 offers TLS 1.2 and 1.3 only; a TLS 1.0/1.1-only server answers with this alert.
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION:
    'the server refused every TLS version offered (TLS 1.2 and 1.3): it speaks only TLS 1.0/1.1 or older, which current clients and gateway security policies reject',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the server chose a TLS version older than TLS 1.2 (TLS 1.0/1.1), which current clients and gateway security policies reject',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'no TLS version is both allowed here and offered by the server (it speaks only TLS 1.0/1.1 or older)',
  ERR_SSL_TLSV1_UNRECOGNIZED_NAME: 'the server does not serve the name sent as SNI, or needs one and none was sent (TLS alert unrecognized_name)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the server refused the TLS handshake (alert handshake_failure): no common cipher, or it needs a name (SNI) it did not get',
  ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR: 'the server aborted the TLS handshake (alert internal_error), often because no certificate matches the SNI name sent (or none was sent)',
};

/** `80…:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:…` → `tlsv1 alert protocol version`. */
function opensslReason(raw: string): string | undefined {
  const m = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/i.exec(raw);
  return m?.[1].trim();
}

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
  if (code.startsWith('ERR_SSL_') || /SSL routines/.test(raw)) {
    const reason = opensslReason(raw);
    return { code, message: `the TLS handshake failed${reason ? ` (${reason})` : ''}` };
  }
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
