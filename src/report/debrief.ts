import type { RootContent } from 'mdast';
import type { Catalog } from '../engine/causes.js';
import { formatDuration, type DrillScore, type PathStepView } from '../engine/drill-score.js';
import type { Scenario } from '../engine/scenario.js';
import { heading, list, paragraph, prose, render, rich, strong, table, text } from './md.js';

export interface DebriefInput {
  scenario: Pick<Scenario, 'id' | 'title' | 'difficulty' | 'facilitator' | 'causes'> & { clock?: string };
  score: DrillScore;
  catalog: Catalog;
  sessionId: string;
  at: Date;
  /** When the trainee's drill started (default: `at` minus the time taken). */
  startedAt?: Date;
}

/**
 * The facilitator's notes on the trainee's clock: the sheet is written in scenario time (the
 * drill's `clock`), and the drill moved the logs and metrics to the real start, so every HH:MM
 * in it moves by the same offset. The sheet's own remark about scenario time goes.
 */
export function traineeClockNotes(facilitator: string, scenarioClock: string | undefined, startedAt: Date): string {
  const t0 = scenarioClock ? Date.parse(scenarioClock) : NaN;
  const text = facilitator.trim().replace(/^\(Times here are scenario time[^)]*\)\s*/i, '');
  if (Number.isNaN(t0)) return text;
  const offset = startedAt.getTime() - t0;
  const day = new Date(t0).toISOString().slice(0, 10);
  const shifted = text.replace(/(?<![\d.:])([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?![\d:.]*\d)/g, (_m, h: string, mi: string, sec?: string) => {
    const at = new Date(Date.parse(`${day}T${h}:${mi}:${sec ?? '00'}Z`) + offset).toISOString();
    return sec ? at.slice(11, 19) : at.slice(11, 16);
  });
  return `(Times are on your clock, UTC.)\n\n${shifted}`;
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
  const startedAt = d.startedAt ?? new Date(d.at.getTime() - score.elapsedMs);
  const notes = traineeClockNotes(d.scenario.facilitator, d.scenario.clock, startedAt);
  out.push(heading(2, 'Facilitator\'s notes'), ...notes.split(/\n\s*\n/).map((p) => paragraph(...rich(p))));
  // The cause the verdict named comes first, under the heading that matches the verdict.
  const order = score.correct ? [score.named, ...d.scenario.causes.filter((c) => c !== score.named)] : [...d.scenario.causes];
  order.forEach((id, k) => {
    const c = catalog.causes.find((x) => x.id === id);
    if (!c) return;
    const head = k === 0 ? (score.correct ? `The cause you named: ${c.title}` : `The answer: ${c.title}`) : `Also accepted: ${c.title}`;
    out.push(heading(2, head), ...prose(c.why), ...prose(c.fix.general, 'Fix:'));
    if (c.fix.backends) out.push(list(Object.entries(c.fix.backends).map(([k2, v]) => [strong(`${k2}:`), text(' '), ...rich(v)])));
  });
  return render(out);
}
