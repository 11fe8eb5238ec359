import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { detectLine } from '../../src/logs/line-format.js';
import { DOC_CLB, DOC_HTTP, DOCKER_NGINX_START, NGINX_LINES } from './fixtures.js';

function detect(line: string): { format: string | null; rest: string } {
  const b = Buffer.from(line);
  const d = detectLine(b, 0, b.length);
  return { format: d.format, rest: b.toString('utf8', d.start) };
}

describe('format per line', () => {
  it('reads `docker logs` of the nginx image, entrypoint notices first, as an nginx error log', () => {
    const a = analyzeText({ 'docker.log': [...DOCKER_NGINX_START, NGINX_LINES.refused].join('\n') });
    expect(a.format).toBe('nginx-error');
    expect(a.count502).toBe(1);
    expect(a.causes[0]).toMatchObject({ cause: 'target-not-listening', evidence: ['docker.log:6'] });
    expect(a.lines.malformedByReason).toEqual({ 'not an ALB, CLB or nginx error-log line': 4 });
  });

  // docker logs -t and kubectl logs --timestamps both prefix RFC3339Nano (Go time.RFC3339Nano)
  // https://docs.docker.com/reference/cli/docker/container/logs/ ,
  // https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/
  it('strips the `docker logs -t` / `kubectl logs --timestamps` time prefix', () => {
    const lines = [...DOCKER_NGINX_START, NGINX_LINES.refused].map((l, i) => `2026-12-01T23:05:0${i}.${'123456789'.slice(0, 9 - (i % 3))}Z ${l}`);
    lines.push(`2026-12-01T23:05:09.5+00:00 ${NGINX_LINES.reset}`);
    const a = analyzeText({ 'docker-t.log': lines.join('\n') });
    expect(a.format).toBe('nginx-error');
    expect(a.count502).toBe(2);
    expect(a.lines.malformed).toBe(4);
  });

  // journalctl -o short-iso and classic syslog (RFC 3164) headers before nginx's stderr:
  // https://www.freedesktop.org/software/systemd/man/latest/journalctl.html (--output=short-iso)
  it('strips journald short-iso and classic syslog headers', () => {
    expect(detect(`2026-12-01T23:05:00+0000 web-1 nginx[123]: ${NGINX_LINES.refused}`)).toEqual({ format: 'nginx-error', rest: NGINX_LINES.refused });
    expect(detect(`Dec  1 23:05:00 web-1 nginx[123]: ${NGINX_LINES.refused}`)).toEqual({ format: 'nginx-error', rest: NGINX_LINES.refused });
    expect(detect(`Dec 11 23:05:00 web-1 nginx: ${NGINX_LINES.reset}`)).toEqual({ format: 'nginx-error', rest: NGINX_LINES.reset });
    const a = analyzeText({ 'journal.txt': [
      '2026-12-01T23:04:59+0000 web-1 systemd[1]: Starting nginx.service - A high performance web server...',
      `2026-12-01T23:05:00+0000 web-1 nginx[123]: ${NGINX_LINES.refused}`,
      `Dec  1 23:05:00 web-1 nginx[123]: ${NGINX_LINES.refused}`,
    ].join('\n') });
    expect(a).toMatchObject({ format: 'nginx-error', count502: 2, lines: { malformed: 1 } });
  });

  it('still tells CLB lines (which start with a UTC time too) from prefixed ones', () => {
    expect(detect(DOC_CLB).format).toBe('clb');
    expect(detect(DOC_HTTP).format).toBe('alb');
    expect(detect(`2026-12-01T23:05:00.123456789Z ${DOC_HTTP}`)).toEqual({ format: 'alb', rest: DOC_HTTP });
    expect(detect('2026-12-01T23:05:00.123456789Z /docker-entrypoint.sh: Configuration complete; ready for start up').format).toBeNull();
    const a = analyzeText({ 'mixed.log': [DOC_CLB, DOC_HTTP].join('\n') });
    expect(a).toMatchObject({ format: 'mixed', requests: 2, lines: { malformed: 0 } });
  });
});
