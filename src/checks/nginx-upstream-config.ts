import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import { MAX_KEEPALIVE_WAIT_SECONDS } from '../net/keepalive-probe.js';
import { parseNginxConfig } from '../net/nginx-config.js';
import { KEEPALIVE_DEFAULT_SINCE, locationKeepAlive, readUpstreams, type LocationKeepAlive, type PassLocation, type UpstreamBlock } from '../net/nginx-upstreams.js';

export interface NginxConfigEvidence {
  source: string;
  /** The config as read (an `nginx -T` dump or a config file); evaluate parses it, so a re-evaluation sees the same. */
  text?: string;
  /** The version given as a parameter, when the text carries none. */
  version?: string;
  problem?: { message: string; nextStep: string };
}

const RETRIES = [
  'nginx hides most races: a request that fails on a reused keep-alive connection is tried again on a fresh one',
  '(proxy_next_upstream error timeout, the default; a failure on a cached connection even grants an extra try), so',
  'GET and HEAD races leave only `502, 200` in $upstream_status. POST, PATCH and LOCK are not retried once sent',
  '(they are not idempotent) unless proxy_next_upstream lists non_idempotent: the race\'s 502s reach clients on those.',
].join(' ');

function retryNote(locs: PassLocation[]): { text: string; retriesPost: boolean; nextUpstream: string } {
  const words = locs.map((l) => l.nextUpstream).find((w) => w !== undefined);
  const nextUpstream = words ? words.join(' ') : 'error timeout';
  if (words?.includes('off')) {
    return { text: `proxy_next_upstream off: nginx retries nothing, so a keep-alive race shows as a 502 on every method.`, retriesPost: false, nextUpstream };
  }
  if (words?.includes('non_idempotent')) {
    return { text: `${RETRIES} Here proxy_next_upstream has non_idempotent: POSTs are retried too (safe only if the app is idempotent), so 502s show only when every try fails.`, retriesPost: true, nextUpstream };
  }
  return { text: RETRIES, retriesPost: false, nextUpstream };
}

/** `host:port` of an upstream server as a URL the keep-alive probe can ask; none for unix sockets. */
function serverUrl(server: string | undefined, tls: boolean): string | undefined {
  if (!server || server.startsWith('unix:')) return undefined;
  const hasPort = /:\d+$/.test(server) && !/^\[[^\]]+\]$/.test(server);
  return `${tls ? 'https' : 'http'}://${hasPort ? server : `${server}:${tls ? 443 : 80}`}/`;
}

function describeUpstream(u: UpstreamBlock): string {
  return `upstream ${u.name} (${u.file}:${u.line}): ${u.dynamic ? 'peers chosen by Lua at run time (ingress-nginx: `kubectl get endpoints` lists them)' : u.servers.join(', ') || 'no servers'}; ${u.keepalive === undefined ? 'no keepalive' : `keepalive ${u.keepalive}`}${u.keepaliveTimeoutSeconds !== undefined ? `, keepalive_timeout ${u.keepaliveTimeoutSeconds} s` : ''}`;
}

function evaluate(ev: NginxConfigEvidence): CheckResult {
  if (ev.problem || ev.text === undefined) {
    return { status: 'unknown', outcome: 'unknown', summary: ev.problem?.message ?? 'no config was read', nextStep: ev.problem?.nextStep ?? 'pass the output of `sudo nginx -T`' };
  }
  const cfg = parseNginxConfig(ev.text);
  const version = cfg.version ?? (ev.version?.match(/\d+\.\d+\.\d+/)?.[0]);
  const facts: Facts = {};
  if (version) facts['nginx.version'] = version;
  const details: string[] = [];
  details.push(`Read ${cfg.files.length === 1 && cfg.files[0] === '(config)' ? `${ev.source} (a plain config)` : `${cfg.files.length} files from the nginx -T dump ${ev.source}`}; nginx ${version ?? 'version not known (add `nginx -v` output, or run nginx -T, which does not print it: `nginx -v 2>&1; nginx -T`)'}.`);
  for (const p of cfg.problems.slice(0, 5)) details.push(`Syntax: ${p}`);
  for (const inc of cfg.unresolvedIncludes.slice(0, 5)) details.push(`Not read: include ${inc.pattern} (${inc.file}:${inc.line}); \`sudo nginx -T\` prints every included file.`);
  if (!cfg.directives.length) {
    return {
      status: 'unknown', outcome: 'unknown', summary: `${ev.source} holds no nginx directives`, details,
      nextStep: 'pass the output of `sudo nginx -T` (or `kubectl exec <ingress-nginx pod> -- nginx -T`), or the nginx.conf itself',
    };
  }
  const { upstreams, locations } = readUpstreams(cfg.directives);
  for (const u of upstreams) details.push(describeUpstream(u));
  if (!locations.length) {
    return {
      status: 'warn', outcome: 'no-proxy', facts, details,
      summary: `No proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass or grpc_pass in ${ev.source}: this nginx passes nothing on${cfg.unresolvedIncludes.length ? ' (some includes were not read)' : ''}`,
      nextStep: cfg.unresolvedIncludes.length ? 'pass the output of `sudo nginx -T`, which holds the included files' : 'make sure this is the config of the nginx that answers the 502s',
    };
  }
  const verdicts = locations.map((l) => locationKeepAlive(l, upstreams, version));
  for (const v of verdicts) {
    const l = v.location;
    const extra = [
      l.readTimeoutSeconds !== undefined ? `${l.module}_read_timeout ${l.readTimeoutSeconds} s` : undefined,
      l.connectTimeoutSeconds !== undefined ? `${l.module}_connect_timeout ${l.connectTimeoutSeconds} s` : undefined,
      l.nextUpstream ? `${l.module}_next_upstream ${l.nextUpstream.join(' ')}` : undefined,
    ].filter(Boolean);
    details.push(`${v.reuses ? 'reuses' : 'closes'}: ${v.why} (${l.file}:${l.line})${extra.length ? `; ${extra.join(', ')}` : ''}`);
  }
  const retry = retryNote(locations);
  facts['nginx.nextUpstream'] = retry.nextUpstream;
  facts['nginx.retriesPost'] = retry.retriesPost;
  const reusing = verdicts.filter((v) => v.reuses);
  if (!reusing.length) {
    facts['nginx.keepalive'] = 'off';
    return {
      status: 'pass', outcome: 'keepalive-off', facts, details,
      summary: `nginx closes every upstream connection after its request (${locations.length} pass${locations.length === 1 ? '' : 'es'}): no idle connection for a backend to close under it`,
      findings: [{ cause: 'keepalive-race', confidence: 'ruled-out', strength: 'config', evidence: [`nginx ${version ?? ''} config: ${verdicts[0].why}${verdicts.length > 1 ? ` (and ${verdicts.length - 1} more passes likewise)` : ''}`.replace('nginx  ', 'nginx ')] }],
    };
  }
  // The longest reuse window is the one a backend has to outlast.
  const worst = [...reusing].sort((a, b) => (b.idleSeconds ?? 0) - (a.idleSeconds ?? 0))[0] as LocationKeepAlive & { idleSeconds: number };
  const up = upstreams.find((u) => u.name === worst.location.upstream)!;
  facts['nginx.keepalive'] = 'on';
  facts['nginx.keepaliveTimeoutSeconds'] = worst.idleSeconds;
  facts['nginx.upstream'] = up.name;
  facts['nginx.upstreamServers'] = up.dynamic ? 'the pods behind the Service (chosen by Lua)' : up.servers.join(', ');
  facts['nginx.probeWaitSeconds'] = Math.min(worst.idleSeconds + 10, MAX_KEEPALIVE_WAIT_SECONDS);
  const url = worst.location.module === 'proxy' ? serverUrl(up.servers[0], /^https:/i.test(worst.location.target)) : undefined;
  if (url) facts['nginx.upstreamUrl'] = url;
  details.push(retry.text);
  details.push(`Rule: every server in upstream ${up.name} must keep idle connections open longer than ${worst.idleSeconds} s (e.g. ${worst.idleSeconds + 5} s), or lower keepalive_timeout in the upstream block below the backend's.`);
  if (reusing.some((v) => v.versionDependent)) details.push(`Keep-alive here depends on the version: nginx ≥ ${KEEPALIVE_DEFAULT_SINCE} sends HTTP/1.1 without "Connection: close" and pools 32 connections per upstream block by default; older versions do not. An upgrade to ${KEEPALIVE_DEFAULT_SINCE}+ can start the race on backends with short keep-alive (gunicorn 2 s, uvicorn 5 s, Node ≤ 25 5 s, Apache 5 s).`);
  return {
    status: 'warn', outcome: 'keepalive-on', facts, details,
    summary: `nginx${version ? ` ${version}` : ''} keeps idle connections to upstream ${up.name} (${up.dynamic ? 'Lua-balanced peers' : up.servers[0] ?? '?'}) for up to ${worst.idleSeconds} s and reuses them: a backend with a shorter keep-alive makes 502s`,
  };
}

export const nginxUpstreamConfig: Check<NginxConfigEvidence> = {
  meta: {
    id: 'nginx.upstream-config',
    title: 'nginx upstream config: does nginx keep connections to the backend, and for how long',
    docs: 'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive',
    apis: ['probe:file'],
    params: {
      config: { description: 'The output of `nginx -T` saved to a file, or an nginx config file', required: true },
      version: { description: 'nginx version (e.g. 1.22.1) when the file does not hold `nginx -v` output' },
    },
    outcomes: ['keepalive-on', 'keepalive-off', 'no-proxy'],
    causes: ['keepalive-race'],
    strength: 'config',
    facts: [
      'nginx.version', 'nginx.keepalive', 'nginx.keepaliveTimeoutSeconds', 'nginx.upstream', 'nginx.upstreamServers', 'nginx.upstreamUrl',
      'nginx.probeWaitSeconds', 'nginx.nextUpstream', 'nginx.retriesPost',
    ],
  },
  async collect(ctx) {
    const source = ctx.params.config?.trim() ?? '';
    const version = ctx.params.version?.trim() || undefined;
    ctx.progress(`reading the nginx config ${source}`);
    try {
      const text = await ctx.env.files.readText(source);
      return { source, text, ...(version ? { version } : {}) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (e as Error).message;
      return { source, problem: { message: `cannot read the nginx config ${source}: ${why}`, nextStep: 'save it with `sudo nginx -T > nginx-T.txt 2>&1` (ingress-nginx: `kubectl exec -n ingress-nginx <controller pod> -- nginx -T > nginx-T.txt`) and pass that file' } };
    }
  },
  evaluate: (ev) => evaluate(ev),
};
