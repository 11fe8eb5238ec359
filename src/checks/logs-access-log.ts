import { AwsNotConfiguredError } from '../engine/errors.js';
import { isS3 } from '../logs/load-source.js';
import { parseWindow } from '../logs/time-window.js';
import { sparkline } from '../logs/sparkline.js';
import { NEXT_STEP } from '../logs/next-steps.js';
import { LogSourceError, describeIoError } from '../logs/errors.js';
import type { AnalyzerOptions } from '../logs/log-analyzer.js';
import type { LogAnalysis, LogCause, LogCauseId } from '../logs/types.js';
import type { CheckResult, Confidence, Facts, Finding, Source } from '../engine/vocabulary.js';
import type { Check, CheckContext } from './types.js';
import { factList } from './elbv2-common.js';

export interface LogsEvidence {
  source: string;
  /** The window read, ISO (absent ends are open). */
  window?: { since?: string; until?: string };
  analysis: LogAnalysis | null;
  /** Why there is nothing to analyse (missing file, empty window…). */
  problem?: { message: string; nextStep: string };
  sources: Source[];
  /** What the earlier checks knew about the targets when the logs were read (absent: not known). */
  targets?: {
    /** Targets passing health checks. */
    healthy?: number;
    /** Targets still in their first health checks (state initial). */
    initial?: number;
    /** IP addresses of targets that were draining (deregistration in progress). */
    drainingIps?: string[];
  };
}

/** The first 502s come before anyone notices: the window opens this long before the incident's start. */
export const START_MARGIN_MS = 15 * 60_000;

/**
 * Where the log window opens: the earlier of the incident start minus a margin and the run's
 * incident window (--since, default 3h) back from now. Logs then hold the first 502s whether the
 * start was answered ("30m ago"), left at its headless default ("now"), or not asked at all.
 */
export function windowStart(startMs: number | undefined, window: string | undefined, now: Date): number | undefined {
  const fromStart = startMs === undefined ? undefined : startMs - START_MARGIN_MS;
  const back = window?.trim() ? parseWindow(window, undefined, now) : undefined;
  const fromWindow = back?.ok ? back.sinceMs : undefined;
  if (fromStart === undefined) return fromWindow;
  return fromWindow === undefined ? fromStart : Math.min(fromStart, fromWindow);
}

export function windowText(w: LogsEvidence['window']): string {
  const t = (iso?: string) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');
  if (!w || (!w.since && !w.until)) return 'the whole file';
  return w.until ? `${t(w.since) || 'the start'} → ${t(w.until)}` : `${t(w.since)} → now`;
}

/** The source from params, else the LB's access-log location from the facts. */
export function logSourceFor(params: Record<string, string>, facts: Readonly<Facts>): string {
  const given = params.source?.trim();
  if (given) return given;
  const bucket = facts['lb.accessLogs.bucket'] ? String(facts['lb.accessLogs.bucket']) : '';
  if (!bucket) return '';
  const prefix = facts['lb.accessLogs.prefix'] ? String(facts['lb.accessLogs.prefix']).replace(/^\/+|\/+$/g, '') : '';
  return `s3://${bucket}/${prefix}`;
}

/** Shared by the access-log and nginx checks: read the source into a LogAnalysis. */
export async function collectLogs(ctx: CheckContext, source: string, extra: AnalyzerOptions = {}): Promise<LogsEvidence> {
  const at = ctx.env.clock.now().toISOString();
  if (!source) {
    return { source, analysis: null, sources: [], problem: { message: 'no log source: no source given and the load balancer has no access-log bucket', nextStep: 'turn on access logs (access_logs.s3.enabled) or pass a file, directory or s3:// source' } };
  }
  const now = ctx.env.clock.now();
  const s3 = isS3(source);
  const w = parseWindow(ctx.params.since || (s3 ? '1h' : undefined), ctx.params.until || undefined, now);
  if (!w.ok) return { source, analysis: null, sources: [], problem: { message: w.message, nextStep: 'use a duration (30m, 2h) or an ISO time' } };
  const sinceMs = windowStart(w.sinceMs, ctx.params.window, now);
  const untilMs = w.untilMs ?? (s3 ? now.getTime() : undefined);
  const window = { ...(sinceMs !== undefined ? { since: new Date(sinceMs).toISOString() } : {}), ...(untilMs !== undefined ? { until: new Date(untilMs).toISOString() } : {}) };
  const sources: Source[] = [];
  if (s3 && !ctx.env.aws) throw new AwsNotConfiguredError('AWS is not configured, and the logs are in S3: pass --profile/--region');
  try {
    ctx.progress(s3 ? `listing ${source}` : `reading ${source}`);
    const read = await ctx.env.files.readLogs({
      source, sinceMs, untilMs, lb: extra.lb, analyzer: extra, signal: ctx.signal,
      onProgress: (p) => ctx.progress(`${p.filesDone}/${p.filesTotal} files, ${p.lines} lines, ${p.count502} 502s`),
    });
    if (s3) {
      sources.push({ api: 's3:ListBucket', params: { source, listed: read.listed ?? 0 }, at });
      if (read.files) sources.push({ api: 's3:GetObject', params: { objects: read.files, bytes: read.bytes }, at });
    } else {
      sources.push({ api: 'probe:file', params: { source, files: read.files }, at });
    }
    if (!read.analysis) {
      return { source, window, analysis: null, sources, problem: { message: `no log files in ${source} for ${windowText(window)}`, nextStep: 'widen since/until, or check that access logging was on then' } };
    }
    return { source, window, analysis: read.analysis, sources };
  } catch (err) {
    if (err instanceof LogSourceError || (err as Error)?.name === 'LogSourceError') {
      return { source, analysis: null, sources, problem: { message: (err as Error).message, nextStep: (err as LogSourceError).nextStep ?? 'check the source and try again' } };
    }
    // AWS errors go to the runner, which makes the check `unknown` with the right next step.
    if (s3) throw err;
    const d = describeIoError(source, err);
    return { source, analysis: null, sources, problem: d };
  }
}

const CAUSE_CONFIDENCE: Record<string, Confidence> = { confirmed: 'confirmed', likely: 'likely', suspected: 'suspected' };

export function findingsOf(a: LogAnalysis): Finding[] {
  return a.causes
    .filter((c) => c.cause !== 'unclassified')
    .map((c) => ({
      cause: c.cause,
      confidence: CAUSE_CONFIDENCE[c.confidence] ?? 'suspected',
      evidence: [`${c.count} of ${a.count502} 502s (${Math.round(c.share * 100)}%): ${c.why}`, ...c.evidence.slice(0, 10)],
    }));
}

export function seriesOf(a: LogAnalysis): CheckResult['series'] {
  return [
    { name: '502s per minute', start: a.perMinute.start, periodSeconds: a.perMinute.periodSeconds, values: a.perMinute.errors502 },
    { name: 'requests per minute', start: a.perMinute.start, periodSeconds: a.perMinute.periodSeconds, values: a.perMinute.total },
  ];
}

function outcomeFor(cause: LogCause, a: LogAnalysis): string {
  switch (cause) {
    case 'keepalive-race': return a.keepalive.signature ? 'keepalive-signature' : 'connection-errors';
    case 'target-not-listening':
    case 'target-crashed-or-overloaded':
    case 'all-targets-unhealthy': return 'connection-errors';
    case 'target-generated-502': return 'target-generated';
    case 'lambda-invalid-response':
    case 'lambda-error-or-timeout':
    case 'lambda-invoke-permission-missing': return 'lambda';
    case 'target-tls-handshake': return 'tls';
    case 'malformed-response':
    case 'response-headers-too-large': return 'malformed';
    case 'deregistration-delay': return 'deregistration';
    case 'origin-dns-failure': return 'origin-dns';
    case 'timeout-mismatch': return 'origin-timeout';
    default: return 'unknown';
  }
}

function noLogs(ev: LogsEvidence): CheckResult {
  return { status: 'warn', outcome: 'no-logs', summary: ev.problem?.message ?? `no log lines in ${ev.source} for the window`, nextStep: ev.problem?.nextStep ?? 'widen since/until or pick another source', sources: ev.sources };
}

/**
 * The log line patterns read with what target health knew: a keep-alive race needs a healthy
 * target that closed an idle connection, so with no healthy target it is not the reading; and
 * 502s on targets that were draining are the deregistration delay running out (reference §1.2 A7).
 */
function weighWithTargets(findings: Finding[], a: LogAnalysis, t: LogsEvidence['targets']): { findings: Finding[]; cause?: LogCause; note?: string } {
  if (!t) return { findings };
  const draining = new Set(t.drainingIps ?? []);
  const onDraining = a.byTarget.filter((b) => draining.has(b.key.split(':')[0]));
  const drainingCount = onDraining.reduce((n, b) => n + b.count502, 0);
  if (draining.size && drainingCount >= 0.5 * a.count502) {
    const rest = findings.filter((f) => f.cause !== 'deregistration-delay').map((f) => (f.cause === 'keepalive-race' || f.cause === 'target-not-listening' ? { ...f, confidence: 'suspected' as const } : f));
    const evidence = [`${drainingCount} of ${a.count502} 502s were on targets that are draining (deregistration in progress): ${onDraining.map((b) => `${b.key} ${b.count502}`).join(', ')}`];
    return { findings: [{ cause: 'deregistration-delay', confidence: 'likely', evidence }, ...rest], cause: 'deregistration-delay', note: evidence[0] };
  }
  const noAnswer = new Set(['keepalive-race', 'target-not-listening', 'target-crashed-or-overloaded']);
  if (t.healthy === 0 && (t.initial ?? 0) > 0 && findings.some((f) => noAnswer.has(f.cause))) {
    // Targets that have not passed a first health check yet: their silence is what "not ready"
    // looks like, and target health names the reason once the checks fail.
    const note = `No target has passed its first health check yet (${t.initial} initial): 502s with no answer are read as no healthy targets yet`;
    return { findings: [{ cause: 'no-healthy-targets-yet', confidence: 'likely', evidence: [note] }, ...findings.filter((f) => !noAnswer.has(f.cause))], note };
  }
  if (t.healthy === 0 && findings.some((f) => f.cause === 'keepalive-race')) {
    return { findings: findings.filter((f) => f.cause !== 'keepalive-race'), note: 'No target is healthy, so closed connections are not read as the keep-alive race' };
  }
  return { findings };
}

const LAMBDA_CAUSES: { cause: LogCauseId; codes: string }[] = [
  { cause: 'lambda-invalid-response', codes: 'LambdaInvalidResponse or LambdaResponseTooLarge' },
  { cause: 'lambda-invoke-permission-missing', codes: 'LambdaAccessDenied' },
  { cause: 'lambda-error-or-timeout', codes: 'LambdaUnhandled, LambdaThrottling or another failure code' },
];

/**
 * For a Lambda target the ALB writes why it answered 502 into error_reason, on every such line.
 * When each 502 in the log carries a Lambda code, a Lambda cause none of them names is ruled out.
 */
function lambdaRuledOut(a: LogAnalysis): Finding[] {
  const counts = new Map(a.causes.map((c) => [c.cause, c.count]));
  const lambda502 = LAMBDA_CAUSES.reduce((n, l) => n + (counts.get(l.cause) ?? 0), 0);
  if (lambda502 === 0 || lambda502 !== a.count502) return [];
  return LAMBDA_CAUSES.filter((l) => !counts.get(l.cause)).map((l) => ({
    cause: l.cause, confidence: 'ruled-out' as const,
    evidence: [`none of the ${a.count502} 502s in the access log carries error_reason ${l.codes}`],
  }));
}

export function evaluateAccessLog(ev: LogsEvidence): CheckResult {
  const a = ev.analysis;
  if (!a || (a.requests === 0 && a.count502 === 0)) {
    const r = noLogs(ev);
    if (a && a.lines.malformed > 0) r.details = [`${a.lines.malformed} line(s) could not be read as access-log lines; first: ${a.lines.malformedSamples[0]?.ref} (${a.lines.malformedSamples[0]?.reason})`];
    return r;
  }
  const top = a.byTarget[0];
  const facts: Facts = {
    'logs.count502': a.count502,
    'logs.rate502': a.rate502,
    'logs.requests': a.requests,
    'logs.topTarget': top?.key ?? '',
    'logs.sparkline': sparkline(a.perMinute.errors502, 60),
    'logs.cause': a.verdict.cause ?? '',
    'logs.keepaliveSignature': a.keepalive.signature,
  };
  const details: string[] = [];
  if (a.partial) details.push(...a.files.errors.map((e) => `partial: ${e.message}`));
  details.push(...(a.notes ?? []).map((n) => `note: ${n}`));
  details.push(`${a.requests} requests in ${a.files.count} file(s), ${a.window.first ?? '?'} → ${a.window.last ?? '?'}; 502s ${sparkline(a.perMinute.errors502, 60)}`);
  if (a.count502 === 0) {
    return { status: 'pass', outcome: 'no-502', summary: `No 502s among ${a.requests} requests (${windowText(ev.window)})`, facts, details, series: seriesOf(a), sources: ev.sources };
  }
  const v = a.verdict;
  details.push(`Verdict: ${v.why}`);
  for (const c of a.causes) details.push(`${c.cause}: ${c.count} (${Math.round(c.share * 100)}%), ${c.confidence}; e.g. ${c.evidence.slice(0, 3).join(', ')}`);
  const k = a.keepalive;
  if (k.connectionClosed502 > 0) {
    details.push(`Closed connections: ${k.isolated} isolated, ${k.inBursts} in bursts; ${k.afterIdleGap} after ≥ ${k.idleGapSeconds} s idle on the target; requests after a gap failed ${(k.rateAfterIdleGap * 100).toFixed(1)}% vs ${(k.rateWithoutIdleGap * 100).toFixed(1)}% otherwise`);
  }
  for (const t of a.byTarget.slice(0, 5)) details.push(`target ${t.key}: ${t.count502} 502s${t.requests !== undefined ? ` of ${t.requests} requests` : ''}`);
  if (a.targetsSeen > 1 && a.topTargetShare >= 0.8 && top && top.key !== '-') details.push(`One target (${top.key}) has ${Math.round(a.topTargetShare * 100)}% of the 502s`);
  const weighed = weighWithTargets([...findingsOf(a), ...lambdaRuledOut(a)], a, ev.targets);
  if (weighed.note) details.push(weighed.note);
  const cause = weighed.cause ?? v.cause ?? 'unclassified';
  const confidence = weighed.cause ? 'likely' : v.confidence;
  details.push(`Next step: ${NEXT_STEP[cause]}`);
  return {
    status: 'fail',
    outcome: outcomeFor(cause, a),
    summary: `${a.count502} 502s (${(a.rate502 * 100).toFixed(2)}% of ${a.requests}, ${windowText(ev.window)}); most look like ${weighed.note && !weighed.cause ? weighed.findings[0]?.cause ?? cause : cause} (${confidence})`,
    details,
    facts,
    findings: weighed.findings,
    series: seriesOf(a),
    sources: ev.sources,
  };
}

export const logsAccessLog: Check<LogsEvidence> = {
  meta: {
    id: 'logs.access-log',
    title: 'Access logs: how many 502s, when, on which targets, and what kind',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html',
    apis: ['s3:ListBucket', 's3:GetObject', 'probe:file'],
    params: {
      source: { description: 'File, directory, glob or s3://bucket/prefix; empty: the LB access-log bucket from the facts' },
      since: { description: 'The incident start (a duration back from now or an ISO time); the window opens 15 min before it; S3 default 1h' },
      window: { description: 'The run\'s incident window back from now (--since, e.g. 3h): the window opens at the earlier of the two' },
      until: { description: 'End of the window (default now)' },
    },
    outcomes: ['keepalive-signature', 'connection-errors', 'target-generated', 'lambda', 'tls', 'malformed', 'deregistration', 'no-502', 'no-logs', 'origin-dns', 'origin-timeout'],
    facts: ['logs.count502', 'logs.rate502', 'logs.requests', 'logs.topTarget', 'logs.sparkline', 'logs.cause', 'logs.keepaliveSignature'],
  },
  async collect(ctx) {
    const f = ctx.facts;
    const idle = Number(f['lb.idleTimeoutSeconds']);
    // Known HTTPS target group: failed connections to it read as TLS; otherwise the port hints.
    const https = f['tg.protocol'] === 'HTTPS' && f['tg.arn'] ? [String(f['tg.arn'])] : undefined;
    const source = logSourceFor(ctx.params, f);
    const ips = new Map(factList(f['instances.privateIps']).map((pair) => pair.split('=') as [string, string]));
    const drainingIps = factList(f['targets.drainingIds']).map((id) => ips.get(id) ?? id).filter((ip) => /^[\d.:a-f]+$/i.test(ip));
    const healthy = typeof f['targets.healthy'] === 'number' ? f['targets.healthy'] : undefined;
    const initial = typeof f['targets.initial'] === 'number' ? f['targets.initial'] : undefined;
    const targets = healthy === undefined && !drainingIps.length ? undefined
      : { ...(healthy !== undefined ? { healthy } : {}), ...(initial ? { initial } : {}), ...(drainingIps.length ? { drainingIps } : {}) };
    const ev = await collectLogs(ctx, source, {
      lbIdleTimeoutSeconds: Number.isFinite(idle) && idle > 0 ? idle : undefined,
      httpsTargetGroups: https,
      // From the LB's own bucket, keep only its files; a given source is taken as is.
      lb: !ctx.params.source?.trim() && f['lb.name'] ? String(f['lb.name']) : undefined,
    });
    return targets ? { ...ev, targets } : ev;
  },
  evaluate: (ev) => evaluateAccessLog(ev),
};
