import { standingCauses, board } from './board.js';
import type { CauseRelations } from './causes.js';
import type { Flow } from './flow-schema.js';
import { NOT_LOOKED } from './progress.js';
import { nodeById, type SessionState } from './session.js';

export interface Unexplored {
  node: string;
  title: string;
  /** What happened there: the skipped answer, or why the check could not answer. */
  why: string;
}

const titleOf = (flow: Flow, id: string): string => {
  try {
    return nodeById(flow, id).title;
  } catch {
    return id;
  }
};

/**
 * The branches left unexplored: steps answered "skipped", "cannot tell" or left empty, and
 * checks that could not answer. Still failing, these are where to look next.
 */
export function unexplored(flow: Flow, s: Pick<SessionState, 'answers' | 'checks'>): Unexplored[] {
  const out: Unexplored[] = [];
  for (const a of s.answers) {
    if (a.label === '(skipped)' || NOT_LOOKED.test(a.value)) out.push({ node: a.node, title: titleOf(flow, a.node), why: a.label });
  }
  for (const c of s.checks) {
    if (c.result.status === 'unknown') out.push({ node: c.node, title: titleOf(flow, c.node), why: c.result.summary });
  }
  return out;
}

/** What to hand over when escalating: one line each, most important first. */
export function handoverSummary(flow: Flow, s: SessionState, titles: ReadonlyMap<string, string>, relations?: CauseRelations): string[] {
  const f = s.facts;
  const name = (c: string) => titles.get(c) ?? c;
  const lines: string[] = [];
  lines.push(`Incident: ${String(f['incident.title'] ?? flow.title)}; 502s since ${String(f['incident.startedAt'] ?? 'unknown')}${f['incident.url'] ? ` on ${String(f['incident.url'])}` : ''}${f['scope.pattern'] ? ` (${String(f['scope.pattern'])} requests)` : ''}.`);
  if (f['lb.name'] || f['lb.arn']) lines.push(`Load balancer: ${String(f['lb.arn'] ?? f['lb.name'])}.`);
  const standing = standingCauses(s, relations);
  lines.push(standing.length
    ? `Open hypotheses: ${standing.map((e) => `${name(e.cause)} (${e.confidence}, ${e.strength}: ${e.evidence[0] ?? ''})`).join('; ')}.`
    : 'Open hypotheses: none named yet.');
  const ruledOut = board(s, relations).filter((e) => e.confidence === 'ruled-out');
  if (ruledOut.length) lines.push(`Ruled out: ${ruledOut.map((e) => name(e.cause)).join('; ')}.`);
  const tried = [...s.mitigations.map((m) => `${name(m.cause)}: ${m.result === 'stopped' ? 'stopped the 502s' : m.result === 'failing' ? 'did not stop them' : 'not tried'}`)];
  if (f['resolution.action']) tried.push(String(f['resolution.action']));
  if (tried.length) lines.push(`Tried: ${tried.join('; ')}.`);
  const left = unexplored(flow, s);
  if (left.length) lines.push(`Not examined: ${left.map((u) => `${u.title} (${u.why})`).join('; ')}.`);
  lines.push(`Session: ${s.sessionId} (${s.answers.length} answers, ${s.checks.length} checks).`);
  return lines;
}
