import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import { MAX_IDLE_TIMEOUT_SECONDS, MAX_KEEPALIVE_WAIT_SECONDS, type KeepAliveEvidence } from '../net/keepalive-probe.js';
import { detectBackend, keepAliveFixes, recommendedSeconds } from '../net/keepalive-fixes.js';
import { parseTarget } from '../net/target.js';
import { numberParam, paramProblem, probeSource, seconds } from './net-shared.js';

export interface KeepAliveCheckEvidence {
  measurement?: KeepAliveEvidence;
  idleTimeoutSeconds: number;
  paramError?: string;
  /** The target group is of type lambda: nothing holds a keep-alive connection, so nothing is probed. */
  lambdaTarget?: boolean;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function confirmLine(m: KeepAliveEvidence): string | undefined {
  const c = m.confirm;
  if (!c) return undefined;
  const at = `a second request sent after ${seconds(c.sentAfterMs)} idle`;
  if (c.answered) return `Confirm: ${at} was answered (${c.status}); the race is narrow, a busy gateway hits it only now and then.`;
  if (c.closedBeforeSend) return `Confirm: the server closed the connection (${c.closedBy?.toUpperCase()}) before ${at} could go out.`;
  if (c.closedBy) return `Confirm: ${at} got no answer, the server closed the connection (${c.closedBy.toUpperCase()}): exactly what a gateway turns into a 502.`;
  return `Confirm: ${at} failed: ${c.error?.message ?? 'unknown error'}`;
}

function evaluate(ev: KeepAliveCheckEvidence): CheckResult {
  if (ev.lambdaTarget) {
    return {
      status: 'pass', outcome: 'not-applicable',
      summary: 'Lambda target: the ALB invokes the function for each request and keeps no connection to it, so there is no keep-alive to measure',
      details: ['A slow function is cut by its own timeout (a 502 with error_reason LambdaUnhandled), not by the ALB idle timeout.'],
      findings: [{ cause: 'keepalive-race', confidence: 'ruled-out', evidence: ['the target group is of type lambda: no pooled connection to a backend'], strength: 'config' }],
    };
  }
  if (ev.paramError || !ev.measurement) {
    return paramProblem(ev.paramError ?? 'no probe ran', 'Pass target as a URL or host:port, e.g. target: 10.0.1.15:8080.');
  }
  const m = ev.measurement;
  const idle = ev.idleTimeoutSeconds;
  const sources = [probeSource('probe:http', { url: m.target, keepalive: true, maxWaitMs: m.maxWaitMs }, m.startedAt)];
  const facts: Facts = { 'gateway.idleTimeoutSeconds': idle };
  const r = m.response;
  const backend = r ? detectBackend(r) : undefined;
  if (r?.server) facts['backend.server'] = r.server;
  else if (backend) facts['backend.server'] = backend;
  if (backend) facts['backend.kind'] = backend;
  const details: string[] = [];
  if (r) {
    details.push(`Response: ${r.status} HTTP/${r.httpVersion}${r.server ? `, Server: ${r.server}` : ''}${r.connection ? `, Connection: ${r.connection}` : ''}${r.keepAlive ? `, Keep-Alive: ${r.keepAlive}` : ''}`);
  }

  if (m.result === 'error') {
    return {
      status: 'unknown',
      outcome: 'unknown',
      summary: `Could not get a response from ${m.target} (${m.error?.phase}): ${m.error?.message}`,
      details,
      facts,
      sources,
      nextStep: 'Check that the backend answers at all (net.tcp-connect, net.http-probe), then run this again.',
    };
  }
  if (m.result === 'no-keepalive') {
    return {
      status: 'pass',
      outcome: 'no-keepalive',
      summary: `${m.target} closes the connection after each response (no keep-alive), so a gateway never reuses one: no keep-alive race`,
      details: [...details, 'Each request pays for a new connection; turning keep-alive on needs a timeout above the gateway idle timeout.'],
      facts,
      sources,
    };
  }
  if (m.result === 'still-open') {
    const held = (m.idleMs ?? m.maxWaitMs) / 1000;
    facts['backend.keepAliveAtLeastSeconds'] = round1(held);
    if (held > idle) {
      const findings: Finding[] = [{
        cause: 'keepalive-race',
        confidence: 'ruled-out',
        evidence: [`${m.target} still kept the idle connection open after ${seconds(held * 1000)}, longer than the gateway idle timeout of ${idle} s`],
      }];
      return {
        status: 'pass',
        outcome: 'ok',
        summary: `The backend kept an idle connection open for more than ${seconds(held * 1000)} (gateway idle ${idle} s): no keep-alive race`,
        details,
        facts,
        findings,
        sources,
      };
    }
    return {
      status: 'unknown',
      outcome: 'inconclusive',
      summary: `Still open when the wait ended after ${seconds(held * 1000)}, which is not longer than the gateway idle timeout (${idle} s)`,
      details,
      facts,
      sources,
      nextStep: `Run again with maxWaitSeconds above ${idle}.`,
    };
  }

  const measured = (m.idleMs ?? 0) / 1000;
  facts['backend.keepAliveSeconds'] = round1(measured);
  if (m.closedBy) facts['backend.closedBy'] = m.closedBy;
  const how = m.closedBy === 'rst' ? 'reset (RST)' : 'closed (FIN)';
  details.push(`The server ${how} the idle connection after ${seconds(m.idleMs ?? 0)}; the gateway may reuse it for up to ${idle} s.`);
  const confirm = confirmLine(m);
  if (confirm) details.push(confirm);
  const evidence = [`measured backend keep-alive ${seconds(m.idleMs ?? 0)} (closed by ${m.closedBy === 'rst' ? 'RST' : 'FIN'}) vs gateway idle timeout ${idle} s`];
  if (measured <= idle) {
    const rec = recommendedSeconds(idle);
    facts['backend.recommendedKeepAliveSeconds'] = rec;
    const fixes = keepAliveFixes(backend, idle, r?.server);
    const which = backend || r?.server ? '' : '; no header says which backend, so here are the common ones';
    details.push(`Fix: make the backend keep idle connections at least ${rec} s (gateway idle + 5 s)${which}:`, ...fixes.map((f) => `  ${f}`));
    if (confirm) evidence.push(confirm);
    return {
      status: 'fail',
      outcome: 'race',
      summary: `Keep-alive race: the backend closes idle connections after ${seconds(m.idleMs ?? 0)}, before the gateway's ${idle} s idle timeout`,
      details,
      facts,
      findings: [{ cause: 'keepalive-race', confidence: 'confirmed', evidence: backend ? [...evidence, `fix: ${fixes[0]}`] : evidence }],
      sources,
    };
  }
  return {
    status: 'pass',
    outcome: 'ok',
    summary: `The backend keeps idle connections ${seconds(m.idleMs ?? 0)}, longer than the gateway's ${idle} s idle timeout`,
    details,
    facts,
    findings: [{ cause: 'keepalive-race', confidence: 'ruled-out', evidence }],
    sources,
  };
}

export const keepAliveCheck: Check<KeepAliveCheckEvidence> = {
  meta: {
    id: 'net.keepalive',
    title: 'Backend keep-alive timeout vs the gateway idle timeout (keep-alive race)',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout',
    apis: ['probe:dns', 'probe:tcp', 'probe:http'],
    params: {
      target: { description: 'Backend to probe: URL or host:port (the target itself, not the load balancer)', required: true },
      idleTimeoutSeconds: { description: 'The gateway idle timeout in seconds (default 60, the ALB default; fractions allowed)' },
      maxWaitSeconds: { description: `Longest wait for the server to close the idle connection (default 120, at most ${MAX_KEEPALIVE_WAIT_SECONDS})` },
      confirm: { description: '"true" to send a second request just before the measured close, to show the race' },
      servername: { description: 'SNI name for an https target given by IP address' },
    },
    outcomes: ['race', 'ok', 'no-keepalive', 'inconclusive', 'not-applicable'],
    causes: ['keepalive-race'],
    facts: [
      'backend.keepAliveSeconds', 'backend.keepAliveAtLeastSeconds', 'backend.server', 'backend.kind', 'backend.closedBy',
      'backend.recommendedKeepAliveSeconds', 'gateway.idleTimeoutSeconds',
    ],
  },
  async collect(ctx) {
    const idle = numberParam(ctx.params, 'idleTimeoutSeconds', 60, { min: 0.01, max: MAX_IDLE_TIMEOUT_SECONDS });
    const idleTimeoutSeconds = idle.ok ? idle.value : 60;
    if (ctx.facts['tg.targetType'] === 'lambda') return { idleTimeoutSeconds, lambdaTarget: true };
    if (!idle.ok) return { idleTimeoutSeconds, paramError: idle.error };
    const maxWait = numberParam(ctx.params, 'maxWaitSeconds', 120, { min: 0.01, max: MAX_KEEPALIVE_WAIT_SECONDS });
    if (!maxWait.ok) return { idleTimeoutSeconds, paramError: maxWait.error };
    const target = parseTarget(ctx.params.target ?? '');
    if (!target.ok) return { idleTimeoutSeconds, paramError: target.error };
    const maxWaitMs = maxWait.value * 1000;
    ctx.progress(`keep-alive probe of ${target.target.display}: one request, then waiting up to ${maxWait.value} s for the server to close the idle connection`);
    const servername = ctx.params.servername?.trim();
    const opts = {
      target: servername ? { ...target.target, servername } : target.target,
      maxWaitMs,
      signal: ctx.signal,
      now: () => ctx.env.clock.now(),
      tickMs: maxWaitMs > 10_000 ? 5000 : 1000,
      onTick: (elapsed: number, max: number) =>
        ctx.progress(`waiting for the server to close the idle connection… ${Math.round(elapsed / 1000)}s/${Math.round(max / 1000)}s`),
    };
    const measurement = await ctx.env.net.keepalive(opts);
    if (ctx.params.confirm === 'true' && measurement.result === 'closed' && measurement.idleMs !== undefined) {
      ctx.progress(`confirming: a second request just before the ${seconds(measurement.idleMs)} close`);
      measurement.confirm = await ctx.env.net.confirmRace(opts, measurement.idleMs);
    }
    return { measurement, idleTimeoutSeconds };
  },
  evaluate,
};
