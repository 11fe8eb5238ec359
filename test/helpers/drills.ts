import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDrillEnv, type DrillEnv } from '../../src/drills/drill-env.js';
import { drillStartEvent, pinnedAnswers, scenarioShortestPath, type LoadedScenario } from '../../src/drills/scenarios.js';
import { scoreDrill, type DrillScore } from '../../src/engine/drill-score.js';
import type { JournalEvent, NewEvent } from '../../src/engine/events.js';
import { initialState, reduce, type SessionState } from '../../src/engine/session.js';
import type { ShortestPath } from '../../src/engine/shortest-path.js';
import { walkHeadless } from '../../src/engine/walk.js';

export interface ScriptedDrill {
  env: DrillEnv;
  shortest?: ShortestPath;
  events: JournalEvent[];
  state: SessionState;
  score(named: string): DrillScore;
}

/**
 * Plays a drill without a screen: the shortest path's answers, then the environment's
 * true answers and the flow's defaults, with `override` changing some of them.
 */
export async function playScenario(loaded: LoadedScenario, override: Record<string, string> = {}, stepMs = 20_000): Promise<ScriptedDrill> {
  const t0 = Date.now();
  const env = createDrillEnv(loaded.scenario, { dir: mkdtempSync(join(tmpdir(), 'badgate-test-drill-')), now: new Date(t0) });
  const shortest = await scenarioShortestPath(loaded);
  const pinned = pinnedAnswers(loaded.scenario, env);
  const answers: Record<string, string> = { ...pinned };
  for (const m of shortest?.moves ?? []) if (m.kind === 'answer') answers[m.node] = m.value;
  Object.assign(answers, override);
  const events: JournalEvent[] = [drillStartEvent(loaded, env, 'scripted', new Date(t0))];
  let t = t0;
  const append = (e: NewEvent): JournalEvent => {
    t += stepMs;
    const ev = { ...e, seq: events.length + 1, at: new Date(t).toISOString() } as JournalEvent;
    events.push(ev);
    return ev;
  };
  const state = await walkHeadless(loaded.flow, initialState(events[0] as Extract<JournalEvent, { type: 'start' }>), answers, {
    append, now: () => new Date(t), runCheck: (node, params, s) => env.runCheck(node, params, s, () => {}),
  });
  return {
    env, shortest, events, state,
    score: (named) => scoreDrill({ flow: loaded.flow, events, shortest, pinned, causes: loaded.scenario.causes, named, endedAt: new Date(t), facilitator: loaded.scenario.facilitator }),
  };
}

export function replayed(events: JournalEvent[]): SessionState {
  return events.slice(1).reduce(reduce, initialState(events[0] as Extract<JournalEvent, { type: 'start' }>));
}
