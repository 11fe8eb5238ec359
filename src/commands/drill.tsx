import { join } from 'node:path';
import { render } from 'ink';
import React from 'react';
import { createDrillEnv, type DrillEnv } from '../drills/drill-env.js';
import { memoRunner } from '../checks/runner.js';
import { drillStartEvent, loadScenario, pinnedAnswers, scenarioFiles, scenarioShortestPath, type LoadedScenario } from '../drills/scenarios.js';
import { scoreDrill } from '../engine/drill-score.js';
import { nodeById } from '../engine/session.js';
import type { ShortestPath } from '../engine/shortest-path.js';
import { loadCatalog } from '../flow-files.js';
import { renderDebrief, scoreLines, sideBySide, traineeClockNotes } from '../report/debrief.js';
import { Journal, newSessionId, sessionsDir, stateDir } from '../sessions/journal.js';
import { DrillApp, type DebriefView } from '../ui/drill-app.js';
import { selfCommand, type Io } from './io.js';
import { BadgateError } from '../engine/errors.js';
import { writeReportFile } from './report.js';

export interface DrillFlags {
  facilitator?: boolean;
  json?: boolean;
  out?: string;
  cause?: string;
  session?: string;
  /** Keep account ids, addresses and names as recorded (masked by default). */
  keepNames?: boolean;
}

interface DrillRow {
  id: string;
  title: string;
  difficulty: string;
  trains: string;
  problem?: string;
}

function drillRows(): DrillRow[] {
  const rows: DrillRow[] = [];
  for (const file of scenarioFiles()) {
    const id = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
    try {
      const { scenario } = loadScenario(file);
      rows.push({ id, title: scenario.title, difficulty: scenario.difficulty, trains: scenario.trains });
    } catch (e) {
      rows.push({ id, title: '(broken scenario)', difficulty: '-', trains: '', problem: (e as Error).message.split('\n')[0] });
    }
  }
  return rows;
}

/** For the home screen's picker. */
export function drillChoices(): { value: string; label: string; hint: string }[] {
  return drillRows().filter((r) => !r.problem).map((r) => ({ value: r.id, label: `${r.title} (${r.difficulty})`, hint: `trains: ${r.trains}` }));
}

/** `badgate drill`: the scenarios, one line each, without their answers. */
export function listDrills(io: Io, json = false): number {
  const rows = drillRows();
  if (json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (!rows.length) throw new BadgateError('no drill scenarios are installed', 'they live in flows/drills/; `badgate drill import` makes one from a recording');
  const w = Math.max(...rows.map((r) => r.id.length));
  io.out('Drills (run one with `badgate drill <id>`; `--facilitator <id>` shows the answer):\n');
  for (const r of rows) {
    io.out(`  ${r.id.padEnd(w)}  ${r.difficulty.padEnd(6)}  ${r.title}`);
    io.out(`  ${''.padEnd(w)}          ${r.problem ? `✘ ${r.problem}` : `trains: ${r.trains}`}`);
  }
  return 0;
}

function loadOrFail(id: string): LoadedScenario {
  try {
    return loadScenario(id);
  } catch (e) {
    throw new BadgateError((e as Error).message, (e as { nextStep?: string }).nextStep);
  }
}

/** The facilitator's sheet: the answer, the story, the shortest path and what each other answer leads to. */
export async function facilitatorView(id: string, io: Io, json = false): Promise<number> {
  const loaded = loadOrFail(id);
  const { scenario, flow } = loaded;
  const catalog = loadCatalog();
  const path = await scenarioShortestPath(loaded);
  if (json) {
    io.out(JSON.stringify({ id: scenario.id, title: scenario.title, causes: scenario.causes, shortest: path ?? null, facilitator: scenario.facilitator }, null, 2));
    return 0;
  }
  const title = (c: string) => catalog.causes.find((x) => x.id === c)?.title ?? c;
  io.out(`FACILITATOR — ${scenario.title} (${scenario.id}, ${scenario.difficulty})`);
  io.out(`Answer: ${scenario.causes.map((c) => `${title(c)} [${c}]`).join(' or ')}`);
  io.out(`Trains: ${scenario.trains}\n`);
  io.out('Briefing the trainee gets:');
  io.out(scenario.briefing.trim().split('\n').map((l) => `  ${l}`).join('\n'));
  io.out('\nNotes:');
  io.out(scenario.facilitator.trim().split('\n').map((l) => `  ${l}`).join('\n'));
  if (!path) {
    io.out('\n✘ No path through the flow reaches the answer with this scenario: run `badgate flows lint` on it.');
    return 1;
  }
  io.out(`\nShortest path to the answer (${path.moves.length} moves; found at "${nodeById(flow, path.goalNode).title}", phase ${path.goalPhase}):`);
  path.moves.forEach((m, i) => {
    io.out(`  ${String(i + 1).padStart(2)}. [${m.phase}] ${m.title} → ${m.kind === 'check' ? `${m.value}: ${m.label}` : m.label}`);
    const node = nodeById(flow, m.node);
    if ((node.kind === 'question' || node.kind === 'step') && node.choices && node.choices.length > 1) {
      const others = node.choices.filter((c) => c.value !== m.value)
        .map((c) => `${c.label} → ${nodeById(flow, c.next ?? node.next ?? m.next).title}${c.finding ? ` (claims ${c.finding.cause})` : ''}`);
      io.out(`      other answers: ${others.join('; ')}`);
    }
  });
  return 0;
}

function debriefPath(flags: DrillFlags, sessionId: string): string {
  return flags.out ?? `debrief-${sessionId}.md`;
}

/**
 * `badgate drill <id>`: the normal wizard against the scenario, with a clock, then the score.
 * With `resume`, an interrupted drill goes on from its journal, in the same scenario time.
 */
export async function runDrill(id: string, flags: DrillFlags, io: Io, resume?: Journal): Promise<number> {
  if (!process.stdin.isTTY) throw new BadgateError('needs an interactive terminal (stdin is not a TTY)', '`badgate drill --facilitator <id>` prints the answer sheet without one');
  const loaded = loadOrFail(id);
  const { scenario, flow } = loaded;
  const catalog = loadCatalog();
  const first = resume?.events[0];
  const sessionId = first?.type === 'start' ? first.sessionId : newSessionId(new Date());
  let env: DrillEnv;
  try {
    env = createDrillEnv(scenario, { dir: join(stateDir(), 'drills', sessionId), now: first ? new Date(first.at) : new Date() });
  } catch (e) {
    throw new BadgateError(`cannot prepare the drill's files (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'set BADGATE_STATE_DIR to a writable folder');
  }
  // The answer key is searched while the trainee reads the briefing; it is never shown before the debrief.
  const shortest: Promise<ShortestPath | undefined> = scenarioShortestPath(loaded).catch(() => undefined);
  let journal: Journal | undefined = resume;
  let how: 'quit' | 'done' | undefined;
  const begin = () => {
    const start = drillStartEvent(loaded, env, sessionId, new Date());
    journal = Journal.create(sessionsDir(), sessionId);
    const { seq: _seq, at: _at, ...event } = start;
    journal.append(event);
    return { journal, startedAt: journal.events[0].at };
  };
  const finish = async (cause: string): Promise<DebriefView> => {
    if (!journal) throw new Error('the drill has not started');
    journal.append({ type: 'verdict', cause });
    const score = scoreDrill({ flow, events: journal.events, shortest: await shortest, pinned: pinnedAnswers(scenario, env), causes: scenario.causes, named: cause, endedAt: new Date(), facilitator: scenario.facilitator });
    const startedAt = new Date(journal.events[0].at);
    const md = renderDebrief({ scenario, score, catalog, sessionId, at: new Date(), startedAt });
    const w = writeReportFile(debriefPath(flags, sessionId), md, { keep: true });
    journal.append({ type: 'report', path: w.path });
    return { correct: score.correct, lines: scoreLines(score, catalog), rows: sideBySide(score), notes: traineeClockNotes(scenario.facilitator, scenario.clock, startedAt), path: w.path, error: w.fallback };
  };
  const run = memoRunner(env.runCheck);
  const app = render(
    <DrillApp
      briefing={{ title: scenario.title, difficulty: scenario.difficulty, briefing: scenario.briefing, files: env.files }}
      flow={flow} catalog={catalog} runCheck={run} begin={begin} finish={finish} onExit={(h) => { how = h; }}
      started={resume ? { journal: resume, startedAt: resume.events[0].at } : undefined}
    />,
    { exitOnCtrlC: true },
  );
  await app.waitUntilExit();
  journal?.close();
  if (journal && how !== 'done') io.err(`Drill saved (${journal.path}).\nContinue with: ${selfCommand()} resume ${sessionId}`);
  return 0;
}

export async function drillCommand(args: string[], flags: DrillFlags, io: Io): Promise<number> {
  const [first, ...rest] = args;
  if (first === 'import') return (await import('./drill-import.js')).importCommand(rest[0], flags, io);
  if (!first) {
    if (flags.facilitator) throw new BadgateError('--facilitator needs a scenario id', '`badgate drill` lists them; then `badgate drill --facilitator <id>`');
    return listDrills(io, flags.json);
  }
  if (flags.facilitator) return facilitatorView(first, io, flags.json);
  return runDrill(first, flags, io);
}

