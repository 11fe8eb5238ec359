import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logsNginxError } from '../../src/checks/logs-nginx-error.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';

// Lines in nginx's error-log format (ngx_http_upstream.c / ngx_recv.c messages, reference domain-502.md §7),
// as the real nginx test (test/net/nginx-keepalive-race.test.ts) produces them.
const line = (t: string, method: string, message: string) =>
  `2026/11/24 ${t} [error] 1187#1187: *88035 ${message}, client: 10.0.1.17, server: checkout.example.com, request: "${method} /api/orders HTTP/1.1", upstream: "http://10.0.3.12:8000/api/orders", host: "checkout.example.com"`;
const RESET = 'recv() failed (104: Connection reset by peer) while reading response header from upstream';
const CLOSED = 'upstream prematurely closed connection while reading response header from upstream';

describe('logs.nginx-error by method', () => {
  it('splits the upstream failures by method and says which ones nginx did not retry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgate-nginx-methods-'));
    const file = join(dir, 'error.log');
    writeFileSync(file, `${[
      line('14:39:03', 'POST', RESET), line('14:43:10', 'GET', RESET), line('14:47:51', 'POST', CLOSED),
      line('14:52:30', 'PATCH', RESET), line('14:58:02', 'GET', CLOSED), line('15:03:44', 'POST', RESET),
    ].join('\n')}\n`);
    const r = await runCheckResult(logsNginxError, testContext({ params: { source: file } }));
    expect(r.outcome).toBe('reset');
    expect(r.facts).toMatchObject({ 'logs.nginx.nonIdempotent': 4, 'logs.nginx.count502': 6 });
    expect(r.details!.join('\n')).toMatch(/By method: POST 3, GET 2, PATCH 1\. Each line is one failed try: .* 4 on POST\/PATCH\/LOCK, which nginx does not retry once sent, reached the client as 502\./);
  });

  it('an analysis kept before methods were counted still evaluates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgate-nginx-methods-'));
    const file = join(dir, 'error.log');
    writeFileSync(file, `${line('14:39:03', 'POST', RESET)}\n`);
    const ctx = testContext({ params: { source: file } });
    const ev = await logsNginxError.collect(ctx);
    delete ev.analysis!.nginxMethods;
    const r = logsNginxError.evaluate(ev, { params: {}, facts: {} });
    expect(r.outcome).toBe('reset');
    expect(r.facts!['logs.nginx.nonIdempotent']).toBeUndefined();
  });
});
