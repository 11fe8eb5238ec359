import type { CheckResult } from '../engine/vocabulary.js';
import { board, type BoardEntry, type EvidenceItem } from '../engine/board.js';
import { causeRelations, type Catalog, type Cause } from '../engine/causes.js';
import type { JournalEvent } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { replay } from '../engine/session.js';
import { pathFlowchart, type PathEdge } from './mermaid.js';
import { isCommand } from './md.js';
import { incidentCharts } from './charts.js';
import { actionItems, lessons } from './follow-up.js';
import { measureImpact, minuteUtc } from './impact.js';
import type { Postmortem, ReportCause, TimelineEntry } from './postmortem-model.js';

export type { ActionItem, Lessons } from './follow-up.js';
export type { Postmortem, ReportCause, TimelineEntry } from './postmortem-model.js';
export type { Figure, Impact } from './impact.js';

const MAX_EVIDENCE = 3;

function minutesBetween(a: string, b: string): number {
  return Math.max(0, (new Date(b).getTime() - new Date(a).getTime()) / 60_000);
}

/** `<tg.port>` left by a template whose fact was unknown then: the fact's value now, or "(unknown)". */
export function fillPlaceholders(text: string, facts: Readonly<Record<string, unknown>>): string {
  return text.replace(/<([a-z][\w-]*(?:\.[\w-]+)+)>/g, (_m, name: string) => {
    const v = facts[name];
    return v === undefined || v === '' ? '(unknown)' : String(v);
  });
}

/** Log line references (`/logs/alb.log:34`) become one line per file instead of a bullet each. */
function groupEvidence(items: readonly EvidenceItem[]): string[] {
  const out: string[] = [];
  const refs = new Map<string, string[]>();
  for (const it of items) {
    const m = /^(?:.*[/\\])?([^/\\\s]+):(\d+)$/.exec(it.text);
    if (m) {
      if (!refs.has(m[1])) {
        refs.set(m[1], []);
        out.push(`\0${m[1]}`);
      }
      refs.get(m[1])!.push(m[2]);
    } else out.push(it.text);
  }
  return out.map((t) => {
    if (!t.startsWith('\0')) return t;
    const file = t.slice(1);
    const lines = refs.get(file)!;
    return `Log lines in ${file}: ${lines.slice(0, 3).join(', ')}${lines.length > 3 ? ` and ${lines.length - 3} more` : ''}`;
  });
}

/** Long `commands` in a line of evidence: taken out (to a code block), the line points to them. */
function takeCommands(text: string, into: string[] | undefined, known: readonly string[]): string {
  return text.replace(/:?\s*`([^`]+)`/g, (all, cmd: string) => {
    if (!isCommand(cmd)) return all;
    if (into && !into.includes(cmd)) into.push(cmd);
    return into || known.includes(cmd) ? ' (command under Resolution)' : all;
  });
}

function fixFor(cause: Cause | undefined, server: string | undefined): string | undefined {
  if (!cause) return undefined;
  const key = server === 'tomcat-stock' ? 'tomcat' : server;
  const specific = key ? (cause.fix.backends as Record<string, string> | undefined)?.[key] : undefined;
  return specific ? `${cause.fix.general.trim()}\n\nFor ${server}: ${specific.trim()}` : cause.fix.general.trim();
}

/** A typed time (often "45m ago", resolved to the millisecond) is only as precise as the minute. */
function answerLabel(label: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(label) ? minuteUtc(label) : label;
}

/** Long check summaries (a replay's missing call with its parameters) cut for the tables. */
function brief(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const CHANGE: Record<string, string> = {
  deploy: 'a deploy', config: 'a configuration change', scale: 'a scaling event', none: '', unknown: '',
};

/** Builds the postmortem content from a journal; pure, so it is snapshot-tested per fixture. */
export function buildPostmortem(events: readonly JournalEvent[], flow: Flow, catalog: Catalog): Postmortem {
  const s = replay(events);
  const f = s.facts;
  const fill = (t: string) => fillPlaceholders(t, f);
  const causes = new Map(catalog.causes.map((c) => [c.id, c]));
  const causeTitle = (id: string) => causes.get(id)?.title ?? id;
  const nodeTitle = (id: string) => flow.nodes.find((n) => n.id === id)?.title ?? id;
  const server = typeof f['backend.server'] === 'string' ? f['backend.server'] : undefined;
  const entries = board(s, causeRelations(catalog));
  const conflicts: string[] = [];
  const toCause = (b: BoardEntry): ReportCause => {
    const stance = b.confidence === 'ruled-out' ? 'against' : 'for';
    // The findings that decided the confidence (the confirming ones for a confirmed cause) lead.
    const deciding = new Set(b.findings.filter((x) => x.confidence === b.confidence).flatMap((x) => x.evidence));
    const mine = b.items.filter((i) => i.stance === stance);
    const ordered = [...mine.filter((i) => deciding.has(i.text)), ...mine.filter((i) => !deciding.has(i.text))];
    const grouped = groupEvidence(ordered.map((i) => ({ ...i, text: fill(i.text) })));
    for (const i of b.items.filter((x) => x.stance !== stance)) conflicts.push(`${causeTitle(b.cause)}: "${fill(i.text)}" (${i.strength}, ${i.source}) was outweighed by stronger evidence ${stance === 'for' ? 'for' : 'against'} it.`);
    return {
      id: b.cause, title: causeTitle(b.cause), confidence: b.confidence, why: causes.get(b.cause)?.why.trim(),
      evidence: grouped.slice(0, MAX_EVIDENCE), moreEvidence: Math.max(0, grouped.length - MAX_EVIDENCE), fix: fixFor(causes.get(b.cause), server),
    };
  };
  // A confirmed symptom that a confirmed cause explains (every target unhealthy, because the
  // security group drops the health checks) is said under that cause, not as a second root cause.
  const confirmed = entries.filter((b) => b.confidence === 'confirmed');
  const explained = (b: BoardEntry) => b.explainedBy.some((x) => confirmed.some((c) => c.cause === x));
  const rootCauses = confirmed.filter((b) => !explained(b)).map((b) => ({
    ...toCause(b),
    explains: confirmed.filter((x) => explained(x) && x.explainedBy.includes(b.cause)).map((x) => `${causeTitle(x.cause)} (${x.cause})`),
  }));
  const fixCommands: string[] = [];
  for (const c of rootCauses) c.evidence = c.evidence.map((e) => takeCommands(e, fixCommands, []));
  const contributing = entries.filter((b) => b.confidence === 'likely' || b.confidence === 'suspected').map(toCause);
  const ruledOut = entries.filter((b) => b.confidence === 'ruled-out').map(toCause);
  const title = String(f['incident.title'] ?? 'Untitled 502 incident');
  const lastAt = events[events.length - 1].at;
  const endedAt = s.ended?.at;
  const status = String(f['resolution.status'] ?? (s.ended ? 'investigated' : 'in progress'));
  const resolved = status === 'resolved';
  const verifiedAt = s.answers.find((a) => a.node === 'wrap-verify')?.at;
  const series = s.checks.flatMap((c: { result: CheckResult }) => c.result.series ?? []);
  const impact = measureImpact(events, f, series, { resolved, endedAt: endedAt ?? lastAt, verifiedAt });
  const reportedStart = f['incident.startedAt'] !== undefined ? String(f['incident.startedAt']) : undefined;
  const lead = rootCauses[0] ?? contributing.find((c) => c.confidence === 'likely');
  const leadCause = lead ? causes.get(lead.id) : undefined;
  // The gateway in front, whichever kind the flow found: a load balancer, a distribution or an API and its stage.
  const api = f['apigw.name'] ? `API Gateway ${String(f['apigw.name'])}${f['apigw.stage'] ? ` (stage ${String(f['apigw.stage'])})` : ''}` : undefined;
  const distribution = f['cf.id'] ? `CloudFront ${String(f['cf.id'])}${f['cf.domain'] ? ` (${String(f['cf.domain'])})` : ''}` : undefined;
  const lb = (f['lb.name'] ?? f['clb.name'] ?? f['appgw.gatewayName'] ?? api ?? distribution ?? s.context.lb) as string | undefined;

  const shareText = impact.share !== undefined ? `${(impact.share * 100).toFixed(impact.share < 0.001 ? 3 : impact.share < 0.1 ? 2 : 1)}% of requests` : 'requests';
  const firstAt = impact.first502 ?? reportedStart;
  const summary = [
    `${title.replace(/[.!]$/, '')}.`,
    firstAt ? ` From ${minuteUtc(firstAt)}${impact.first502 ? '' : ' (reported)'}` : ' During the incident',
    impact.endedAt ? ` to ${minuteUtc(impact.endedAt)}` : ' until the end of the investigation',
    `, ${shareText}${lb ? ` to load balancer ${lb}` : ''} got 502 Bad Gateway${impact.share !== undefined ? ' (measured)' : ' (as reported; nothing was measured)'}.`,
    rootCauses.length ? ` Root cause: ${rootCauses[0].title}.` : lead ? ` Most likely cause, not confirmed: ${lead.title}.` : ' No cause was confirmed.',
    f['resolution.action'] ? ` ${String(f['resolution.action'])}.` : '',
    ` Status: ${status}.`,
  ].join('');

  const trigger: string[] = [];
  const change = f['incident.recentChange'] !== undefined ? String(f['incident.recentChange']) : undefined;
  if (change && CHANGE[change]) trigger.push(`The responder reported ${CHANGE[change]} shortly before the 502s started; check its time against the first 502${impact.first502 ? ` (${minuteUtc(impact.first502)})` : ''}.`);
  else if (change && change !== 'unknown') trigger.push('No recent change was reported before the 502s started.');
  else trigger.push('Whether anything changed before the 502s started was not recorded.');
  if (leadCause?.id === 'keepalive-race') trigger.push('This cause needs no change to start: any idle connection the load balancer reuses after the backend closed it fails, so the 502s follow traffic gaps rather than a single event.');
  else if (!change || !CHANGE[change]) trigger.push('Trigger: unknown; to be settled in the review.');

  const detection: string[] = [];
  const detectFrom = impact.first502 ?? reportedStart;
  const detectionMinutes = detectFrom ? Math.round(minutesBetween(detectFrom, s.startedAt)) : undefined;
  if (detectFrom) detection.push(`The first 502 ${impact.first502 ? 'measured' : 'reported'} was at ${minuteUtc(detectFrom)}; the investigation began at ${minuteUtc(s.startedAt)} (${detectionMinutes} min later).`);
  else detection.push(`The investigation began at ${minuteUtc(s.startedAt)}.`);
  if (f['gateway.kind']) detection.push(`The failing response was fingerprinted as coming from: ${String(f['gateway.kind'])}.`);
  detection.push('How the 502s were noticed (alert, customer report, dashboard): to fill in.');

  const resolution: string[] = [];
  if (f['resolution.action']) resolution.push(`Mitigation: ${String(f['resolution.action'])}.`);
  resolution.push(resolved
    ? `The 502s stopped${impact.endedAt ? ` (${impact.endedHow}: ${minuteUtc(impact.endedAt)})` : ''}.`
    : `Status at the end of the investigation: ${status}.`);

  const checks = s.checks.map((c) => ({
    node: c.node, check: c.check, status: c.result.status, outcome: c.result.outcome, summary: brief(fill(c.result.summary)), sources: c.result.sources ?? [],
  }));
  const confirmedAt = s.findings.find((x) => rootCauses.some((c) => c.id === x.cause) && x.confidence === 'confirmed')?.at;
  const targetsTotal = f['targets.total'] !== undefined ? Number(f['targets.total']) : undefined;
  const follow = {
    cause: leadCause, confirmed: rootCauses.length > 0, resolved, facts: f, checks,
    ruledOut: ruledOut.map((c) => c.id), detectionMinutes,
    confirmMinutes: confirmedAt ? Math.round(minutesBetween(s.startedAt, confirmedAt)) : undefined,
    measuredShare: impact.share, targetsWith502: impact.figures.find((x) => x.label === 'Targets with 502s')?.value.split('; ').length ?? 0, targetsTotal,
  };

  const timeline: TimelineEntry[] = [];
  if (reportedStart) timeline.push({ at: reportedStart, event: '502s started (reported by the responder)', reported: true });
  if (impact.first502) timeline.push({ at: impact.first502, event: 'First 502 measured', minute: true });
  if (impact.last502 && impact.last502 !== impact.first502) timeline.push({ at: impact.last502, event: `Last 502 measured${resolved ? '' : ' (in the data read)'}`, minute: true });
  for (const e of events) {
    const t = describe(e);
    if (t) timeline.push({ at: e.at, event: takeCommands(fill(t), undefined, fixCommands) });
  }
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  const milestones: TimelineEntry[] = [];
  if (reportedStart) milestones.push({ at: reportedStart, event: '502s start (reported)', reported: true });
  if (impact.first502) milestones.push({ at: impact.first502, event: 'first 502 measured' });
  milestones.push({ at: s.startedAt, event: 'investigation starts' });
  if (confirmedAt) milestones.push({ at: confirmedAt, event: 'root cause confirmed' });
  const mitigatedAt = s.answers.find((a) => a.node === 'wrap-emergency' && f['resolution.action'] && a.value !== 'none')?.at;
  if (mitigatedAt) milestones.push({ at: mitigatedAt, event: 'mitigation' });
  if (impact.endedAt) milestones.push({ at: impact.endedAt, event: 'impact ends' });
  if (endedAt) milestones.push({ at: endedAt, event: `investigation ends (${status})` });
  milestones.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  // Routing nodes (branches) carry no decision of the responder's: the chart goes around them.
  const isRouting = (id: string) => flow.nodes.find((x) => x.id === id)?.kind === 'branch';
  const pathNodes = s.path.map((id) => {
    const n = flow.nodes.find((x) => x.id === id);
    return { id, title: n?.title ?? id, phase: n?.phase ?? '' };
  });
  const edges: PathEdge[] = [];
  const shown = s.path.filter((id, i) => i === 0 || i === s.path.length - 1 || !isRouting(id));
  for (let i = 0; i + 1 < shown.length; i++) {
    const from = shown[i];
    const a = s.answers.find((x) => x.node === from);
    const c = s.checks.find((x) => x.node === from);
    edges.push({ from, to: shown[i + 1], label: a ? answerLabel(a.label) : c?.result.outcome });
  }
  const chartNodes = pathNodes.filter((n) => shown.includes(n.id));

  return {
    title, sessionId: s.sessionId, flow: { id: flow.id, title: flow.title }, status,
    document: { status: 'Draft', authors: '(to fill in)', owners: '(to fill in)', date: (impact.first502 ?? reportedStart ?? s.startedAt).slice(0, 10) },
    incident: { startedAt: reportedStart, url: f['incident.url'] as string | undefined, pattern: f['scope.pattern'] as string | undefined, recentChange: change },
    investigation: { startedAt: s.startedAt, endedAt, durationMinutes: Math.round(minutesBetween(s.startedAt, endedAt ?? lastAt)) },
    target: { lb, region: (f['lb.region'] ?? s.context.region) as string | undefined, account: f['aws.account'] as string | undefined, mode: s.context.mode },
    summary, impact, trigger, detection, timeline, milestones,
    rootCauses, contributingFactors: contributing, ruledOut, conflicts, resolution,
    fixSnippet: rootCauses.length && typeof f['backend.fix'] === 'string' ? f['backend.fix'] : undefined,
    fixCommands, actionItems: actionItems(follow), lessons: lessons(follow),
    checks, charts: incidentCharts(series, reportedStart),
    path: { nodes: pathNodes, edges, mermaid: pathFlowchart(chartNodes, edges) },
  };

  function describe(e: JournalEvent): string | undefined {
    switch (e.type) {
      case 'start': return `Investigation started (${e.flowTitle}, ${e.context.mode} mode${e.context.lb ? `, load balancer ${e.context.lb}` : ''}${e.facts?.['handover.from'] ? `, handed over from session ${String(e.facts['handover.from'])} of the ${String(e.facts['handover.fromFlow'] ?? '')} flow` : ''})`;
      // A question the responder skipped says nothing about the incident.
      case 'answer': return /^\(?(skipped|done)\)?$/i.test(e.label) && !e.note ? undefined : `${nodeTitle(e.node)}: ${answerLabel(e.label)}${e.note ? ` — note: ${e.note}` : ''}`;
      case 'check': return /^skipped: /.test(e.result.summary) ? undefined : `Check ${e.check} (${nodeTitle(e.node)}): ${e.result.status.toUpperCase()} — ${brief(e.result.summary)}`;
      case 'finding': {
        // A check's findings repeat its own row; only the confirming ones mark a moment.
        if (e.via === 'check' && e.confidence !== 'confirmed') return undefined;
        const ev = groupEvidence(e.evidence.map((text) => ({ text, strength: 'measured', source: '', stance: 'for', at: e.at })));
        return `Finding: ${causeTitle(e.cause)} (${e.cause}) ${e.confidence}${ev.length ? ` — ${ev[0]}${ev.length > 1 ? ` (and ${ev.length - 1} more)` : ''}` : ''}`;
      }
      case 'branch': return undefined;
      case 'note': return `Note: ${e.text}`;
      case 'back': return `Went back from "${nodeTitle(e.from)}" to "${nodeTitle(e.to)}"`;
      case 'end': return `Investigation ended${e.outcome ? `: ${e.outcome}` : ''}`;
      case 'report': return `Postmortem written to ${e.path}`;
      case 'verdict': return `Root cause named: ${causeTitle(e.cause)}`;
      case 'mitigation': return `Mitigation for ${causeTitle(e.cause)}: ${e.result === 'stopped' ? 'applied, the 502s stopped' : e.result === 'failing' ? 'applied, still failing' : 'put off'}`;
    }
  }
}

export { redactPostmortem } from './redact.js';
export { renderPostmortem, postmortemJson, POSTMORTEM_FORMATS, type PostmortemFormat } from './layouts.js';
