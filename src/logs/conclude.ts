/**
 * Turns the accumulated state into a LogAnalysis. This is where connection-closed 502s
 * get their cause, because it depends on the traffic around them, possibly read later
 * from another file:
 * - the target's traffic ended with these 502s, which were in flight ≥ 1 s → deregistration;
 * - the target never answered anything in the window → not listening when the requests were
 *   never dispatched (TLS on an HTTPS target), crashed or overloaded when they were;
 * - they come in a burst on that target (≥ 3 in ±1 minute, ≥ half its requests) → crash,
 *   restart or overload (TLS on an HTTPS target when the request was never sent);
 * - otherwise they are isolated failures on a target that is answering: a keep-alive race
 *   when the target closed a dispatched request at once, or when a never-dispatched one
 *   (`-1 -1 -1`, a RST or ICMP error on the connection) came after an idle gap; without the
 *   gap it stays a suspected race with the connect failure named as the alternative; a
 *   crash when the target held the request first.
 * The idle gap (time since the previous response on the same ALB node and target) then
 * says how strong the keep-alive signature is, compared with ordinary requests.
 */
import type { AnalyzerState, Tally, TargetSlot, TargetStats } from './analyzer.js';
import { PENDING_DISPATCHED, PENDING_HELD, PENDING_HTTPS, PENDING_HTTPS_KNOWN, PENDING_NGINX } from './analyzer.js';
import { GAP_EDGES, gapBucket } from './target-timeline.js';
import { historyNotes } from './history-notes.js';
import type { Breakdown, CauseTally, KeepaliveSignature, LogAnalysis, LogCause, LogCauseId, PerMinute, Verdict } from './types.js';

const MAX_POINTS = 2880;

const CONFIDENCE: Record<LogCause, CauseTally['confidence']> = {
  'target-generated-502': 'confirmed',
  'lambda-invalid-response': 'confirmed',
  'lambda-error-or-timeout': 'confirmed',
  'malformed-response': 'likely',
  'response-headers-too-large': 'likely',
  'target-not-listening': 'likely',
  'target-crashed-or-overloaded': 'likely',
  'all-targets-unhealthy': 'confirmed',
  'keepalive-race': 'suspected',
  'target-tls-handshake': 'suspected',
  'deregistration-delay': 'suspected',
  unclassified: 'suspected',
  // CloudFront names these itself in x-edge-detailed-result-type.
  'origin-dns-failure': 'confirmed',
  'timeout-mismatch': 'likely',
  // API Gateway names these itself in its execution log and integrationErrorMessage.
  'lambda-invoke-permission-missing': 'confirmed',
  'apigw-integration-misconfigured': 'likely',
};

/** 502s past the store's cap take the cause most of their target's kept 502s got. */
function assignOverflow(a: AnalyzerState, assigned: LogCause[]): void {
  if (a.pending.overflow.size === 0) return;
  const byTarget = new Map<TargetStats, Map<LogCause, number>>();
  const p = a.pending;
  for (let i = 0; i < p.n; i++) {
    const st = p.slot[i].stats;
    if (!p.overflow.has(st)) continue;
    const cause = assigned[i];
    if (!cause) continue;
    const m = byTarget.get(st) ?? new Map<LogCause, number>();
    m.set(cause, (m.get(cause) ?? 0) + 1);
    byTarget.set(st, m);
  }
  for (const [st, o] of p.overflow) {
    const counts = [...(byTarget.get(st) ?? new Map<LogCause, number>()).entries()].sort((x, y) => y[1] - x[1]);
    const cause: LogCause = counts[0]?.[0] ?? 'target-crashed-or-overloaded';
    for (let k = 0; k < o.count; k++) {
      a.tally(cause, o.refs[k] ?? o.refs[0], null, `one of ${o.count} further closed connections on ${st.key}, past what is kept for the idle-gap analysis; most of that target's others were ${cause}`);
    }
  }
}

function heldWhy(flags: number, heldSeconds: number): string {
  return (flags & PENDING_HELD) !== 0 ? `held it ${heldSeconds.toFixed(1)} s, then closed the connection` : 'closed the connection at once';
}

interface PendingSummary {
  gaps502: number[];
  afterGap: number;
  isolated: number;
  bursts: number;
  gapValues: number[];
  /** (node, target) pairs with isolated closed connections: the baseline comes from their other requests. */
  raceSlots: Set<TargetSlot>;
}

function classifyPending(a: AnalyzerState): PendingSummary {
  const p = a.pending;
  const N = a.opts.idleGapSeconds;
  const idle = a.opts.lbIdleTimeoutSeconds;
  // Connection-closed 502s per (target, minute of the request).
  const perMinute = new Map<number, number>();
  const key = (id: number, minute: number): number => id * 2 ** 26 + minute;
  for (let i = 0; i < p.n; i++) {
    const k = key(p.slot[i].stats.id, Math.floor(p.reqMs[i] / 60000));
    perMinute.set(k, (perMinute.get(k) ?? 0) + 1);
  }
  const targetClosed = new Map<number, number>();
  for (let i = 0; i < p.n; i++) {
    const id = p.slot[i].stats.id;
    targetClosed.set(id, (targetClosed.get(id) ?? 0) + 1);
  }
  for (const [st, o] of p.overflow) {
    targetClosed.set(st.id, (targetClosed.get(st.id) ?? 0) + o.count);
    for (const [m, n] of o.minutes) perMinute.set(key(st.id, m), (perMinute.get(key(st.id, m)) ?? 0) + n);
  }
  const gaps502 = new Array<number>(GAP_EDGES.length + 1).fill(0);
  const gapValues: number[] = [];
  let afterGap = 0;
  let isolated = 0;
  let bursts = 0;
  const raceSlots = new Set<TargetSlot>();
  const assigned: LogCause[] = [];
  let cur = 0;
  const mark = (cause: LogCause, ref: string, line: string | null, why: string, alternatives?: LogCauseId[]): void => {
    assigned[cur] = cause;
    a.tally(cause, ref, line, why, alternatives);
  };
  for (let i = 0; i < p.n; i++) {
    cur = i;
    const slot = p.slot[i];
    const st = slot.stats;
    const f = p.flags[i];
    const m = Math.floor(p.reqMs[i] / 60000);
    const nginx = (f & PENDING_NGINX) !== 0;
    // A burst: in this minute or one next to it, failures on this target crowd far beyond
    // its usual rate (or are most of its traffic); a keep-alive race instead follows
    // traffic at a low, steady rate.
    const usual = st.requests > 0 ? (targetClosed.get(st.id) ?? 0) / st.requests : 0;
    let burst = false;
    for (let d = -1; d <= 1 && !burst; d++) {
      const c = perMinute.get(key(st.id, m + d)) ?? 0;
      const total = p.minuteTotal(i, d);
      burst = nginx ? c >= 5 : c >= 3 && (c * 2 >= total || c >= 5 * usual * total);
    }
    const https = (f & PENDING_HTTPS) !== 0;
    const httpsWhy = (f & PENDING_HTTPS_KNOWN) !== 0 ? 'the target group uses HTTPS' : 'the target port suggests HTTPS';
    const dispatched = (f & PENDING_DISPATCHED) !== 0;
    const ref = `${a.fileNames[p.file[i]]}:${p.line[i]}`;
    const line = p.text.get(i) ?? null;
    const duration = p.endMs[i] - p.reqMs[i];
    // Requests cut together at deregistration end within about a second of each other.
    const trafficEnded = st.lastResponseMs < p.endMs[i] && st.lastSeenMs - p.endMs[i] <= 1000;
    if (!nginx && duration >= 1000 && st.responded > 0 && trafficEnded && a.lastMs - p.endMs[i] >= 60_000) {
      mark('deregistration-delay', ref, line, `in flight ${(duration / 1000).toFixed(1)} s, then the target got no more traffic while the LB went on serving: it was deregistered or scaled in`);
      bursts++;
      continue;
    }
    // Sent, held a moment, then no status: the target answered something the LB could not parse
    // (bad header syntax, headers over 32 K). A race closes at once (0.000); a crash holds longer.
    if (!nginx && dispatched && p.held[i] > 0 && (f & PENDING_HELD) === 0) {
      mark('malformed-response', ref, line, `the request reached the target, which answered after ${Math.round(p.held[i] * 1000)} ms with nothing the LB could read (target_status_code -, response_processing_time -1): a malformed response or headers over the limit`);
      if (burst) bursts++;
      else isolated++;
      continue;
    }
    if (!nginx && st.responded === 0) {
      if (dispatched) mark('target-crashed-or-overloaded', ref, line, `the request reached the target (processing times ≥ 0), which ${heldWhy(f, p.held[i])} and answered nothing in the window: the app accepts connections but fails every request`);
      else if (https) mark('target-tls-handshake', ref, line, `the target never answered in the window and ${httpsWhy}: TLS handshake to the target fails`);
      else mark('target-not-listening', ref, line, 'the request was never dispatched (-1 -1 -1) and the target never answered in the window: nothing listens on the port (connection refused)');
      bursts++;
      continue;
    }
    if (burst) {
      bursts++;
      if (https && !dispatched) mark('target-tls-handshake', ref, line, `a burst of failed connections and ${httpsWhy}: TLS handshake to the target fails`);
      else mark('target-crashed-or-overloaded', ref, line, nginx ? 'a burst of closed/reset upstream connections: the app crashed, restarted or is overloaded' : 'a burst of closed connections on a target that answers at other times: crash, restart or overload');
      continue;
    }
    isolated++;
    raceSlots.add(slot);
    const gap = nginx ? Infinity : p.gapBefore(i);
    const afterIdle = gap >= N && gap <= idle;
    gaps502[gapBucket(gap)]++;
    if (afterIdle) {
      afterGap++;
      gapValues.push(gap);
    }
    if (nginx) {
      mark('keepalive-race', ref, line, 'isolated upstream close/reset on a reused connection: the upstream keep-alive timeout is shorter than nginx reuses connections');
    } else if ((f & PENDING_HELD) !== 0) {
      mark('target-crashed-or-overloaded', ref, line, `the target took the request and ${heldWhy(f, p.held[i])} without answering: a worker crashed, was killed or timed out mid-request (a keep-alive race closes at once)`);
    } else if (dispatched) {
      mark('keepalive-race', ref, line, 'isolated closed connection on a target that answers other requests: the target closed an idle keep-alive connection as the LB reused it');
    } else if (afterIdle) {
      mark('keepalive-race', ref, line, `not dispatched (-1 -1 -1) ${gap} s after the target's previous response: the pooled connection was closed by the target as the LB reused it`);
    } else {
      // The log cannot tell these apart; the metric can. The lab (test/lab) compresses time,
      // so its races show no idle gap in whole seconds: they land here too.
      mark('keepalive-race', ref, line, `not dispatched (-1 -1 -1), isolated on a target that answers others, with no idle gap before it (${Number.isFinite(gap) ? `${gap} s` : 'no earlier response'}): a pooled connection the target had already closed, or a TCP RST or ICMP error while connecting; TargetConnectionErrorCount rising means the latter`, ['target-crashed-or-overloaded', 'target-not-listening']);
    }
  }
  assignOverflow(a, assigned);
  return { gaps502, afterGap, isolated, bursts, gapValues, raceSlots };
}

function keepalive(a: AnalyzerState, c: PendingSummary): KeepaliveSignature {
  const N = a.opts.idleGapSeconds;
  const idle = a.opts.lbIdleTimeoutSeconds;
  const gapsOk = new Array<number>(GAP_EDGES.length + 1).fill(0);
  let okAfterGap = 0;
  let okShortGap = 0;
  let okTotal = 0;
  for (const slot of c.raceSlots) {
    let seconds = 0;
    slot.bits.forEachGap(3600, (gap) => {
      seconds++;
      gapsOk[gapBucket(gap)]++;
      if (gap >= N && gap <= idle) okAfterGap++;
      else if (gap < N) okShortGap++;
    });
    // Hours folded away to keep within the memory budget gave their gaps here.
    const folded = slot.bits.folded;
    if (folded) {
      seconds += folded.seconds;
      for (let i = 0; i < gapsOk.length; i++) gapsOk[i] += folded.gapsOk[i];
      okAfterGap += folded.okAfterGap;
      okShortGap += folded.okShortGap;
    }
    // Further requests that ended in an already-marked second followed no gap.
    const sameSecond = slot.bits.marks - seconds;
    gapsOk[0] += sameSecond;
    okShortGap += sameSecond;
    okTotal += slot.bits.marks;
  }
  const share = c.isolated > 0 ? c.afterGap / c.isolated : 0;
  const baseline = okTotal > 0 ? okAfterGap / okTotal : 0;
  // Relative risk: how much likelier a request is to fail after an idle gap than right
  // after other traffic on the same target. Quiet targets have many idle gaps anyway, so
  // the share alone would not tell the race from bad luck.
  const shortGap502 = c.gaps502.slice(0, gapBucket(N)).reduce((s, n) => s + n, 0);
  const rateAfter = c.afterGap / (c.afterGap + okAfterGap || 1);
  const rateShort = shortGap502 / (shortGap502 + okShortGap || 1);
  const sorted = [...c.gapValues].sort((x, y) => x - y);
  return {
    idleGapSeconds: N,
    connectionClosed502: a.pending.total,
    isolated: c.isolated,
    inBursts: c.bursts,
    afterIdleGap: c.afterGap,
    afterIdleGapShare: round(share),
    baselineAfterIdleGapShare: round(baseline),
    rateAfterIdleGap: round(rateAfter),
    rateWithoutIdleGap: round(rateShort),
    gapHistogram502: c.gaps502,
    gapHistogramOk: gapsOk,
    medianGapSeconds: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
    signature: c.afterGap >= 1 && share >= 0.5 && rateAfter >= 3 * rateShort,
  };
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function perMinute(a: AnalyzerState): PerMinute {
  const { sinceMs, untilMs } = a.opts;
  if (a.minutes.size === 0 && sinceMs === undefined) return { start: new Date(0).toISOString(), periodSeconds: 60, total: [], errors502: [] };
  let first = Math.floor((sinceMs ?? a.firstMs) / 60000);
  let last = Math.floor(((untilMs !== undefined ? untilMs - 1 : a.lastMs)) / 60000);
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) {
    first = Math.floor(a.firstMs / 60000);
    last = Math.floor(a.lastMs / 60000);
  }
  if (!Number.isFinite(first) || !Number.isFinite(last)) return { start: new Date(sinceMs ?? 0).toISOString(), periodSeconds: 60, total: [], errors502: [] };
  // Wide windows get wider buckets so the series stays small enough for a report.
  const step = Math.max(1, Math.ceil((last - first + 1) / MAX_POINTS));
  const len = Math.floor((last - first) / step) + 1;
  const total = new Array<number>(len).fill(0);
  const errors502 = new Array<number>(len).fill(0);
  let peak: PerMinute['peak502'];
  for (const [m, [t, e]] of a.minutes) {
    const i = Math.floor((m - first) / step);
    if (i < 0 || i >= len) continue;
    total[i] += t;
    errors502[i] += e;
    const earlier = peak !== undefined && e === peak.count && m * 60000 < Date.parse(peak.minute);
    if (e > 0 && (peak === undefined || e > peak.count || earlier)) peak = { minute: new Date(m * 60000).toISOString(), count: e };
  }
  const out: PerMinute = { start: new Date(first * 60000).toISOString(), periodSeconds: 60 * step, total, errors502 };
  if (peak) out.peak502 = peak;
  return out;
}

function whyOf(t: Tally): string {
  const top = [...t.whys.entries()].sort((x, y) => y[1] - x[1])[0];
  return top ? top[0] : '';
}

function verdictOf(a: AnalyzerState, causes: CauseTally[], ka: KeepaliveSignature): Verdict {
  if (a.count502 === 0) return { cause: null, confidence: null, why: a.requests === 0 ? 'no requests in the window' : `no 502s among ${a.requests} requests`, evidence: [] };
  const best = causes.find((c) => c.cause !== 'unclassified') ?? causes[0];
  let why = `${best.count} of ${a.count502} 502s (${Math.round(best.share * 100)}%): ${best.why}`;
  if (best.cause === 'keepalive-race') {
    why += ka.signature
      ? `. ${Math.round(ka.afterIdleGapShare * 100)}% of them came ≥ ${ka.idleGapSeconds} s after the previous response on that target, vs ${Math.round(ka.baselineAfterIdleGapShare * 100)}% of ordinary requests` +
        `; a request after such a gap failed ${pct(ka.rateAfterIdleGap)} of the time, vs ${pct(ka.rateWithoutIdleGap)} right after other traffic` +
        (ka.medianGapSeconds !== null ? `; median gap ${ka.medianGapSeconds} s ≈ the backend's keep-alive timeout` : '')
      : `. Idle gaps do not stand out (${Math.round(ka.afterIdleGapShare * 100)}% vs ${Math.round(ka.baselineAfterIdleGapShare * 100)}% of ordinary requests): busy targets hide them, so compare the backend keep-alive with the LB idle timeout`;
  }
  return { cause: best.cause, confidence: best.confidence, why, evidence: best.evidence.slice(0, 10) };
}

export function concludeAnalysis(a: AnalyzerState): LogAnalysis {
  const c = classifyPending(a);
  const ka = keepalive(a, c);
  const causes: CauseTally[] = [...a.tallies.entries()]
    .map(([cause, t]) => {
      let confidence = CONFIDENCE[cause];
      if (cause === 'keepalive-race' && ka.signature) confidence = 'likely';
      const out: CauseTally = { cause, count: t.count, share: round(a.count502 ? t.count / a.count502 : 0), confidence, why: whyOf(t), evidence: t.refs };
      if (t.alternatives) out.alternatives = t.alternatives;
      return out;
    })
    .sort((x, y) => y.count - x.count || (x.cause < y.cause ? -1 : 1));
  const top = a.opts.top;
  // An nginx error log has no request counts: its upstreams get none rather than a rate over their errors.
  const byTarget: Breakdown[] = a.breakdown(a.target502s, top).map((b) => {
    const st = a.targets.get(b.key);
    return st && st.requests > 0 ? { ...b, requests: st.requests, rate502: round(b.count502 / st.requests) } : b;
  });
  const examples: LogAnalysis['examples'] = [];
  for (const cause of causes) {
    for (const ex of a.tallies.get(cause.cause)?.examples ?? []) examples.push({ cause: cause.cause, ref: ex.ref, line: ex.line });
  }
  const formats = [...a.formats];
  const notes = historyNotes(a);
  return {
    format: formats.length === 0 ? 'none' : formats.length === 1 ? formats[0] : 'mixed',
    window: {
      since: a.opts.sinceMs !== undefined ? new Date(a.opts.sinceMs).toISOString() : undefined,
      until: a.opts.untilMs !== undefined ? new Date(a.opts.untilMs).toISOString() : undefined,
      first: Number.isFinite(a.firstMs) ? new Date(a.firstMs).toISOString() : undefined,
      last: Number.isFinite(a.lastMs) ? new Date(a.lastMs).toISOString() : undefined,
    },
    files: { count: a.files, bytes: a.bytes, errors: a.errors },
    lines: {
      total: a.lines, blank: a.blank, outOfWindow: a.outOfWindow, malformed: a.malformed,
      malformedByReason: Object.fromEntries(a.malformedByReason), malformedSamples: a.malformedSamples,
    },
    requests: a.requests,
    count502: a.count502,
    rate502: round(a.requests ? a.count502 / a.requests : 0),
    lb502: a.lb502,
    target502: a.target502,
    perMinute: perMinute(a),
    causes,
    verdict: verdictOf(a, causes, ka),
    byTarget,
    topTargetShare: round(a.count502 && byTarget.length ? byTarget[0].count502 / a.count502 : 0),
    targetsSeen: a.targetsSeen,
    byTargetGroup: a.breakdown(a.group502s, top),
    byPath: a.breakdown(a.path502s, top),
    byClient: a.breakdown(a.client502s, top),
    keepalive: ka,
    examples,
    partial: a.partial,
    ...(notes.length ? { notes } : {}),
    nginxKinds: Object.fromEntries(a.nginxKinds),
    ...(a.nginxMethods.size ? { nginxMethods: Object.fromEntries(a.nginxMethods) } : {}),
  };
}
