import type { RootContent } from 'mdast';
import { code, heading, inlineCode, list, paragraph, prose, render, rich, strong, table, text } from './md.js';
import { timelineChart, xychart } from './mermaid.js';
import type { Postmortem, ReportCause } from './postmortem-model.js';
import { redactPostmortem } from './redact.js';

/** Flows whose front is not a load balancer: the row names an API or a distribution. */
const GATEWAY_FLOWS = new Set(['apigw', 'cloudfront']);

export const POSTMORTEM_FORMATS = ['google', 'pagerduty', 'markdown'] as const;
export type PostmortemFormat = (typeof POSTMORTEM_FORMATS)[number];

/** One section of a layout: its heading, what the JSON carries for it, and its markdown. */
interface Section {
  id: string;
  title: string;
  data: unknown;
  blocks: RootContent[];
}

const time = (iso: string, o: { reported?: boolean; minute?: boolean } = {}) => (o.reported || o.minute
  ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z${o.reported ? ' (reported)' : ''}`
  : `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`);

function evidenceList(c: ReportCause): RootContent {
  const items: string[] = c.evidence.length ? [...c.evidence] : ['No evidence recorded.'];
  if (c.moreEvidence) items.push(`and ${c.moreEvidence} more in the session's journal`);
  return list(items);
}

function causeBlock(c: ReportCause, depth: 3 = 3): RootContent[] {
  return [
    heading(depth, `${c.title} (${c.id}): ${c.confidence}`),
    ...(c.why ? prose(c.why) : []),
    paragraph(strong(c.confidence === 'ruled-out' ? 'Evidence against:' : 'Evidence, the deciding findings first:')),
    evidenceList(c),
    ...(c.explains?.length ? [paragraph(strong('It explains:'), text(` ${c.explains.join('; ')}.`))] : []),
  ];
}

function metaTable(p: Postmortem, format: PostmortemFormat): RootContent {
  const rows: [string, string | ReturnType<typeof inlineCode>[]][] = format === 'pagerduty'
    ? [['Postmortem owner', p.document.owners], ['Meeting scheduled for', '(within 5 business days; to fill in)'], ['Call recording', '(link; to fill in)']]
    : [['Date', p.document.date], ['Authors', p.document.authors], ['Owners', p.document.owners]];
  rows.push(
    ['Document status', `${p.document.status} (Draft → In review → Final)`],
    ['Incident status', p.status],
    [GATEWAY_FLOWS.has(p.flow.id) ? 'Gateway' : 'Load balancer', [p.target.lb, p.target.region].filter(Boolean).join(' in ') || 'not identified'],
    ['Investigation', `${time(p.investigation.startedAt)} → ${p.investigation.endedAt ? time(p.investigation.endedAt) : 'in progress'} (${p.investigation.durationMinutes} min, ${p.target.mode} mode)`],
    ['Session', [inlineCode(p.sessionId)]],
  );
  return table(['Field', 'Value'], rows.map(([a, b]) => [a, b]));
}

function sections(p: Postmortem, format: PostmortemFormat): Section[] {
  const s = (id: string, title: string, data: unknown, blocks: RootContent[]): Section => ({ id, title, data, blocks });
  const impact = s('impact', 'Impact', p.impact, [
    table(['Figure', 'Value', 'Source'], p.impact.figures.map((f) => [f.label, f.value, f.source])),
    ...p.impact.notes.map((n) => paragraph(n)),
  ]);
  const rootCauses = s('root-causes', format === 'pagerduty' ? 'Contributing factors' : 'Root causes', { rootCauses: p.rootCauses, contributingFactors: p.contributingFactors }, [
    ...(p.rootCauses.length ? p.rootCauses.flatMap((c) => causeBlock(c)) : [paragraph('No cause was confirmed during the investigation.')]),
    ...(p.contributingFactors.length
      ? [paragraph(strong(p.rootCauses.length ? 'Also standing (not confirmed):' : 'Open hypotheses, most likely first:')),
        ...(p.rootCauses.length
          ? [list(p.contributingFactors.map((c) => [strong(c.title), text(` (${c.id}), ${c.confidence}: ${c.evidence[0] ?? 'no evidence recorded'}`)]))]
          : p.contributingFactors.slice(0, 2).flatMap((c) => causeBlock(c)))]
      : []),
  ]);
  const trigger = s('trigger', 'Trigger', p.trigger, [list(p.trigger)]);
  const lead = p.rootCauses[0];
  const resolution = s('resolution', 'Resolution', { resolution: p.resolution, fix: lead?.fix, fixSnippet: p.fixSnippet }, [
    list(p.resolution),
    ...(lead?.fix ? prose(lead.fix, `Fix for ${lead.title}:`) : []),
    ...(p.fixCommands.length ? [paragraph('The commands the evidence gave, with this incident\'s ids (badgate changes nothing; review before running):'), code('sh', p.fixCommands.join('\n'))] : []),
    ...(p.fixSnippet ? [paragraph('The settings the checks computed for this backend:'), code('js', p.fixSnippet)] : []),
  ]);
  const detection = s('detection', 'Detection', p.detection, [list(p.detection)]);
  const actions = s('action-items', 'Action items', p.actionItems, [
    table(['Action item', 'Type', 'Priority', 'Owner', 'Tracking'], p.actionItems.map((a) => [rich(a.action), a.type, a.priority, a.owner, a.tracking])),
  ]);
  const lessons = s('lessons-learned', format === 'pagerduty' ? "How'd we do?" : 'Lessons learned', p.lessons, [
    heading(3, 'What went well'), list(p.lessons.wentWell),
    heading(3, format === 'pagerduty' ? "What didn't go so well" : 'What went wrong'), list(p.lessons.wentWrong),
    heading(3, 'Where we got lucky'), list(p.lessons.gotLucky),
  ]);
  const timeline = s('timeline', 'Timeline (UTC)', p.timeline, [
    code('mermaid', timelineChart('Incident timeline (UTC)', p.milestones)),
    table(['Time (UTC)', 'Event'], p.timeline.map((t) => [time(t.at, t), rich(t.event)])),
  ]);
  const supporting = s('supporting-information', format === 'markdown' ? 'Evidence and checks' : 'Supporting information', { charts: p.charts, checks: p.checks, ruledOut: p.ruledOut, conflicts: p.conflicts, path: p.path }, [
    ...p.charts.flatMap((c) => [
      heading(3, c.name),
      paragraph(`Peak ${c.peak.value} at ${c.peak.at} UTC; ${c.total} in the window shown${c.minutesPerBar > 1 ? ` (${c.minutesPerBar}-minute bars)` : ''}.`),
      code('mermaid', xychart(c.name, c.labels, c.values)),
    ]),
    heading(3, 'Ruled out'),
    p.ruledOut.length ? list(p.ruledOut.map((c) => [strong(c.title), text(` (${c.id}): ${c.evidence.join('; ')}`)])) : paragraph('Nothing was ruled out explicitly.'),
    ...(p.conflicts.length ? [heading(3, 'Evidence that was outweighed'), list(p.conflicts)] : []),
    heading(3, 'Checks run'),
    p.checks.length
      ? table(['Check', 'Status', 'Summary', 'Source'], p.checks.map((c) => [[inlineCode(c.check)], c.status, c.summary, [...new Set(c.sources.map((x) => `${x.api}${x.replayed ? ' (replayed)' : ''}`))].join(', ') || '—']))
      : paragraph('No automatic checks ran.'),
    heading(3, 'Path through the flow'),
    code('mermaid', p.path.mermaid),
  ]);
  const summary = s('summary', format === 'pagerduty' ? 'Overview' : 'Summary', p.summary, [paragraph(p.summary)]);
  if (format === 'google') return [summary, impact, rootCauses, trigger, resolution, detection, actions, lessons, timeline, supporting];
  if (format === 'pagerduty') {
    const happened = s('what-happened', 'What happened', p.trigger, [list([...p.trigger, ...p.detection])]);
    const responders = s('responders', 'Responders', null, [list(['(to fill in: incident commander, responders, subject-matter experts)'])]);
    const messaging = s('messaging', 'Messaging', null, [list(['Internal: (to fill in)', 'External: (to fill in)'])]);
    return [summary, happened, rootCauses, resolution, impact, responders, timeline, lessons, actions, messaging, supporting];
  }
  return [summary, impact, detection, timeline, rootCauses, trigger, resolution, actions, lessons, supporting];
}

/** The postmortem as markdown, in the Google SRE layout (default), PagerDuty's, or badgate's own. */
export function renderPostmortem(source: Postmortem, opts: { redact?: boolean; format?: PostmortemFormat } = {}): string {
  const p = opts.redact ? redactPostmortem(source) : source;
  const format = opts.format ?? 'google';
  const body: RootContent[] = [heading(1, `Postmortem: ${p.title}`), metaTable(p, format)];
  for (const sec of sections(p, format)) body.push(heading(2, sec.title), ...sec.blocks);
  body.push(paragraph('Generated by badgate from session ', inlineCode(p.sessionId), '. Figures name their source; "(to fill in)" marks what the review must add.'));
  return render(body);
}

/** The same sections as the markdown, in the same order, for scripts. */
export function postmortemJson(source: Postmortem, opts: { redact?: boolean; format?: PostmortemFormat } = {}): string {
  const p = opts.redact ? redactPostmortem(source) : source;
  const format = opts.format ?? 'google';
  return JSON.stringify({
    format, title: p.title, sessionId: p.sessionId, document: p.document, status: p.status, flow: p.flow, target: p.target,
    sections: sections(p, format).map(({ id, title, data }) => ({ id, title, data })),
  }, null, 2);
}
