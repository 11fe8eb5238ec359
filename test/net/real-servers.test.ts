import { afterAll, describe, expect, it } from 'vitest';
import { keepAliveCheck } from '../../src/checks/net-keepalive.js';
import type { CheckContext } from '../../src/checks/types.js';
import { fingerprint } from '../../src/net/fingerprint.js';
import { probeHttp } from '../../src/net/http-probe.js';
import { measureKeepAlive } from '../../src/net/keepalive-probe.js';
import { parseTarget, type ProbeTarget } from '../../src/net/target.js';
import { freePort, requireServer, startProxy, versionOf, type RealServer, type StartedProxy } from './helpers/real-servers.js';
import { testContext } from '../helpers/check-context.js';

/**
 * The real packages, started here on free 127.0.0.1 ports (never their services): what
 * they answer when the upstream refuses, and how long they keep an idle connection.
 * With CI=true a missing binary fails (.ci/run installs nginx, apache2 and haproxy).
 */
const KEEPALIVE_S = 3;

interface Case {
  server: RealServer;
  kind: string;
  /** What the server answers when its upstream refuses the connection. */
  status: number;
  /** A path the server answers itself, to measure its own keep-alive. */
  okPath: string;
  backend?: string;
  fix?: RegExp;
}

const CASES: Case[] = [
  { server: 'nginx', kind: 'nginx', status: 502, okPath: '/ok', backend: 'nginx', fix: /nginx: keepalive_timeout 75s;/ },
  { server: 'apache2', kind: 'apache', status: 503, okPath: '/ok', backend: 'apache', fix: /Apache httpd: KeepAlive On and KeepAliveTimeout 15/ },
  { server: 'haproxy', kind: 'haproxy', status: 503, okPath: '/ok' },
];

const started: StartedProxy[] = [];
afterAll(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

function target(port: number, path = '/'): ProbeTarget {
  const t = parseTarget(`http://127.0.0.1:${port}${path}`);
  if (!t.ok) throw new Error(t.error);
  return t.target;
}

function ctx(params: Record<string, string>): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

for (const c of CASES) {
  const { available, reason } = requireServer(c.server);
  if (!available) console.warn(`skipping the real ${c.server} tests: ${reason}`);
  describe.skipIf(!available)(`real ${c.server} (${available ? versionOf(c.server) : 'missing'})`, () => {
    let proxy: StartedProxy;

    it(`is fingerprinted as ${c.kind} from its own ${c.status} when the upstream refuses`, async () => {
      proxy = await startProxy(c.server, { upstreamPort: await freePort(), keepAliveSeconds: KEEPALIVE_S, upstreamTimeoutSeconds: 2 });
      started.push(proxy);
      const probe = await probeHttp({ target: target(proxy.port), count: 1 });
      const a = probe.attempts[0];
      expect(a.status, proxy.output()).toBe(c.status);
      const fp = fingerprint({ status: a.status, headers: a.headers ?? {}, body: a.body });
      expect(fp.kind).toBe(c.kind);
      expect(fp.certain).toBe(true);
    });

    it(`closes an idle connection near its configured ${KEEPALIVE_S} s keep-alive`, async () => {
      const m = await measureKeepAlive({ target: target(proxy.port, c.okPath), maxWaitMs: (KEEPALIVE_S + 10) * 1000 });
      expect(m.result, JSON.stringify(m)).toBe('closed');
      // Servers check their timers coarsely (Apache's event MPM, HAProxy's task wakeups): a wide bound.
      expect(m.idleMs ?? 0).toBeGreaterThan(KEEPALIVE_S * 1000 * 0.6);
      expect(m.idleMs ?? 0).toBeLessThan((KEEPALIVE_S + 3) * 1000);
    });

    it('is reported as a keep-alive race behind a longer gateway idle timeout, with the fix for the server it detected', async () => {
      const params = { target: `http://127.0.0.1:${proxy.port}${c.okPath}`, idleTimeoutSeconds: '10', maxWaitSeconds: String(KEEPALIVE_S + 10) };
      const result = keepAliveCheck.evaluate(await keepAliveCheck.collect(ctx(params)), ctx(params));
      expect(result.outcome).toBe('race');
      if (c.backend) expect(result.facts?.['backend.kind']).toBe(c.backend);
      if (c.fix) expect(result.details?.join('\n')).toMatch(c.fix);
    });
  });
}
