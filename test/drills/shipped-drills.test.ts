import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintScenarioFile, loadScenario, pinnedAnswers, scenarioFiles } from '../../src/drills/scenarios.js';
import { causeFound } from '../../src/engine/shortest-path.js';
import { nodeById } from '../../src/engine/session.js';
import { loadCatalog } from '../../src/flow-files.js';
import { playScenario } from '../helpers/drills.js';

const files = scenarioFiles();
const catalog = loadCatalog();

describe('shipped drill scenarios', () => {
  it('there are at least eight, one per distinct root cause', () => {
    const causes = new Set(files.map((f) => loadScenario(f).scenario.causes[0]));
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(causes.size).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    const id = basename(file, '.yaml');
    describe(id, () => {
      const loaded = loadScenario(file);
      const { scenario } = loaded;

      it('lints clean, and what the trainee is shown does not name the answer', async () => {
        expect(await lintScenarioFile(file, catalog)).toEqual([]);
        const shown = `${scenario.id}\n${scenario.title}\n${scenario.trains}\n${scenario.briefing}`.toLowerCase();
        for (const c of scenario.causes) {
          expect(shown).not.toContain(c);
          expect(shown).not.toContain(catalog.causes.find((x) => x.id === c)!.title.toLowerCase());
        }
      });

      it('a scripted run along the shortest path reaches the cause and names it correctly', async () => {
        const run = await playScenario(loaded);
        expect(run.shortest, 'a shortest path to the answer').toBeDefined();
        expect(scenario.causes).toContain(run.shortest!.cause);
        expect(causeFound(run.state, scenario.causes, pinnedAnswers(scenario, run.env))).toBeDefined();
        const s = run.score(scenario.causes[0]);
        expect(s.correct).toBe(true);
        expect(s.wrongTurns).toEqual([]);
      });

      it('a scripted wrong answer is scored as wrong', async () => {
        const other = catalog.causes.find((c) => !scenario.causes.includes(c.id))!.id;
        const run = await playScenario(loaded);
        expect(run.score(other).correct).toBe(false);
        // Misreading the evidence at a choice on the shortest path is a wrong turn.
        const choice = run.shortest!.moves.find((m) => {
          const n = nodeById(loaded.flow, m.node);
          return m.kind === 'answer' && (n.kind === 'question' || n.kind === 'step') && (n.choices?.length ?? 0) > 1 && m.node in scenario.answers;
        });
        if (choice) {
          const n = nodeById(loaded.flow, choice.node) as { choices: { value: string }[] };
          const wrong = n.choices.find((c) => c.value !== choice.value)!.value;
          const misread = await playScenario(loaded, { [choice.node]: wrong });
          expect(misread.score(scenario.causes[0]).wrongTurns.map((w) => w.node)).toContain(choice.node);
        }
      });
    });
  }
});
