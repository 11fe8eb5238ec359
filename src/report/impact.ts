import type { JournalEvent } from '../engine/events.js';
import type { Facts, Series } from '../engine/vocabulary.js';

/** One measured or reported number in the impact section, with where it came from. */
export interface Figure {
  label: string;
  value: string;
  source: string;
}

export interface Impact {
  figures: Figure[];
  /** Sentences that compare what was reported with what was measured. */
  notes: string[];
  /** First and last 502 at minute precision, from the best source that measured them. */
  first502?: string;
  last502?: string;
  /** When the impact ended, and how that is known; absent while it is still going on. */
  endedAt?: string;
  endedHow?: string;
  /** Measured share of requests that got a 502 (0..1). */
  share?: number;
}

interface Breakdown { key: string; count502: number; requests?: number }
interface LogAnalysis {
  requests: number;
  count502: number;
  rate502: number;
  lb502?: number;
  target502?: number;
  perMinute?: { start: string; periodSeconds: number; errors502?: number[] };
  byTarget?: Breakdown[];
  byPath?: Breakdown[];
  byTargetGroup?: Breakdown[];
  files?: { count: number };
}

/** `2026-11-21 11:40 UTC`: the minute, as precise as a per-minute count or a typed time can be. */
export function minuteUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const share = (n: number, of: number) => (of ? `${n} of ${of} (${(n / of * 100).toFixed(n / of < 0.001 ? 3 : n / of < 0.1 ? 2 : 1)}%)` : String(n));

/** The first and last minute with a non-zero value. */
function nonZeroSpan(start: string, periodSeconds: number, values: readonly number[]): { first?: string; last?: string } {
  const t0 = Date.parse(start);
  const first = values.findIndex((v) => v > 0);
  if (first < 0 || Number.isNaN(t0)) return {};
  let last = values.length - 1;
  while (values[last] <= 0) last--;
  const at = (i: number) => new Date(t0 + i * periodSeconds * 1000).toISOString();
  return { first: at(first), last: at(last) };
}

/** The last logs.access-log check that kept its analysis, unless it was undone. */
function logAnalysis(events: readonly JournalEvent[]): { analysis: LogAnalysis; at: string } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type !== 'check' || e.check !== 'logs.access-log') continue;
    const a = (e.evidence as { analysis?: LogAnalysis } | undefined)?.analysis;
    if (a && (a.requests > 0 || a.count502 > 0)) return { analysis: a, at: e.at };
  }
  return undefined;
}

const tgName = (arnOrName: string) => /targetgroup\/([^/]+)\//.exec(arnOrName)?.[1] ?? arnOrName;
const top = (b: Breakdown[] | undefined, name = (k: string) => k) =>
  (b ?? []).filter((x) => x.count502 > 0).slice(0, 3).map((x) => `${name(x.key)}: ${x.count502} 502s${x.requests ? ` of ${x.requests} requests (${(x.count502 / x.requests * 100).toFixed(1)}%)` : ''}`).join('; ');

const PATTERN: Record<string, string> = {
  all: 'every request fails', intermittent: 'some requests fail intermittently', 'some-paths': 'only some paths or hosts fail', unknown: 'not determined',
};

/**
 * Impact from the numbers the checks measured (access logs first, then CloudWatch), each figure
 * with its source. What the responder reported is labelled as such and never stated as fact.
 */
export function measureImpact(events: readonly JournalEvent[], facts: Facts, series: readonly Series[], opts: { resolved: boolean; endedAt?: string; verifiedAt?: string }): Impact {
  const figures: Figure[] = [];
  const notes: string[] = [];
  let first502: string | undefined;
  let last502: string | undefined;
  let measuredShare: number | undefined;

  const logs = logAnalysis(events);
  if (logs) {
    const a = logs.analysis;
    const src = `ALB access logs (${a.files?.count ?? 1} file${a.files?.count === 1 ? '' : 's'}, analysed by logs.access-log)`;
    figures.push({ label: 'Requests in the logs', value: String(a.requests), source: src });
    figures.push({ label: '502 responses', value: share(a.count502, a.requests), source: src });
    if (a.count502 && (a.lb502 !== undefined || a.target502 !== undefined)) {
      figures.push({ label: 'Made by', value: `the load balancer ${a.lb502 ?? 0}, the target ${a.target502 ?? 0}`, source: src });
    }
    measuredShare = a.requests ? a.count502 / a.requests : undefined;
    const span = a.perMinute?.errors502 ? nonZeroSpan(a.perMinute.start, a.perMinute.periodSeconds, a.perMinute.errors502) : {};
    first502 = span.first;
    last502 = span.last;
    if (first502 && last502) figures.push({ label: 'First and last 502', value: `${minuteUtc(first502)} → ${minuteUtc(last502)}`, source: `${src}, per minute` });
    const targets = top(a.byTarget);
    if (targets) figures.push({ label: 'Targets with 502s', value: targets, source: src });
    const groups = top(a.byTargetGroup, tgName);
    if (groups) figures.push({ label: 'Target groups', value: groups, source: src });
    const paths = top(a.byPath);
    if (paths) figures.push({ label: 'Paths with 502s', value: paths, source: src });
  }

  if (facts['metrics.elb502'] !== undefined) {
    const src = 'CloudWatch AWS/ApplicationELB, 1-minute sums (cloudwatch.who-made-502)';
    const requests = Number(facts['metrics.requests'] ?? 0);
    const elb = Number(facts['metrics.elb502']);
    const target = Number(facts['metrics.target5xx'] ?? 0);
    if (requests) figures.push({ label: 'Requests (CloudWatch RequestCount)', value: String(requests), source: src });
    figures.push({ label: 'ALB-generated 502s (HTTPCode_ELB_502_Count)', value: requests ? share(elb, requests) : String(elb), source: src });
    const elb5xx = Number(facts['metrics.elb5xx'] ?? elb);
    if (elb5xx > elb) figures.push({ label: 'All ALB-generated 5xx (HTTPCode_ELB_5XX_Count)', value: requests ? share(elb5xx, requests) : String(elb5xx), source: src });
    figures.push({ label: 'Target-generated 5xx (HTTPCode_Target_5XX_Count)', value: requests ? share(target, requests) : String(target), source: src });
    if (measuredShare === undefined && requests) measuredShare = (elb + target) / requests;
    if (!first502) {
      const s = series.find((x) => x.name === 'HTTPCode_ELB_502_Count' && x.values.some((v) => v > 0))
        ?? series.find((x) => x.name === 'HTTPCode_Target_5XX_Count' && x.values.some((v) => v > 0));
      const span = s ? nonZeroSpan(s.start, s.periodSeconds, s.values) : {};
      first502 = span.first;
      last502 = span.last;
      if (first502 && last502) figures.push({ label: 'First and last 502', value: `${minuteUtc(first502)} → ${minuteUtc(last502)}`, source: `${src}, ${s!.name}` });
    }
  }

  // badgate's own requests count only when they reached something that answered.
  if (facts['probe.status'] !== undefined && facts['probe.count'] !== undefined) {
    figures.push({ label: "502s among badgate's own requests", value: share(Number(facts['probe.count502'] ?? 0), Number(facts['probe.count'])), source: 'HTTP probe of the affected URL (net.http-probe)' });
  }

  if (first502 && last502) {
    const end = opts.resolved ? last502 : opts.endedAt;
    if (end) figures.push({ label: 'Duration', value: `${Math.max(1, Math.round((Date.parse(end) - Date.parse(first502)) / 60_000) + (opts.resolved ? 1 : 0))} min${opts.resolved ? '' : ' so far'}`, source: opts.resolved ? 'first to last measured 502' : 'first measured 502 to the end of the investigation' });
  }

  const measuredCount = figures.length;
  const pattern = facts['scope.pattern'] !== undefined ? String(facts['scope.pattern']) : undefined;
  if (pattern) figures.push({ label: 'Pattern reported', value: PATTERN[pattern] ?? pattern, source: "responder's answer" });
  if (pattern === 'all' && measuredShare !== undefined && measuredShare < 0.99) {
    notes.push(`The responder reported that every request fails; the measurements show ${(measuredShare * 100).toFixed(measuredShare < 0.001 ? 3 : measuredShare < 0.1 ? 2 : 1)}% of requests got a 502. The measured figure is the impact.`);
  }
  if (facts['incident.startedAt']) {
    const reported = String(facts['incident.startedAt']);
    figures.push({ label: 'Start reported', value: minuteUtc(reported), source: "responder's answer" });
    const gap = first502 ? (Date.parse(first502) - Date.parse(reported)) / 60_000 : 0;
    if (Math.abs(gap) >= 15) notes.push(`The responder put the start at ${minuteUtc(reported)}; the first 502 in the data read is at ${minuteUtc(first502!)} (${Math.round(Math.abs(gap))} min ${gap > 0 ? 'later' : 'earlier'}). The timeline uses both.`);
  }

  let endedAt: string | undefined;
  let endedHow: string | undefined;
  if (opts.resolved) {
    endedAt = last502 ?? opts.verifiedAt;
    endedHow = last502 ? 'last measured 502' : "the responder's verification that the 502s stopped";
  }
  const measured = measuredCount > 0;
  figures.push({
    label: 'Impact ended', value: endedAt ? minuteUtc(endedAt) : 'not ended when the investigation stopped',
    source: endedHow ?? (opts.resolved ? "responder's answer" : opts.verifiedAt ? "responder's verification (still failing)" : 'no verification recorded'),
  });
  if (!measured) notes.push('Nothing was measured: no access logs or metrics were read, so the impact rests on what was reported.');
  return { figures, notes, first502, last502, endedAt, endedHow, share: measuredShare };
}
