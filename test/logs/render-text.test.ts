import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { renderAnalysis } from '../../src/logs/render-text.js';
import { NGINX_LINES, T0, albLine, iso } from './fixtures.js';

// nginx lines are the messages of nginx's src/http/ngx_http_upstream.c and
// src/event/ngx_event_connect.c (see fixtures.ts NGINX_LINES); ALB lines follow the docs layout.
describe('text report', () => {
  it('an nginx error log has no request counts, so upstreams get no rate over their errors', () => {
    const up = (l: string): string => l.replace(/upstream: "http:\/\/[^/]+/, 'upstream: "http://10.0.1.10:8080');
    const a = analyzeText({ 'error.log': [up(NGINX_LINES.refused), up(NGINX_LINES.refused), up(NGINX_LINES.reset)].join('\n') });
    expect(a.byTarget).toEqual([{ key: '10.0.1.10:8080', count502: 3 }]);
    const text = renderAnalysis(a);
    expect(text).toMatch(/By target:\n {2}10\.0\.1\.10:8080 {2}\s+3 {2}100\.0%\n/);
    expect(text).not.toContain('300.0%');
  });

  it('unix-socket upstreams keep their socket path', () => {
    const a = analyzeText({ 'error.log': [NGINX_LINES.unixRefused, NGINX_LINES.refused].join('\n') });
    expect(a.byTarget.map((t) => t.key).sort()).toEqual(['127.0.0.1:3000', 'unix:/run/php/php8.2-fpm.sock']);
  });

  it('names the span of the peak bucket and the busiest minute in it', () => {
    const peak = T0 + 7 * 60_000 + 5_000;
    const lines = [albLine({ time: iso(T0) }), ...[0, 1, 2].map((k) => albLine({ time: iso(peak + k * 1000), elb: '502', tstat: '502' }))];
    // Three days of window: 4,320 minutes become 2-minute buckets.
    const a = analyzeText({ 'x.log': lines.join('\n') }, { sinceMs: T0 - 36 * 3_600_000, untilMs: T0 + 36 * 3_600_000 });
    expect(a.perMinute.periodSeconds).toBe(120);
    expect(a.perMinute.peak502).toEqual({ minute: new Date(T0 + 7 * 60_000).toISOString(), count: 3 });
    expect(renderAnalysis(a)).toContain('peak 3 in 2024-03-05 10:06–10:08Z; busiest minute 2024-03-05 10:07Z with 3');
    const narrow = analyzeText({ 'x.log': lines.join('\n') });
    expect(renderAnalysis(narrow)).toContain('peak 3 at 2024-03-05 10:07Z');
  });

  it('prints no sparkline when there are no 502s', () => {
    const a = analyzeText({ 'x.log': [albLine({ time: iso(T0) }), albLine({ time: iso(T0 + 180_000) })].join('\n') });
    expect(renderAnalysis(a)).not.toMatch(/502s per|peak/);
  });
});
