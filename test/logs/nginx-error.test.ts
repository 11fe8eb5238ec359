import { describe, expect, it } from 'vitest';
import { classifyNginxMessage, parseNginxErrorLine } from '../../src/logs/nginx-error.js';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { NGINX_LINES } from './fixtures.js';

describe('nginx error log', () => {
  it('parses the documented line format', () => {
    const r = parseNginxErrorLine(NGINX_LINES.refused);
    expect(r).toEqual({
      ok: true,
      record: {
        time: '2024-03-05T10:00:01Z', level: 'error', pid: 1234, connection: 101,
        message: 'connect() failed (111: Connection refused) while connecting to upstream',
        client: '203.0.113.7', server: 'shop.example.com', request: 'GET /api/cart HTTP/1.1',
        upstream: 'http://127.0.0.1:3000/api/cart', host: 'shop.example.com',
      },
    });
  });

  it.each([
    ['refused', 'refused', 'target-not-listening'],
    ['unixRefused', 'refused', 'target-not-listening'],
    ['premature', 'prematurely-closed', 'burst-dependent'],
    ['reset', 'reset', 'burst-dependent'],
    ['tooBig', 'too-big-header', 'response-headers-too-large'],
    ['invalid', 'invalid-header', 'malformed-response'],
    ['ssl', 'ssl', 'target-tls-handshake'],
    ['noLive', 'no-live-upstreams', 'all-targets-unhealthy'],
    ['timeout', 'timeout', null],
  ] as const)('%s → %s', (name, kind, cause) => {
    const r = parseNginxErrorLine(NGINX_LINES[name]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(classifyNginxMessage(r.record.message)).toMatchObject({ kind, cause });
  });

  it('a closed connection after the headers is a truncated body, not a 502', () => {
    expect(classifyNginxMessage('upstream prematurely closed connection while reading upstream')).toMatchObject({ is502: false });
  });

  it('maps every message to its cause in an analysis, keep-alive vs crash by burst', () => {
    const burst = Array.from({ length: 8 }, (_, i) => NGINX_LINES.reset.replace('10:00:04', `10:05:${String(10 + i).padStart(2, '0')}`).replace('10.0.1.11', '10.0.1.50'));
    const a = analyzeText({ 'error.log': [NGINX_LINES.notice, ...Object.values(NGINX_LINES).filter((l) => l !== NGINX_LINES.notice), ...burst, 'continuation of a multi-line message'].join('\n') });
    expect(a.format).toBe('nginx-error');
    expect(Object.fromEntries(a.causes.map((c) => [c.cause, c.count]))).toEqual({
      'target-not-listening': 2, 'keepalive-race': 2, 'response-headers-too-large': 1, 'malformed-response': 1,
      'target-tls-handshake': 1, 'all-targets-unhealthy': 1, 'target-crashed-or-overloaded': 8,
    });
    expect(a.nginxKinds).toMatchObject({ refused: 2, reset: 9, 'prematurely-closed': 1, timeout: 1, other: 1 });
    expect(a.count502).toBe(16);
    expect(a.lines.malformed).toBe(1);
    expect(a.byTarget[0]).toMatchObject({ key: '10.0.1.50:8080', count502: 8 });
    expect(a.causes.find((c) => c.cause === 'target-tls-handshake')?.evidence).toEqual(['error.log:8']);
  });

  // Client connections: ngx_http_request.c sets log->action = "SSL handshaking" (no "to
  // upstream") around ngx_event_openssl.c's "SSL_do_handshake() failed"; the client gets no
  // response at all, so this is never an upstream 502.
  it('a client-side TLS handshake failure is not an upstream 502', () => {
    const client = `2024/03/05 10:00:10 [info] 1234#1234: *110 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 203.0.113.20, server: 0.0.0.0:443`;
    expect(classifyNginxMessage(parse(client).message)).toEqual({ kind: 'client-side', is502: false, cause: null });
    const peer = '2024/03/05 10:00:11 [info] 1234#1234: *111 peer closed connection in SSL handshake while SSL handshaking, client: 203.0.113.21, server: 0.0.0.0:443';
    expect(classifyNginxMessage(parse(peer).message)).toMatchObject({ is502: false });
    const a = analyzeText({ 'error.log': [client, peer, NGINX_LINES.ssl].join('\n') });
    expect(a.count502).toBe(1);
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'target-tls-handshake', count: 1, evidence: ['error.log:3'] })]);
  });

  // ngx_http_upstream.c: the body is read under log->action "reading upstream", after the
  // status line went to the client; the same errno in the header phase is a 502.
  it('a reset while reading the body is a truncated response, not a 502', () => {
    const body = '2024/03/05 10:00:12 [error] 1234#1234: *112 readv() failed (104: Connection reset by peer) while reading upstream, client: 203.0.113.22, server: shop.example.com, request: "GET /export.csv HTTP/1.1", upstream: "http://10.0.1.11:8080/export.csv", host: "shop.example.com"';
    expect(classifyNginxMessage(parse(body).message)).toEqual({ kind: 'truncated-body', is502: false, cause: null });
    const a = analyzeText({ 'error.log': [body, NGINX_LINES.reset].join('\n') });
    expect(a.count502).toBe(1);
    expect(a.causes).toEqual([expect.objectContaining({ cause: 'keepalive-race', count: 1, evidence: ['error.log:2'] })]);
    expect(a.nginxKinds).toEqual({ 'truncated-body': 1, reset: 1 });
    for (const phase of ['sending request to upstream', 'connecting to upstream', 'reading response header from upstream']) {
      expect(classifyNginxMessage(`writev() failed (32: Broken pipe) while ${phase}`)).toMatchObject({ kind: 'reset', is502: true });
    }
  });

  // Messages as the nginx source writes them (nginx/nginx src/http/ngx_http_upstream.c and
  // src/http/modules/ngx_http_{fastcgi,uwsgi,scgi,grpc}_module.c), each with the action it
  // is logged under.
  it.each([
    ['upstream prematurely closed FastCGI stdout while reading response header from upstream', 'prematurely-closed', 'target-crashed-or-overloaded'],
    ['upstream prematurely closed FastCGI request while reading response header from upstream', 'prematurely-closed', 'target-crashed-or-overloaded'],
    ['upstream sent unexpected FastCGI record: 3 while reading response header from upstream', 'invalid-header', 'malformed-response'],
    ['upstream split a header line in FastCGI records while reading response header from upstream', 'invalid-header', 'malformed-response'],
    ['upstream sent invalid status "abc" while reading response header from upstream', 'invalid-header', 'malformed-response'],
    ['upstream sent too big header while reading response header from upstream', 'too-big-header', 'response-headers-too-large'],
    // uwsgi and SCGI use the shared "upstream prematurely closed connection".
    ['upstream prematurely closed connection while reading response header from upstream', 'prematurely-closed', 'burst-dependent'],
    ['upstream rejected request with error 2 while reading response header from upstream', 'reset', 'target-crashed-or-overloaded'],
    ['upstream sent goaway with error 0 while reading response header from upstream', 'prematurely-closed', 'burst-dependent'],
    ['upstream prematurely closed stream while reading response header from upstream', 'prematurely-closed', 'burst-dependent'],
    ['upstream sent invalid :status "99" while reading response header from upstream', 'invalid-header', 'malformed-response'],
    ['upstream sent "Content-Length" and "Transfer-Encoding" headers at the same time while reading response header from upstream', 'invalid-header', 'malformed-response'],
  ] as const)('FastCGI/uwsgi/SCGI/gRPC: %s', (message, kind, cause) => {
    expect(classifyNginxMessage(message)).toEqual({ kind, is502: true, cause });
  });

  it('FastCGI stderr and ignored duplicate headers are logged, not 502s', () => {
    // ngx_http_fastcgi_module.c logs stderr and goes on; only fastcgi_catch_stderr turns it into an error.
    expect(classifyNginxMessage('FastCGI sent in stderr: "PHP message: PHP Warning:  Undefined variable $x in /var/www/index.php on line 3" while reading response header from upstream'))
      .toEqual({ kind: 'fastcgi-stderr', is502: false, cause: null });
    // ngx_http_upstream.c logs this at warn and ignores the header.
    expect(classifyNginxMessage('upstream sent duplicate header line: "Content-Type: a", previous value: "Content-Type: b", ignored while reading response header from upstream'))
      .toMatchObject({ is502: false });
    expect(classifyNginxMessage('upstream prematurely closed FastCGI stdout while reading upstream')).toMatchObject({ kind: 'truncated-body', is502: false });
  });

  it('counts a php-fpm (FastCGI) 502 in an analysis', () => {
    const line = '2024/03/05 10:00:13 [error] 1234#1234: *113 upstream prematurely closed FastCGI stdout while reading response header from upstream, client: 203.0.113.23, server: shop.example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"';
    const a = analyzeText({ 'error.log': line });
    expect(a).toMatchObject({ count502: 1, verdict: { cause: 'target-crashed-or-overloaded' } });
  });
});

function parse(line: string): { message: string } {
  const r = parseNginxErrorLine(line);
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}
