import type { RootContent } from 'mdast';
import type { CheckResult, Confidence, Series, Source } from '../engine/vocabulary.js';
import { board, type BoardEntry } from '../engine/board.js';
import { causeRelations, type Catalog, type Cause } from '../engine/causes.js';
import type { JournalEvent } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { replay } from '../engine/session.js';
import { code, heading, inlineCode, link, list, paragraph, render, rich, strong, table, text } from './md.js';
import { pathFlowchart, xychart, type PathEdge } from './mermaid.js';
import { createMasker, redactIdentifiers } from '../engine/scrub.js';

export interface ReportCause {
  id: string;
  title: string;
  confidence: Confidence;
  why?: string;
  evidence: string[];
  fix?: string;
}

export interface ActionItem {
  action: string;
  cause: string;
  owner: string;
  priority: 'P1' | 'P2';
}

export interface Postmortem {
  title: string;
  sessionId: string;
  flow: { id: string; title: string };
  status: string;
  incident: { startedAt?: string; url?: string; pattern?: string; recentChange?: string };
  investigation: { startedAt: string; endedAt?: string; durationMinutes: number };
  target: { lb?: string; region?: string; account?: string; mode: string };
  summary: string;
  impact: string[];
  detection: string[];
  timeline: { at: string; event: string }[];
  rootCauses: ReportCause[];
  contributingFactors: ReportCause[];
  ruledOut: ReportCause[];
  resolution: string[];
  actionItems: ActionItem[];
  checks: { node: string; check: string; status: string; outcome: string; summary: string; sources: Source[] }[];
  series: Series[];
  path: { nodes: { id: string; title: string; phase: string }[]; edges: PathEdge[]; mermaid: string };
}

const pct = (n: number) => Math.round(n);

function minutesBetween(a: string, b: string): number {
  return Math.max(0, (new Date(b).getTime() - new Date(a).getTime()) / 60_000);
}

function describe(e: JournalEvent, title: (id: string) => string): string {
  switch (e.type) {
    case 'start': return `Investigation started (${e.flowTitle}, ${e.context.mode} mode${e.context.lb ? `, load balancer ${e.context.lb}` : ''})`;
    case 'answer': return `${title(e.node)}: ${e.label}${e.note ? ` — note: ${e.note}` : ''}`;
    case 'check': return `Check ${e.check} (${title(e.node)}): ${e.result.status.toUpperCase()} — ${e.result.summary}`;
    case 'finding': return `Finding: ${e.cause} ${e.confidence} — ${e.evidence.join('; ')}`;
    case 'branch': return `→ ${title(e.next)}`;
    case 'note': return `Note: ${e.text}`;
    case 'back': return `Went back from "${title(e.from)}" to "${title(e.to)}"`;
    case 'end': return `Investigation ended${e.outcome ? `: ${e.outcome}` : ''}`;
    case 'report': return `Postmortem written to ${e.path}`;
    case 'verdict': return `Root cause named: ${e.cause}`;
  }
}

function fixFor(cause: Cause | undefined, server: string | undefined): string | undefined {
  if (!cause) return undefined;
  const key = server === 'tomcat-stock' ? 'tomcat' : server;
  const specific = key ? (cause.fix.backends as Record<string, string> | undefined)?.[key] : undefined;
  return specific ? `${cause.fix.general.trim()}\n\nFor ${server}: ${specific.trim()}` : cause.fix.general.trim();
}

/** Builds the postmortem content from a journal; pure, so it is snapshot-tested per fixture. */
export function buildPostmortem(events: readonly JournalEvent[], flow: Flow, catalog: Catalog): Postmortem {
  const s = replay(events);
  const f = s.facts;
  const causes = new Map(catalog.causes.map((c) => [c.id, c]));
  const nodeTitle = (id: string) => flow.nodes.find((n) => n.id === id)?.title ?? id;
  const server = typeof f['backend.server'] === 'string' ? f['backend.server'] : undefined;
  const toCause = (b: BoardEntry): ReportCause => ({
    id: b.cause, title: causes.get(b.cause)?.title ?? b.cause, confidence: b.confidence,
    why: causes.get(b.cause)?.why.trim(), evidence: b.evidence, fix: fixFor(causes.get(b.cause), server),
  });
  const entries = board(s, causeRelations(catalog));
  const rootCauses = entries.filter((b) => b.confidence === 'confirmed').map(toCause);
  const contributing = entries.filter((b) => b.confidence === 'likely' || b.confidence === 'suspected').map(toCause);
  const ruledOut = entries.filter((b) => b.confidence === 'ruled-out').map(toCause);
  const title = String(f['incident.title'] ?? 'Untitled 502 incident');
  const lastAt = events[events.length - 1].at;
  const endedAt = s.ended?.at;
  const status = String(f['resolution.status'] ?? (s.ended ? 'investigated' : 'in progress'));

  const leading = rootCauses[0] ?? contributing[0];
  const summary = [
    `${title.replace(/[.!]$/, '')}. `,
    f['incident.startedAt'] ? `502 Bad Gateway responses started at ${String(f['incident.startedAt'])} (UTC)` : '502 Bad Gateway responses were reported',
    f['lb.name'] ? ` on load balancer ${String(f['lb.name'])}.` : '.',
    leading
      ? ` ${rootCauses.length ? 'Root cause' : 'Most likely cause'}: ${leading.title}.`
      : ' No cause was confirmed.',
    ` Status: ${status}.`,
  ].join('');

  const impact: string[] = [];
  if (f['incident.url']) impact.push(`Affected URL: ${String(f['incident.url'])}`);
  if (f['scope.pattern']) impact.push(`Pattern: ${({ all: 'every request failed', intermittent: 'some requests failed intermittently', 'some-paths': 'only some paths or hosts failed', unknown: 'not determined' } as Record<string, string>)[String(f['scope.pattern'])] ?? String(f['scope.pattern'])}`);
  if (f['incident.startedAt']) impact.push(`Started: ${String(f['incident.startedAt'])}; ${endedAt ? `investigation ended ${endedAt}` : `last entry ${lastAt}`} (${pct(minutesBetween(String(f['incident.startedAt']), endedAt ?? lastAt))} min)`);
  if (f['metrics.elb502'] !== undefined) impact.push(`ALB-generated 502s in the window (CloudWatch): ${String(f['metrics.elb502'])}`);
  if (f['metrics.target5xx'] !== undefined) impact.push(`Target-generated 5xx in the window (CloudWatch): ${String(f['metrics.target5xx'])}`);
  if (f['logs.count502'] !== undefined) impact.push(`502 lines in the access logs analysed: ${String(f['logs.count502'])}`);
  if (f['probe.count502'] !== undefined) impact.push(`502s among badgate's own requests: ${String(f['probe.count502'])}`);
  if (!impact.length) impact.push('Impact was not recorded.');

  const detection: string[] = [];
  if (f['incident.startedAt']) detection.push(`The 502s started at ${String(f['incident.startedAt'])}; the investigation began at ${s.startedAt} (${pct(minutesBetween(String(f['incident.startedAt']), s.startedAt))} min later).`);
  else detection.push(`The investigation began at ${s.startedAt}.`);
  if (f['gateway.kind']) detection.push(`The failing response was fingerprinted as coming from: ${String(f['gateway.kind'])}.`);

  const resolution: string[] = [];
  if (f['resolution.action']) resolution.push(`Mitigation: ${String(f['resolution.action'])}.`);
  resolution.push(`Status: ${status}.`);
  for (const c of rootCauses) if (c.fix) resolution.push(`Fix for ${c.title}: ${c.fix}`);

  const actionItems: ActionItem[] = [];
  for (const c of [...rootCauses, ...contributing.filter((x) => x.confidence === 'likely')]) {
    for (const action of causes.get(c.id)?.prevent ?? []) {
      if (!actionItems.some((a) => a.action === action)) actionItems.push({ action, cause: c.id, owner: 'TBD', priority: c.confidence === 'confirmed' ? 'P1' : 'P2' });
    }
  }

  const liveChecks = s.checks.map((c) => ({
    node: c.node, check: c.check, status: c.result.status, outcome: c.result.outcome, summary: c.result.summary, sources: c.result.sources ?? [],
  }));
  const series = s.checks.flatMap((c: { result: CheckResult }) => c.result.series ?? []);

  const pathNodes = s.path.map((id) => {
    const n = flow.nodes.find((x) => x.id === id);
    return { id, title: n?.title ?? id, phase: n?.phase ?? '' };
  });
  const edges: PathEdge[] = [];
  for (let i = 0; i + 1 < s.path.length; i++) {
    const from = s.path[i];
    const a = s.answers.find((x) => x.node === from);
    const c = s.checks.find((x) => x.node === from);
    edges.push({ from, to: s.path[i + 1], label: a?.label ?? c?.result.outcome });
  }

  return {
    title, sessionId: s.sessionId, flow: { id: flow.id, title: flow.title }, status,
    incident: {
      startedAt: f['incident.startedAt'] as string | undefined, url: f['incident.url'] as string | undefined,
      pattern: f['scope.pattern'] as string | undefined, recentChange: f['incident.recentChange'] as string | undefined,
    },
    investigation: { startedAt: s.startedAt, endedAt, durationMinutes: pct(minutesBetween(s.startedAt, endedAt ?? lastAt)) },
    target: { lb: (f['lb.name'] ?? f['appgw.gatewayName'] ?? s.context.lb) as string | undefined, region: (f['lb.region'] ?? s.context.region) as string | undefined, account: f['aws.account'] as string | undefined, mode: s.context.mode },
    summary, impact, detection,
    timeline: events.filter((e) => e.type !== 'branch').map((e) => ({ at: e.at, event: describe(e, nodeTitle) })),
    rootCauses, contributingFactors: contributing, ruledOut, resolution, actionItems,
    checks: liveChecks, series,
    path: { nodes: pathNodes, edges, mermaid: pathFlowchart(pathNodes, edges) },
  };
}

function causeBlock(c: ReportCause): RootContent[] {
  return [
    heading(3, `${c.title} (${c.id}) — ${c.confidence}`),
    ...(c.why ? [paragraph(...rich(c.why))] : []),
    list(c.evidence.length ? c.evidence.map((e) => [strong('Evidence:'), text(` ${e}`)]) : ['No evidence recorded.']),
  ];
}

function seriesBlocks(series: Series[]): RootContent[] {
  return series.flatMap((s) => {
    const start = new Date(s.start).getTime();
    const labels = s.values.map((_, i) => new Date(start + i * s.periodSeconds * 1000).toISOString().slice(11, 16));
    return [
      heading(3, s.name),
      table(['Minute (UTC)', 'Count'], s.values.map((v, i) => [labels[i], String(v)])),
      code('mermaid', xychart(s.name, labels, s.values)),
    ];
  });
}

/** What a report shows, minus the catalog's own text (why, fix), which names no one's system. */
const CATALOG_FIELDS = new Set(['why', 'fix']);

/**
 * The postmortem with every identifier from the incident masked, the same one the same way
 * throughout, and the catalog's text left as written ("bound to 127.0.0.1 only" stays).
 */
export function redactPostmortem(p: Postmortem): Postmortem {
  const mask = createMasker();
  const names = [p.target.lb].filter((n): n is string => typeof n === 'string' && !n.startsWith('arn:')).map((value) => ({ kind: 'lb', value }));
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && CATALOG_FIELDS.has(key) ? v : redactIdentifiers(v, mask, names);
    if (Array.isArray(v)) return v.map((x) => walk(x, key && CATALOG_FIELDS.has(key) ? key : undefined));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(p) as Postmortem;
}

export function renderPostmortem(source: Postmortem, opts: { redact?: boolean } = {}): string {
  const p = opts.redact ? redactPostmortem(source) : source;
  const body: RootContent[] = [
    heading(1, `Postmortem: ${p.title}`),
    table(['Field', 'Value'], [
      ['Status', p.status],
      ['Incident start (UTC)', p.incident.startedAt ?? 'unknown'],
      ['Investigation', `${p.investigation.startedAt} → ${p.investigation.endedAt ?? 'in progress'} (${p.investigation.durationMinutes} min)`],
      ['Load balancer', [p.target.lb, p.target.region].filter(Boolean).join(' in ') || 'not identified'],
      ['Flow', `${p.flow.title} (${p.flow.id})`],
      ['Session', [inlineCode(p.sessionId)]],
    ]),
    heading(2, 'Summary'), paragraph(p.summary),
    heading(2, 'Impact'), list(p.impact),
    heading(2, 'Detection'), list(p.detection),
    heading(2, 'Timeline (UTC)'),
    table(['Time', 'Event'], p.timeline.map((t) => [t.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), t.event])),
    heading(2, 'Root cause and contributing factors'),
    ...(p.rootCauses.length ? p.rootCauses.flatMap(causeBlock) : [paragraph('No cause was confirmed during the investigation.')]),
    ...(p.contributingFactors.length ? [paragraph(strong('Contributing factors and open hypotheses')), ...p.contributingFactors.flatMap(causeBlock)] : []),
    heading(2, 'Ruled out'),
    p.ruledOut.length ? list(p.ruledOut.map((c) => [strong(c.title), text(` (${c.id}): ${c.evidence.join('; ')}`)])) : paragraph('Nothing was ruled out explicitly.'),
    heading(2, 'Resolution'), list(p.resolution.map((r) => rich(r))),
    heading(2, 'Action items'),
    p.actionItems.length
      ? table(['Action', 'Cause', 'Owner', 'Priority'], p.actionItems.map((a) => [a.action, [inlineCode(a.cause)], a.owner, a.priority]))
      : paragraph('No action items: no cause was confirmed or judged likely.'),
    heading(2, 'Checks run'),
    p.checks.length
      ? table(['Check', 'Status', 'Summary', 'Source'], p.checks.map((c) => [[inlineCode(c.check)], c.status, c.summary, c.sources.map((x) => `${x.api}${x.region ? ` (${x.region})` : ''} at ${x.at}`).join('; ') || '—']))
      : paragraph('No automatic checks ran.'),
    ...(p.series.length ? [heading(2, 'Metrics'), ...seriesBlocks(p.series)] : []),
    heading(2, 'Appendix: path through the flow'),
    code('mermaid', p.path.mermaid),
    paragraph('Generated by badgate from session ', inlineCode(p.sessionId), '. Causes catalog: ', link('https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html', 'ALB troubleshooting'), '.'),
  ];
  return render(body);
}

export function postmortemJson(p: Postmortem, opts: { redact?: boolean } = {}): string {
  return JSON.stringify(opts.redact ? redactPostmortem(p) : p, null, 2);
}
