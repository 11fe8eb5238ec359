import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let state: string;
beforeAll(() => { state = mkdtempSync(join(tmpdir(), 'badgate-nginx-cli-')); });
const run = (args: string[]) => runCli(args, { BADGATE_STATE_DIR: state });
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

// The nginx docs' upstream keep-alive example (nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive)
// without `proxy_set_header Connection "";`, on 1.22.1: nginx sends "Connection: close" and pools nothing.
const CLOSING = `nginx version: nginx/1.22.1
# configuration file /etc/nginx/nginx.conf:
events {}
http {
    upstream http_backend {
        server 127.0.0.1:8080;
        keepalive 16;
    }
    server {
        location /http/ {
            proxy_pass http://http_backend;
            proxy_http_version 1.1;
        }
    }
}
`;

describe('badgate run/check nginx (built binary)', () => {
  it('--help names the nginx flow and its two inputs', () => {
    const r = run(['--help']);
    expect(r.out).toMatch(/flows: alb, nginx/);
    expect(r.out).toMatch(/--config FILE/);
    expect(r.out).toMatch(/--error-log FILE/);
  });

  it('a --config that does not exist stops with the command that makes one', () => {
    const r = run(['check', 'nginx', '--config', join(state, 'nope.txt')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--config .*nope\.txt: no such file/);
    expect(r.err).toMatch(/next: save it with `sudo sh -c 'nginx -v; nginx -T' > nginx-T\.txt 2>&1`/);
    noStack(r.err);
    const dir = run(['check', 'nginx', '--config', state]);
    expect(dir.err).toMatch(/a directory, not a file/);
    const log = run(['check', 'nginx', '--error-log', join(state, 'missing.log')]);
    expect(log).toMatchObject({ code: 2, err: expect.stringMatching(/--error-log .*missing\.log: no such file/) });
    // A glob is the log reader's to expand.
    const glob = run(['check', 'nginx', '--json', '--error-log', join(state, 'error.log*')]);
    expect(glob.code, glob.err).not.toBe(2);
  });

  it('--config on another flow is refused, not ignored', () => {
    const file = join(state, 'c.txt');
    writeFileSync(file, CLOSING);
    const r = run(['check', 'alb', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--config is read by the nginx flow, not by "alb"/);
    expect(r.err).toMatch(/next: badgate run nginx --config/);
  });

  it('run nginx without a terminal points at check nginx', () => {
    const r = run(['run', 'nginx']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/badgate check nginx --json/);
  });

  it('check nginx on a config that pools nothing rules the race out from config and skips the probe, with no AWS call', () => {
    const file = join(state, 'closing.txt');
    writeFileSync(file, CLOSING);
    const r = run(['check', 'nginx', '--json', '--config', file]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { checks: { id: string; outcome: string }[]; ruledOut: { id: string; strength: string }[]; causes: unknown[] };
    expect(out.checks.map((c) => c.id)).not.toContain('net.keepalive');
    expect(out.checks.find((c) => c.id === 'nginx.upstream-config')?.outcome).toBe('keepalive-off');
    expect(out.ruledOut).toContainEqual(expect.objectContaining({ id: 'keepalive-race', strength: 'config' }));
    expect(out.causes).toEqual([]);
    expect(r.err).toMatch(/Local checks only/);
  });
});
