import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nginxUpstreamConfig } from '../../src/checks/nginx-upstream-config.js';
import { getCheck } from '../../src/checks/registry.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';

const dir = mkdtempSync(join(tmpdir(), 'badgate-nginx-config-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const run = (config: string, params: Record<string, string> = {}) => runCheckResult(nginxUpstreamConfig, testContext({ params: { config, ...params } }));

// The keep-alive example of nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive, with the
// `nginx -v` line and the -T header nginx prints (format of src/core/nginx.c, ngx_dump_config).
const KEEPALIVE_DUMP = `nginx version: nginx/1.22.1
# configuration file /etc/nginx/nginx.conf:
events {}
http {
    upstream http_backend {
        server 127.0.0.1:8080;

        keepalive 16;
    }

    server {
        server_name shop.example.com;
        location /http/ {
            proxy_pass http://http_backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
`;

describe('nginx.upstream-config', () => {
  it('is registered with its title, docs and the file it reads', () => {
    expect(getCheck('nginx.upstream-config')).toBe(nginxUpstreamConfig);
    expect(nginxUpstreamConfig.meta).toMatchObject({ apis: ['probe:file'], docs: expect.stringMatching(/^https:\/\/nginx\.org\//) });
  });

  it('keep-alive on (docs example on 1.22.1): the reuse window, the upstream to probe and the retry rule', async () => {
    const r = await run(file('ka.txt', KEEPALIVE_DUMP));
    expect(r).toMatchObject({ status: 'warn', outcome: 'keepalive-on' });
    expect(r.facts).toMatchObject({
      'nginx.version': '1.22.1', 'nginx.keepalive': 'on', 'nginx.keepaliveTimeoutSeconds': 60, 'nginx.upstream': 'http_backend',
      'nginx.upstreamUrl': 'http://127.0.0.1:8080/', 'nginx.probeWaitSeconds': 70, 'nginx.nextUpstream': 'error timeout', 'nginx.retriesPost': false,
    });
    expect(r.summary).toMatch(/up to 60 s/);
    expect(r.details!.join('\n')).toMatch(/POST, PATCH and LOCK are not retried/);
    expect(r.findings ?? []).toEqual([]);
    expect(r.sources?.[0]).toMatchObject({ api: 'probe:file' });
  });

  it('the same config without the Connection header on 1.22.1 closes each connection: the race is ruled out from config', async () => {
    const r = await run(file('close.txt', KEEPALIVE_DUMP.replace('proxy_set_header Connection "";', '')));
    expect(r).toMatchObject({ status: 'pass', outcome: 'keepalive-off', facts: { 'nginx.keepalive': 'off' } });
    expect(r.findings).toEqual([expect.objectContaining({ cause: 'keepalive-race', confidence: 'ruled-out', strength: 'config' })]);
    expect(r.findings![0].evidence[0]).toMatch(/"close" sent/);
  });

  it('on 1.29.7 the bare upstream block keeps connections by default, and says an upgrade can start the race', async () => {
    const bare = 'nginx version: nginx/1.29.7\nhttp { upstream app { server app.internal:8000; keepalive_timeout 30s; } server { location / { proxy_pass http://app; } } }';
    const r = await run(file('new.txt', bare));
    expect(r).toMatchObject({ outcome: 'keepalive-on', facts: { 'nginx.keepaliveTimeoutSeconds': 30, 'nginx.upstreamUrl': 'http://app.internal:8000/' } });
    const old = await run(file('old.txt', bare.replace('1.29.7', '1.28.0')));
    expect(old.outcome).toBe('keepalive-off');
    const unknown = await run(file('unknown.txt', bare.replace(/^nginx version.*\n/, '')));
    expect(unknown.outcome).toBe('keepalive-on');
    expect(unknown.details!.join('\n')).toMatch(/depends on the version/);
    const given = await run(file('given.txt', bare.replace(/^nginx version.*\n/, '')), { version: '1.24.0' });
    expect(given.outcome).toBe('keepalive-off');
  });

  it('non_idempotent in proxy_next_upstream: POSTs are retried too; off: nothing is', async () => {
    const r = await run(file('ni.txt', KEEPALIVE_DUMP.replace('proxy_http_version 1.1;', 'proxy_http_version 1.1; proxy_next_upstream error timeout non_idempotent;')));
    expect(r.facts).toMatchObject({ 'nginx.retriesPost': true, 'nginx.nextUpstream': 'error timeout non_idempotent' });
    const off = await run(file('off.txt', KEEPALIVE_DUMP.replace('proxy_http_version 1.1;', 'proxy_http_version 1.1; proxy_next_upstream off;')));
    expect(off.details!.join('\n')).toMatch(/retries nothing/);
  });

  it('ingress-nginx\'s Lua-balanced upstream: keep-alive on, and no placeholder address offered to the probe', async () => {
    const text = `http {
      map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
      upstream upstream_balancer { server 0.0.0.1; balancer_by_lua_block { balancer.balance() } keepalive 320; keepalive_timeout 60s; }
      server { location / { proxy_set_header Connection $connection_upgrade; proxy_http_version 1.1; proxy_pass http://upstream_balancer; } }
    }`;
    const r = await run(file('ingress.txt', text), { version: '1.25.5' });
    expect(r).toMatchObject({ outcome: 'keepalive-on', facts: { 'nginx.keepaliveTimeoutSeconds': 60, 'nginx.upstream': 'upstream_balancer' } });
    expect(r.facts!['nginx.upstreamUrl']).toBeUndefined();
    expect(r.details!.join('\n')).toMatch(/kubectl get endpoints/);
  });

  it('Debian\'s stock config passes nothing on', async () => {
    const r = await run(join(import.meta.dirname, '../fixtures/nginx/debian-12-nginx-T.txt'));
    expect(r).toMatchObject({ status: 'warn', outcome: 'no-proxy', facts: { 'nginx.version': '1.22.1' } });
  });

  it('a plain nginx.conf says which includes it could not read', async () => {
    const r = await run(join(import.meta.dirname, '../fixtures/nginx/debian-12-nginx.conf'));
    expect(r.outcome).toBe('no-proxy');
    expect(r.details!.join('\n')).toMatch(/Not read: include \/etc\/nginx\/sites-enabled\/\*/);
    expect(r.nextStep).toMatch(/nginx -T/);
  });

  it('a missing file or a file that is not nginx config is unknown with the next step, never a failure', async () => {
    const missing = await run(join(dir, 'nope.txt'));
    expect(missing).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/no such file/), nextStep: expect.stringMatching(/nginx -T/) });
    const empty = await run(file('empty.txt', '# nothing here\n'));
    expect(empty).toMatchObject({ status: 'unknown', nextStep: expect.stringMatching(/nginx -T/) });
  });
});
