import { isIP } from 'node:net';
import type { CheckResult, Confidence, Facts, Finding } from '../engine/vocabulary.js';
import type { Check, CheckContext } from '../checks/types.js';
import { httpProbeCheck, MAX_COUNT, type HttpProbeCheckEvidence } from '../checks/net-http-probe.js';
import { fingerprintCheck } from '../checks/net-fingerprint.js';
import { keepAliveCheck } from '../checks/net-keepalive.js';
import { tlsCheck } from '../checks/net-tls.js';
import { dnsCheck } from '../checks/net-dns.js';
import { tcpConnectCheck } from '../checks/net-tcp-connect.js';
import { existsSync } from 'node:fs';
import { parseTarget } from '../net/target.js';
import { liveEnv } from '../checks/env.js';
import { runCheck } from '../checks/runner.js';
import { MAX_IDLE_TIMEOUT_SECONDS, MAX_KEEPALIVE_WAIT_SECONDS } from '../net/keepalive-probe.js';

export interface ProbeCommandOptions {
  url: string;
  keepalive: boolean;
  count: number;
  idleTimeoutSeconds?: number;
  maxWaitSeconds?: number;
  json: boolean;
  /** SNI name for https when the URL's host is an IP or differs from the certificate's name. */
  sni?: string;
  /** PEM file of a private CA for the TLS check and the HTTPS requests. */
  caFile?: string;
  /** Lets the CLI stop every probe on Ctrl+C. */
  signal?: AbortSignal;
}

export interface ProbeCommandIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface ProbeReport {
  target: string;
  suggestedFlow?: string;
  checks: { id: string; status: CheckResult['status']; outcome: string; summary: string; facts?: Facts; details?: string[]; nextStep?: string }[];
  causes: { id: string; confidence: Confidence; evidence: string[] }[];
  ruledOut: { id: string; evidence: string[] }[];
  /** Set when a gateway's own error page says it made the failing response: what it means and what to do. */
  madeBy?: string;
  /** Caveats about what was measured. */
  notes: string[];
}

/** Bound on all HTTP requests of one probe, so --count N against a silent backend ends. */
const HTTP_TOTAL_SECONDS = 60;

const RANK: Record<Confidence, number> = { confirmed: 0, likely: 1, suspected: 2, 'ruled-out': 3 };
const MARK: Record<CheckResult['status'], string> = { pass: '[ ok ]', warn: '[warn]', fail: '[FAIL]', unknown: '[ ?? ]' };

function usage(io: ProbeCommandIo, problem: string, next: string): number {
  io.err(`badgate probe: ${problem}. Next: ${next}`);
  return 2;
}

function validate(opts: ProbeCommandOptions, io: ProbeCommandIo): number | undefined {
  const raw = (opts.url ?? '').trim();
  if (!raw) return usage(io, 'no URL given', 'badgate probe https://api.example.com/health');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    return usage(io, `"${raw}" is not a URL`, `badgate probe https://${raw.replace(/^\/+/, '')}`);
  }
  const parsed = parseTarget(raw);
  if (!parsed.ok) return usage(io, parsed.error, 'badgate probe https://api.example.com/health');
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_COUNT) {
    return usage(io, `--count must be a whole number from 1 to ${MAX_COUNT}, got ${opts.count}`, '--count 20');
  }
  const idle = opts.idleTimeoutSeconds;
  if (idle !== undefined && (!Number.isFinite(idle) || idle < 1 || idle > MAX_IDLE_TIMEOUT_SECONDS)) {
    return usage(io, `--idle-timeout must be seconds from 1 to ${MAX_IDLE_TIMEOUT_SECONDS} (the gateway idle timeout), got ${idle}`, '--idle-timeout 60');
  }
  const wait = opts.maxWaitSeconds;
  // Fractions stay allowed here: tests scale the wait down.
  if (wait !== undefined && (!Number.isFinite(wait) || wait <= 0 || wait > MAX_KEEPALIVE_WAIT_SECONDS)) {
    return usage(io, `the keep-alive wait must be 1 to ${MAX_KEEPALIVE_WAIT_SECONDS} seconds, got ${wait}`, 'leave it out (default 120 s)');
  }
  if (opts.sni !== undefined && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(opts.sni.trim())) {
    return usage(io, `--sni must be a host name, got "${opts.sni}"`, '--sni api.example.com');
  }
  if (opts.caFile !== undefined && !existsSync(opts.caFile)) {
    return usage(io, `--ca-file ${opts.caFile} does not exist`, '--ca-file ./private-ca.pem');
  }
  if ((opts.sni !== undefined || opts.caFile !== undefined) && !parsed.target.tls) {
    return usage(io, '--sni and --ca-file only apply to https:// URLs', `badgate probe https://${parsed.target.hostHeader}${parsed.target.path}`);
  }
  return undefined;
}

interface Ran {
  id: string;
  result: CheckResult;
}

/**
 * `badgate probe <url> [--keepalive] [--count N] [--idle-timeout S] [--json]`:
 * DNS, TCP, HTTP (+TLS for https, +keep-alive when asked) against the one host named,
 * a verdict on screen or as JSON. Returns the exit code: 0 nothing wrong found,
 * 1 a cause found, 2 usage or setup error, 130 interrupted.
 */
export async function runProbeCommand(opts: ProbeCommandOptions, io: ProbeCommandIo): Promise<number> {
  const bad = validate(opts, io);
  if (bad !== undefined) return bad;
  try {
    return await probe(opts, io);
  } catch (err) {
    // Checks never throw by design; this is the last guard against a stack on screen.
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return usage(io, `the probe stopped unexpectedly (${msg})`, 'run it again; if it repeats, report it with the command line used');
  }
}

async function probe(opts: ProbeCommandOptions, io: ProbeCommandIo): Promise<number> {
  const parsed = parseTarget(opts.url.trim());
  if (!parsed.ok) return usage(io, parsed.error, 'badgate probe https://api.example.com/health');
  const t = parsed.target;
  const idle = opts.idleTimeoutSeconds ?? 60;
  const maxWait = opts.maxWaitSeconds ?? Math.max(120, Math.ceil(idle) + 15);
  const signal = opts.signal ?? new AbortController().signal;
  if (t.credentialsRemoved) io.err('badgate probe: the user:password in the URL was removed; it is not sent, shown or saved.');

  io.err(
    `badgate probe talks only to ${t.host} (port ${t.port})${isIP(t.host) ? '' : ' and resolves its name'}: ` +
      `${opts.count} GET request${opts.count > 1 ? 's' : ''}, each bounded by 10 s${opts.count > 1 ? `, ${HTTP_TOTAL_SECONDS} s in all` : ''}` +
      `${t.tls ? ', one TLS handshake' : ''}` +
      `${opts.keepalive ? `, one keep-alive connection held idle for at most ${maxWait} s` : ''}. Nothing else is contacted.`,
  );

  let lastPrint = 0;
  let lastCheck = '';
  const ran: Ran[] = [];
  const facts: Facts = {};
  const run = async <E>(check: Check<E>, params: Record<string, string>, evidenceHook?: (e: E) => void): Promise<CheckResult> => {
    const ctx: CheckContext = {
      params,
      facts,
      signal,
      env: liveEnv(),
      progress: (msg) => {
        // A line per check start, then at most one a second: enough to show it is alive.
        const nowMs = performance.now();
        if (check.meta.id !== lastCheck || nowMs - lastPrint >= 1000) {
          io.err(`… ${msg}`);
          lastPrint = nowMs;
          lastCheck = check.meta.id;
        }
      },
    };
    const { result, evidence } = await runCheck(check, ctx);
    if (evidence !== undefined) evidenceHook?.(evidence as E);
    Object.assign(facts, result.facts ?? {});
    ran.push({ id: check.meta.id, result });
    return result;
  };

  // DNS is reported, but the TCP connect (system resolver) decides whether to go on.
  if (!isIP(t.host)) await run(dnsCheck, { name: t.host });
  const tcp = await run(tcpConnectCheck, { host: t.host, port: String(t.port) });
  const reachable = tcp.outcome === 'open';
  if (reachable) {
    let httpEvidence: HttpProbeCheckEvidence | undefined;
    const tlsParams: Record<string, string> = {};
    if (opts.sni) tlsParams.servername = opts.sni.trim();
    if (opts.caFile) tlsParams.caFile = opts.caFile;
    await run(httpProbeCheck, { url: t.display, count: String(opts.count), totalTimeoutSeconds: String(HTTP_TOTAL_SECONDS), ...tlsParams }, (e) => {
      httpEvidence = e;
    });
    if (httpEvidence?.probe) {
      const fp = fingerprintCheck.evaluate({ probe: httpEvidence.probe }, { params: {}, facts });
      if (fp.outcome !== 'unknown') {
        Object.assign(facts, fp.facts ?? {});
        ran.push({ id: fingerprintCheck.meta.id, result: fp });
      }
    }
    if (t.tls && !signal.aborted) await run(tlsCheck, { host: t.host, port: String(t.port), servername: t.host, ...tlsParams });
    if (opts.keepalive && !signal.aborted) {
      await run(keepAliveCheck, {
        target: t.display,
        idleTimeoutSeconds: String(idle),
        maxWaitSeconds: String(maxWait),
        confirm: 'false',
        ...(opts.sni ? { servername: opts.sni.trim() } : {}),
      });
    }
  }

  if (signal.aborted) {
    // Whatever ran was cut short: a verdict from it would claim "nothing wrong" that was never checked.
    io.err('badgate probe: interrupted (Ctrl+C) before the probes finished; nothing was concluded. Next: run it again and let it finish.');
    return 130;
  }
  const report = buildReport(t.display, ran, facts);
  const kind = facts['gateway.kind'];
  if (opts.keepalive && reachable && typeof kind === 'string' && kind !== 'unknown') {
    report.notes.push(
      `The keep-alive probe measured ${t.host} itself, which answers like ${kind}. The race is between a gateway and the backend behind it: probe the backend directly (badgate probe http://<backend-ip>:<port>/ --keepalive --idle-timeout ${idle}).`,
    );
  }
  if (opts.json) io.out(JSON.stringify(report, null, 2));
  else printHuman(report, io, reachable);
  const failed = report.checks.some((c) => c.status === 'fail');
  return report.causes.length || failed ? 1 : 0;
}

function buildReport(target: string, ran: Ran[], facts: Facts): ProbeReport {
  const findings: Finding[] = ran.flatMap((r) => r.result.findings ?? []);
  const causes = findings
    .filter((f) => f.confidence !== 'ruled-out')
    .sort((a, b) => RANK[a.confidence] - RANK[b.confidence])
    .reduce<ProbeReport['causes']>((acc, f) => {
      const seen = acc.find((c) => c.id === f.cause);
      if (!seen) acc.push({ id: f.cause, confidence: f.confidence, evidence: [...f.evidence] });
      else seen.evidence.push(...f.evidence.filter((e) => !seen.evidence.includes(e)));
      return acc;
    }, []);
  const ruledOut = findings
    .filter((f) => f.confidence === 'ruled-out' && !causes.some((c) => c.id === f.cause))
    .map((f) => ({ id: f.cause, evidence: f.evidence }));
  const flow = facts['gateway.flow'];
  const made = facts['gateway.made'];
  const status = facts['probe.status'];
  // Only a stock error page is proof enough to name the maker in the verdict.
  const madeBy = facts['gateway.certain'] === true && typeof made === 'string' && typeof status === 'number' && status >= 500 ? made : undefined;
  return {
    target,
    suggestedFlow: typeof flow === 'string' ? flow : undefined,
    madeBy,
    checks: ran.map(({ id, result }) => ({
      id,
      status: result.status,
      outcome: result.outcome,
      summary: result.summary,
      facts: result.facts,
      details: result.details,
      nextStep: result.nextStep,
    })),
    causes,
    ruledOut,
    notes: [],
  };
}

function printHuman(report: ProbeReport, io: ProbeCommandIo, reachable: boolean): void {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  io.out(`Probe of ${report.target}`);
  for (const c of report.checks) {
    io.out(`${MARK[c.status]} ${c.id.padEnd(width)}  ${c.summary}`);
    // Who made the response is the point of the fingerprint: its Server and also-seen lines show even when it passed.
    const show = c.status === 'pass' && c.id !== 'net.fingerprint' ? [] : (c.details ?? []);
    for (const d of show.slice(0, 12)) io.out(`         ${d}`);
    if (c.nextStep) io.out(`         next: ${c.nextStep}`);
  }
  if (!reachable) io.out('Skipped the HTTP, TLS and keep-alive probes: the host could not be reached.');
  io.out('');
  if (report.causes.length) {
    io.out('Verdict: possible causes, most likely first');
    for (const c of report.causes) {
      io.out(`  - ${c.id} (${c.confidence})`);
      for (const e of c.evidence) io.out(`      ${e}`);
    }
    if (report.madeBy) io.out(`  The failing response itself: ${report.madeBy}.`);
  } else if (report.madeBy) {
    io.out(`Verdict: ${report.madeBy}.`);
  } else if (report.checks.some((c) => c.status === 'fail')) {
    io.out('Verdict: something failed (see above), but no cause could be pinned from here.');
  } else {
    io.out('Verdict: nothing wrong found from here.');
  }
  for (const r of report.ruledOut) io.out(`  ruled out: ${r.id} (${r.evidence[0]})`);
  for (const n of report.notes) io.out(`Note: ${n}`);
  if (report.suggestedFlow) {
    io.out(`Next: walk the ${report.suggestedFlow} flow: badgate run ${report.suggestedFlow} --url ${report.target}`);
  }
}
