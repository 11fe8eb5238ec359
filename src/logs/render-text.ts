/** The human-readable report of `badgate logs`. */
import type { Breakdown, LogAnalysis, PerMinute } from './types.js';
import { sparkline } from './sparkline.js';
import { NEXT_STEP } from './next-steps.js';

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)}%`;
}

function mb(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function table(title: string, rows: Breakdown[], total: number): string[] {
  if (rows.length === 0) return [];
  const width = Math.min(70, Math.max(...rows.map((r) => r.key.length)));
  return [
    `${title}:`,
    ...rows.map((r) => {
      const of = r.requests !== undefined ? ` of ${r.requests} requests (${pct(r.rate502 ?? 0)})` : '';
      return `  ${r.key.padEnd(width)}  ${String(r.count502).padStart(6)}  ${pct(total ? r.count502 / total : 0).padStart(6)}${of}`;
    }),
  ];
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** The peak bucket by its span, and the busiest minute inside it when buckets are wider. */
function peakText(p: PerMinute): string {
  const peak = Math.max(...p.errors502);
  const from = Date.parse(p.start) + p.errors502.indexOf(peak) * p.periodSeconds * 1000;
  const day = new Date(from).toISOString().slice(0, 10);
  if (p.periodSeconds === 60) return `peak ${peak} at ${day} ${hhmm(from)}Z`;
  const minute = p.peak502 ? `; busiest minute ${p.peak502.minute.slice(0, 10)} ${hhmm(Date.parse(p.peak502.minute))}Z with ${p.peak502.count}` : '';
  return `peak ${peak} in ${day} ${hhmm(from)}–${hhmm(from + p.periodSeconds * 1000)}Z${minute}`;
}

/** What the counts mean where a format has no 502 of its own to count. */
const FORMAT_NOTES: Partial<Record<LogAnalysis['format'], string>> = {
  'apigw-access': 'API Gateway access log: integration failures count with the 502s even when the gateway answered 500, 503 or 504 (HTTP APIs answer 500 for Lambda problems, REST answers 500 for permissions and VPC links, 504 for timeouts).',
  'apigw-execution': 'API Gateway execution log: each failure line is tied to its request id\'s `Method completed with status` line; integration failures count with the 502s whatever status was answered.',
  lambda: 'Lambda function log: it holds invocations, not HTTP statuses. Each failed invocation (timeout, error) counts as a 502 the gateway answered (500 on an HTTP API); throttled ones leave no line (see the Throttles metric).',
};

export function renderAnalysis(a: LogAnalysis): string {
  const out: string[] = [];
  const span = a.window.first ? `${a.window.first} → ${a.window.last}` : 'no lines in the window';
  out.push(`${a.files.count} file(s), ${mb(a.files.bytes)}, ${a.requests} requests (${a.format}), ${span}`);
  if (a.format === 'nginx-error') out.push('nginx error-log times are local time without a zone; read as UTC.');
  const note = FORMAT_NOTES[a.format];
  if (note) out.push(note);
  if (a.partial) for (const e of a.files.errors) out.push(`warning: ${e.message}${e.nextStep ? ` — ${e.nextStep}` : ''}`);
  for (const n of a.notes ?? []) out.push(`note: ${n}`);
  const rate = a.requests ? ` (${pct(a.rate502)} of requests)` : '';
  out.push(`502s: ${a.count502}${rate}; ${a.lb502} made by the load balancer/proxy, ${a.target502} passed through from targets`);
  if (a.perMinute.errors502.length > 1 && a.count502 > 0) {
    out.push(`502s per ${a.perMinute.periodSeconds / 60} min: ${sparkline(a.perMinute.errors502, 72)}  ${peakText(a.perMinute)}`);
  }
  out.push('');
  const v = a.verdict;
  if (v.cause === null) {
    out.push(`Verdict: no 502s — ${v.why}.`);
  } else {
    out.push(`Verdict: ${v.cause} (${v.confidence})`);
    out.push(`  ${v.why}`);
    if (v.evidence.length) out.push(`  evidence: ${v.evidence.join(', ')}`);
    out.push(`  next step: ${NEXT_STEP[v.cause]}`);
  }
  if (a.causes.length > 1 || (a.causes.length === 1 && a.causes[0].cause !== v.cause)) {
    out.push('', 'All causes:');
    for (const c of a.causes) {
      out.push(`  ${c.cause.padEnd(30)} ${String(c.count).padStart(6)}  ${pct(c.share).padStart(6)}  ${c.confidence.padEnd(9)} ${c.evidence.slice(0, 3).join(', ')}`);
    }
  }
  const k = a.keepalive;
  if (k.connectionClosed502 > 0) {
    out.push('', `Closed connections: ${k.connectionClosed502} 502s with no target response; ${k.isolated} isolated on targets that answer, ${k.inBursts} in bursts or on dead targets.`);
    if (k.isolated > 0) {
      out.push(`  ${k.afterIdleGap} of ${k.isolated} isolated ones (${pct(k.afterIdleGapShare)}) came ≥ ${k.idleGapSeconds} s after the previous response on the same target, vs ${pct(k.baselineAfterIdleGapShare)} of ordinary requests there${k.medianGapSeconds !== null ? `; median gap ${k.medianGapSeconds} s` : ''}.`);
      out.push(`  Requests after such a gap failed ${pct(k.rateAfterIdleGap)} of the time, vs ${pct(k.rateWithoutIdleGap)} right after other traffic: ${k.signature ? 'the keep-alive signature' : 'no clear keep-alive signature'}.`);
    }
  }
  if (a.count502 > 0) {
    out.push('');
    const many = a.targetsSeen > 1 && a.topTargetShare >= 0.8 && a.byTarget[0]?.key !== '-';
    if (many) out.push(`One target has ${pct(a.topTargetShare)} of the 502s (${a.targetsSeen} targets seen): look at that target first.`);
    out.push(...table('By target', a.byTarget, a.count502));
    out.push(...table('By target group', a.byTargetGroup, a.count502));
    out.push(...table('By path', a.byPath, a.count502));
    out.push(...table('By client', a.byClient, a.count502));
  }
  if (a.examples.length) {
    out.push('', 'Examples:');
    for (const e of a.examples.slice(0, 9)) out.push(`  [${e.cause}] ${e.ref}`, `    ${e.line.length > 400 ? `${e.line.slice(0, 400)}…` : e.line}`);
  }
  if (a.lines.malformed > 0) {
    const reasons = Object.entries(a.lines.malformedByReason).map(([r, n]) => `${r}: ${n}`).join('; ');
    out.push('', `Skipped ${a.lines.malformed} malformed line(s) (${reasons}); first at ${a.lines.malformedSamples[0]?.ref}.`);
  }
  if (a.lines.outOfWindow > 0) out.push(`${a.lines.outOfWindow} line(s) outside the window or for another load balancer were skipped.`);
  return out.join('\n') + '\n';
}
