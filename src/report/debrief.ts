import type { RootContent } from 'mdast';
import type { Catalog } from '../engine/causes.js';
import { formatDuration, type DrillScore, type PathStepView } from '../engine/drill-score.js';
import type { Scenario } from '../engine/scenario.js';
import { heading, list, paragraph, render, rich, strong, table, text } from './md.js';

export interface DebriefInput {
  scenario: Pick<Scenario, 'id' | 'title' | 'difficulty' | 'facilitator' | 'causes'>;
  score: DrillScore;
  catalog: Catalog;
  sessionId: string;
  at: Date;
}

function causeTitle(catalog: Catalog, id: string): string {
  return catalog.causes.find((c) => c.id === id)?.title ?? id;
}

function stepCell(s: PathStepView | undefined): string {
  if (!s) return '';
  return `${s.undone ? '(undone) ' : ''}${s.phase} · ${s.title} — ${s.did}`;
}

/** The trainee's moves beside the shortest ones, row by row, so the detours show. */
export function sideBySide(score: DrillScore): [string, string][] {
  const rows: [string, string][] = [];
  for (let i = 0; i < Math.max(score.trainee.length, score.shortest.length); i++) rows.push([stepCell(score.trainee[i]), stepCell(score.shortest[i])]);
  return rows;
}

export function scoreLines(score: DrillScore, catalog: Catalog): [string, string][] {
  const taken = score.trainee.filter((s) => !s.undone).length;
  return [
    ['Root cause', score.correct ? `correct: ${causeTitle(catalog, score.named)}` : `not correct: named ${causeTitle(catalog, score.named)}; the answer was ${score.answer.map((c) => causeTitle(catalog, c)).join(' or ')}`],
    ['Time taken', formatDuration(score.elapsedMs)],
    [`Time to the right phase${score.goalPhase ? ` (${score.goalPhase})` : ''}`, formatDuration(score.timeToPhaseMs)],
    ['Time until the evidence named the cause', formatDuration(score.timeToEvidenceMs)],
    ['Wrong turns', String(score.wrongTurns.length)],
    ['Backtracks', String(score.backtracks)],
    ['Checks run that were not needed', String(score.unneededChecks.length)],
    ['Moves', `${taken} (shortest path: ${score.shortest.length})`],
  ];
}

/** The drill's debrief as markdown: verdict, numbers, both paths, the facilitator's notes, the fix. */
export function renderDebrief(d: DebriefInput): string {
  const { score, catalog } = d;
  const out: RootContent[] = [
    heading(1, `Drill debrief: ${d.scenario.title}`),
    paragraph(`Scenario ${d.scenario.id} (${d.scenario.difficulty}) · session ${d.sessionId} · ${d.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`),
    paragraph(strong(score.correct ? 'Correct.' : 'Not correct.'), text(` You named ${causeTitle(catalog, score.named)}${score.correct ? '' : `; the answer was ${score.answer.map((c) => causeTitle(catalog, c)).join(' or ')}`}.`)),
    heading(2, 'Score'),
    table(['Measure', 'Result'], scoreLines(score, catalog)),
    heading(2, 'Your path and the shortest path'),
    table(['#', 'Your path', 'Shortest path to the answer'], sideBySide(score).map(([a, b], i) => [String(i + 1), a, b])),
  ];
  if (score.wrongTurns.length) {
    out.push(heading(2, 'Wrong turns'), list(score.wrongTurns.map((w) => `${w.title}: chose "${w.chose}"; the evidence supported "${w.expected}"`)));
  }
  if (score.unneededChecks.length) {
    out.push(heading(2, 'Checks that were not needed'), list(score.unneededChecks.map((c) => c.title)));
  }
  out.push(heading(2, 'Facilitator\'s notes'), ...d.scenario.facilitator.trim().split(/\n\s*\n/).map((p) => paragraph(...rich(p.replace(/\n/g, ' ')))));
  for (const id of d.scenario.causes) {
    const c = catalog.causes.find((x) => x.id === id);
    if (!c) continue;
    out.push(heading(2, `The cause: ${c.title}`), paragraph(...rich(c.why)), paragraph(strong('Fix: '), ...rich(c.fix.general)));
    if (c.fix.backends) out.push(list(Object.entries(c.fix.backends).map(([k, v]) => [strong(`${k}: `), ...rich(v)])));
  }
  return render(out);
}
