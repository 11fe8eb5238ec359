import { describe, expect, it } from 'vitest';
import { hostOf, parseTarget } from '../../src/net/target.js';
import { detectBackend, keepAliveFix, keepAliveFixes, recommendedSeconds } from '../../src/net/keepalive-fixes.js';

describe('parseTarget', () => {
  it.each([
    ['https://api.example.com/health?x=1', { host: 'api.example.com', port: 443, tls: true, path: '/health?x=1', hostHeader: 'api.example.com' }],
    ['http://10.0.1.15:8080', { host: '10.0.1.15', port: 8080, tls: false, path: '/', hostHeader: '10.0.1.15:8080' }],
    ['10.0.1.15:8080', { host: '10.0.1.15', port: 8080, tls: false, path: '/' }],
    ['origin.example.com:443', { host: 'origin.example.com', port: 443, tls: true }],
    ['[::1]:3000/ping', { host: '::1', port: 3000, tls: false, path: '/ping', hostHeader: '[::1]:3000' }],
  ])('%s', (input, expected) => {
    const r = parseTarget(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.target).toMatchObject(expected);
  });

  it.each(['', 'example.com', 'ftp://x/', 'host:99999', 'http://'])('rejects %j with a reason', (input) => {
    const r = parseTarget(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
  });

  it('hostOf takes the name from a URL or host:port', () => {
    expect(hostOf('https://a.example.com:8443/x')).toBe('a.example.com');
    expect(hostOf('a.example.com:80')).toBe('a.example.com');
    expect(hostOf('a.example.com.')).toBe('a.example.com');
  });
});

describe('keep-alive fixes', () => {
  it('detects the backend from Server / X-Powered-By, Tomcat before Apache', () => {
    expect(detectBackend({ server: 'Apache-Coyote/1.1' })).toBe('tomcat');
    expect(detectBackend({ server: 'Apache/2.4.58' })).toBe('apache');
    expect(detectBackend({ server: 'nginx' })).toBe('nginx');
    expect(detectBackend({ server: 'Microsoft-IIS/10.0' })).toBe('iis');
    expect(detectBackend({ poweredBy: 'Express' })).toBe('node');
    expect(detectBackend({ server: 'Kestrel' })).toBe('kestrel');
    expect(detectBackend({ server: 'lighttpd/1.4.69' })).toBe('lighttpd');
    expect(detectBackend({ server: 'Varnish' })).toBe('varnish');
    expect(detectBackend({ via: '1.1 varnish (Varnish/7.1)', xVarnish: '32770' })).toBe('varnish');
    expect(detectBackend({ server: 'gws' })).toBeUndefined();
    expect(detectBackend({ keepAlive: 'timeout=5' })).toBe('node');
    expect(detectBackend({ keepAlive: 'timeout=5, max=100' })).toBeUndefined();
  });

  it('does not take Tomcat 8.5+ (no Server header, Keep-Alive: timeout=20) for Node', () => {
    // Tomcat 9 with the stock server.xml (connectionTimeout="20000"): no Server header.
    expect(detectBackend({ keepAlive: 'timeout=20' })).toBe('tomcat');
    expect(detectBackend({ keepAlive: 'timeout=60' })).toBe('tomcat');
    expect(detectBackend({ keepAlive: 'timeout=5', contentType: 'text/html;charset=UTF-8' })).toBe('tomcat');
    expect(detectBackend({ keepAlive: 'timeout=5', setCookie: 'JSESSIONID=8F2A; Path=/; HttpOnly' })).toBe('tomcat');
    expect(detectBackend({ keepAlive: 'timeout=5', contentType: 'text/html; charset=utf-8' })).toBe('node');
    expect(detectBackend({ keepAlive: 'timeout=65' })).toBe('node');
  });

  it('recommends the gateway idle timeout + 5 s, and the reference settings behind a 60 s ALB', () => {
    expect(recommendedSeconds(60)).toBe(65);
    expect(keepAliveFix('node', 60)).toContain('server.keepAliveTimeout = 65000; server.headersTimeout = 66000;');
    expect(keepAliveFix('nginx', 60)).toContain('keepalive_timeout 75s;');
    expect(keepAliveFix('apache', 60)).toContain('KeepAliveTimeout 65');
    expect(keepAliveFix('gunicorn', 60)).toContain('--keep-alive 65');
    expect(keepAliveFix('uvicorn', 60)).toContain('--timeout-keep-alive 65');
    expect(keepAliveFix('puma', 60)).toContain('persistent_timeout 75');
    expect(keepAliveFix('tomcat', 60)).toContain('keepAliveTimeout="65000"');
    expect(keepAliveFix('iis', 60)).toContain('connectionTimeout');
    expect(keepAliveFix('go', 60)).toContain('IdleTimeout: 75 * time.Second');
    expect(keepAliveFix('nginx', 120)).toContain('keepalive_timeout 125s;');
    expect(keepAliveFix('haproxy', 60)).toContain('timeout http-keep-alive 65s');
    expect(keepAliveFix('lighttpd', 60)).toContain('server.max-keep-alive-idle = 65');
    expect(keepAliveFix('varnish', 60)).toContain('timeout_idle=65');
    expect(keepAliveFix('kestrel', 60)).toContain('KeepAliveTimeout = TimeSpan.FromSeconds(130)');
    expect(keepAliveFix('envoy', 60)).toContain('idle_timeout: 3600s');
  });

  it('gives one fix line once the server is known, the common list only when nothing says', () => {
    expect(keepAliveFixes('tomcat', 60)).toEqual([keepAliveFix('tomcat', 60)]);
    expect(keepAliveFixes(undefined, 60, 'Jetty(9.4.z)')).toEqual(['Jetty(9.4.z): set its idle (keep-alive) timeout for client connections to 65 s or more']);
    expect(keepAliveFixes(undefined, 60).length).toBeGreaterThan(5);
  });
});

describe('hostOf with IPv6', () => {
  it('strips brackets and ports but keeps a bare address whole', () => {
    expect(hostOf('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(hostOf('2001:db8::1')).toBe('2001:db8::1');
    expect(hostOf('https://[2001:db8::1]/')).toBe('2001:db8::1');
  });
});
