import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import type { HttpAttempt, HttpProbeEvidence } from '../net/http-probe.js';
import { fingerprint, type Fingerprint } from '../net/fingerprint.js';
import { parseTarget } from '../net/target.js';
import { isMalformedHttp } from '../net/net-error.js';
import { listFact, numberParam, paramProblem, probeSource } from './net-shared.js';

export interface HttpProbeCheckEvidence {
  probe?: HttpProbeEvidence;
  paramError?: string;
}

export const MAX_COUNT = 100;

function attemptLine(a: HttpAttempt): string {
  const t = a.timings;
  const parts = [
    t.dnsMs !== undefined ? `dns ${t.dnsMs} ms` : '',
    t.connectMs !== undefined ? `connect ${t.connectMs} ms` : '',
    t.tlsMs !== undefined ? `tls ${t.tlsMs} ms` : '',
    t.ttfbMs !== undefined ? `first byte ${t.ttfbMs} ms` : '',
    t.totalMs !== undefined ? `total ${t.totalMs} ms` : '',
  ].filter(Boolean);
  const skipped = a.failedAddresses?.length ? `  [${a.failedAddresses.map((f) => `${f.ip}: ${f.error.code}`).join(', ')} first]` : '';
  const what = a.status !== undefined ? `${a.status} ${a.statusText ?? ''}`.trim() + ` HTTP/${a.httpVersion}` : `failed at ${a.error?.phase}: ${a.error?.message}`;
  return `#${a.attempt} ${a.ip ?? '-'}  ${what}  (${parts.join(', ')})${skipped}`;
}

/** The response whose maker matters most: a 502, else another 5xx, else the first one. */
export function pickResponse(attempts: HttpAttempt[]): HttpAttempt | undefined {
  const answered = attempts.filter((a) => a.status !== undefined);
  return (
    answered.find((a) => a.status === 502) ??
    answered.find((a) => (a.status ?? 0) >= 500) ??
    answered[0]
  );
}

export function fingerprintAttempt(a: HttpAttempt | undefined): Fingerprint | undefined {
  if (!a || a.status === undefined) return undefined;
  return fingerprint({ status: a.status, headers: a.headers ?? {}, body: a.body });
}

function evaluate(ev: HttpProbeCheckEvidence): CheckResult {
  if (ev.paramError || !ev.probe) {
    return paramProblem(ev.paramError ?? 'no probe ran', 'Pass a full URL, e.g. url: https://api.example.com/health, and count from 1 to 100.');
  }
  const p = ev.probe;
  const attempts = p.attempts;
  const answered = attempts.filter((a) => a.status !== undefined);
  const failed = attempts.filter((a) => a.error && a.status === undefined);
  const got502 = answered.filter((a) => a.status === 502);
  const other5xx = answered.filter((a) => (a.status ?? 0) >= 500 && a.status !== 502);
  const malformed = failed.filter((a) => a.error && isMalformedHttp(a.error.code));
  const hung = failed.filter((a) => a.error?.code === 'TIMEOUT' && (a.error.phase === 'response' || a.error.phase === 'body'));
  const cut = failed.filter((a) => a.error && ['ECONNRESET', 'ECONNCLOSED', 'EPIPE'].includes(a.error.code) && a.error.phase !== 'connect');
  const picked = pickResponse(attempts);
  // nginx's stock 400 for plain HTTP on a TLS port (ngx_http_request.c, NGX_HTTP_TO_HTTPS 497 shown as 400).
  const plainToTls = answered.find((a) => a.status === 400 && /The plain HTTP request was sent to HTTPS port/i.test(a.body ?? ''));
  const fp = fingerprintAttempt(picked);
  const ips502 = [...new Set(got502.map((a) => a.ip ?? '?'))];

  const facts: Facts = { 'probe.count': attempts.length, 'probe.count502': got502.length };
  if (picked?.status !== undefined) facts['probe.status'] = picked.status;
  const server = answered.find((a) => a.headers?.server)?.headers?.server;
  if (server) facts['probe.server'] = server;
  if (picked?.httpVersion) facts['probe.httpVersion'] = picked.httpVersion;
  if (ips502.length) facts['probe.ips502'] = listFact(ips502);
  if (fp) {
    facts['gateway.kind'] = fp.kind;
    if (fp.flow) facts['gateway.flow'] = fp.flow;
  }
  const details = attempts.map(attemptLine);
  if (p.stopped) {
    details.push(p.stopped.reason === 'silent'
      ? `Stopped after ${attempts.length} requests: the backend stayed silent twice in a row; ${p.stopped.notSent} more would only wait out the same timeout.`
      : `Stopped after ${attempts.length} requests: the probe is bounded to ${Math.round(p.stopped.budgetMs / 1000)} s in all; ${p.stopped.notSent} were not sent.`);
  }
  if (p.addresses.length) details.unshift(`${p.host} resolved to ${listFact(p.addresses)}; requests rotated over them.`);
  if (fp && fp.kind !== 'unknown') details.push(`Gateway: ${fp.kind} (${fp.evidence.join('; ')})`);
  const malformedRaw = malformed.find((a) => a.rawStart)?.rawStart;
  if (malformedRaw) details.push(`First bytes received: ${JSON.stringify(malformedRaw.slice(0, 200))}`);
  const by = fp && fp.kind !== 'unknown' ? `, made by ${fp.kind} (${fp.evidence[0]})` : '';
  const n = attempts.length;
  const findings: Finding[] = [];

  let outcome: string;
  let status: CheckResult['status'];
  let summary: string;
  if (plainToTls) {
    outcome = 'plain-http-to-https';
    status = 'fail';
    summary = `${p.host}:${p.port} speaks HTTPS, but the probe (and whatever uses this URL) sent plain HTTP: 400 "The plain HTTP request was sent to HTTPS port"`;
    findings.push({
      cause: 'malformed-response',
      confidence: 'suspected',
      evidence: [`GET ${p.url}: 400 "The plain HTTP request was sent to HTTPS port"${by}`, 'A gateway or health check using http:// against this port gets 400s; a target group must use protocol HTTPS for it.'],
    });
  } else if (got502.length) {
    outcome = 'got-502';
    status = 'fail';
    summary = `${got502.length}/${n} requests got 502${by}; answered by ${listFact(ips502)}`;
  } else if (other5xx.length) {
    outcome = 'other-5xx';
    status = 'fail';
    const codes = [...new Set(other5xx.map((a) => a.status))].join('/');
    summary = `${other5xx.length}/${n} requests got ${codes}, no 502${by}`;
  } else if (malformed.length) {
    outcome = 'malformed-response';
    status = 'fail';
    summary = `${malformed.length}/${n} responses were not valid HTTP (${malformed[0].error?.code}): a gateway answers those with 502`;
    findings.push({
      cause: 'malformed-response',
      confidence: 'likely',
      evidence: [`GET ${p.url}: ${malformed[0].error?.message}`, ...(malformedRaw ? [`first bytes: ${JSON.stringify(malformedRaw.slice(0, 120))}`] : [])],
    });
  } else if (!answered.length && hung.length) {
    outcome = 'timeout';
    status = 'fail';
    summary = `Connected, but no response within the timeout on ${hung.length}/${n} requests (a gateway would time out: 504)`;
  } else if (!answered.length && cut.length) {
    outcome = 'no-response';
    status = 'fail';
    summary = `The server closed the connection without a response on ${cut.length}/${n} requests (${cut[0].error?.message}): a gateway answers that with 502`;
  } else if (!answered.length) {
    outcome = 'unreachable';
    status = 'fail';
    const e = failed[0]?.error;
    summary = `${e?.phase === 'tls' ? 'TLS handshake failed with' : 'Could not reach'} ${p.host}:${p.port}: ${e?.message ?? 'no attempt ran'}`;
  } else {
    outcome = 'ok';
    const fellBack = [...new Map(attempts.flatMap((a) => a.failedAddresses ?? []).map((f) => [f.ip, f])).values()];
    status = failed.length || fellBack.length ? 'warn' : 'pass';
    const codes = [...new Set(answered.map((a) => a.status))].join('/');
    summary = failed.length
      ? `${answered.length}/${n} requests answered ${codes}; ${failed.length} failed (${failed[0].error?.message})`
      : `${n}/${n} requests answered ${codes}, no 5xx${by}`;
    if (fellBack.length) {
      const verb = (code: string) => (code === 'ECONNREFUSED' ? 'refused' : 'was unreachable');
      summary += `; ${fellBack.map((f) => `${f.ip} ${verb(f.error.code)}`).join(', ')}, another address of the name answered`;
    }
  }
  return {
    status,
    outcome,
    summary,
    details,
    facts,
    findings: findings.length ? findings : undefined,
    sources: [probeSource('probe:http', { url: p.url, count: n }, p.startedAt)],
    nextStep: outcome === 'unreachable'
      ? 'Check the name and port (net.dns, net.tcp-connect), or the network path from here.'
      : outcome === 'plain-http-to-https'
        ? `Probe https://${p.host}:${p.port}/ instead, and set the gateway's target/origin protocol for this port to HTTPS.`
        : undefined,
  };
}

export const httpProbeCheck: Check<HttpProbeCheckEvidence> = {
  meta: {
    id: 'net.http-probe',
    title: 'HTTP probe (status, timings, repeated to catch an intermittent 502)',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html',
    apis: ['probe:dns', 'probe:http'],
    params: {
      url: { description: 'URL to GET (http or https)', required: true },
      count: { description: 'How many requests, 1-100, rotated over the resolved addresses (default 1)' },
      timeoutSeconds: { description: 'Bound on each request, DNS to last byte (default 10)' },
      totalTimeoutSeconds: { description: 'Bound on all requests together (default 60); two timeouts in a row also stop it' },
      servername: { description: 'SNI name for https, when it differs from the URL host (e.g. the URL has an IP)' },
      caFile: { description: 'PEM file of a private CA to verify the certificate with' },
    },
    outcomes: ['ok', 'got-502', 'other-5xx', 'malformed-response', 'plain-http-to-https', 'no-response', 'timeout', 'unreachable'],
    causes: ['malformed-response'],
    facts: ['probe.status', 'probe.server', 'probe.count502', 'probe.count', 'probe.ips502', 'probe.httpVersion', 'gateway.kind', 'gateway.flow'],
  },
  async collect(ctx) {
    const parsed = parseTarget(ctx.params.url ?? '');
    if (!parsed.ok) return { paramError: parsed.error };
    const count = numberParam(ctx.params, 'count', 1, { min: 1, max: MAX_COUNT, integer: true });
    if (!count.ok) return { paramError: count.error };
    const timeout = numberParam(ctx.params, 'timeoutSeconds', 10, { min: 0.01, max: 120 });
    if (!timeout.ok) return { paramError: timeout.error };
    const total = numberParam(ctx.params, 'totalTimeoutSeconds', 60, { min: 0.01, max: 3600 });
    if (!total.ok) return { paramError: total.error };
    const probe = await ctx.env.net.http({
      target: parsed.target,
      count: count.value,
      timeoutMs: timeout.value * 1000,
      totalTimeoutMs: total.value * 1000,
      servername: ctx.params.servername?.trim() || undefined,
      caFile: ctx.params.caFile?.trim() || undefined,
      signal: ctx.signal,
      now: () => ctx.env.clock.now(),
      onAttempt: (i, n) => ctx.progress(`GET ${parsed.target.display}${n > 1 ? ` (${i}/${n})` : ''}`),
    });
    return { probe };
  },
  evaluate,
};
