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
});
