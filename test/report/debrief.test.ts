// The drill debrief of real scripted runs (the shortest path's answers plus the scenario's true
// answers, through the same walker and drill environment as `badgate drill`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/drills/scenarios.js';
import { hintedNodes, scoreDrill } from '../../src/engine/drill-score.js';
import { loadCatalog } from '../../src/flow-files.js';
import { renderDebrief, traineeClockNotes } from '../../src/report/debrief.js';
import { playScenario } from '../helpers/drills.js';
import { ROOT } from '../helpers/cli.js';

const catalog = loadCatalog();
const portal = loadScenario(join(ROOT, 'flows/drills/portal-502-errors.yaml'));

describe('drill debrief', () => {
  it('does not count reading the nginx error log, which the facilitator sheet points to, as not needed', async () => {
    expect([...hintedNodes(portal.flow, portal.scenario.facilitator)]).toEqual(expect.arrayContaining(['logs-nginx']));
    const run = await playScenario(portal);
    const ran = run.events.filter((e) => e.type === 'check').map((e) => e.type === 'check' && e.node);
    expect(ran).toContain('logs-nginx');
    const s = run.score('target-generated-502');
    expect(s.unneededChecks.map((c) => c.node)).not.toContain('logs-nginx');
    // The check is off the shortest path: without the sheet's hint it would have been counted.
    expect(run.shortest?.moves.some((m) => m.node === 'logs-nginx')).toBe(false);
    const bare = scoreDrill({ flow: portal.flow, events: run.events, shortest: run.shortest, pinned: {}, causes: ['sg-blocks-lb-to-target'], named: 'target-generated-502', endedAt: new Date(Date.parse(run.events.at(-1)!.at)) });
    expect(bare.unneededChecks.map((c) => c.node)).toContain('logs-nginx');
    const hinted = scoreDrill({ flow: portal.flow, events: run.events, shortest: run.shortest, pinned: {}, causes: ['sg-blocks-lb-to-target'], named: 'target-generated-502', endedAt: new Date(Date.parse(run.events.at(-1)!.at)), facilitator: portal.scenario.facilitator });
    expect(hinted.unneededChecks.map((c) => c.node)).not.toContain('logs-nginx');
  });

  it('a manual step the drill does not simulate is never a wrong turn', async () => {
    const run = await playScenario(portal, { 'net-capture': 'skipped', 'net-firewall': 'skipped' });
    const s = run.score('target-generated-502');
    const stepNodes = new Set(portal.flow.nodes.filter((n) => n.kind === 'step').map((n) => n.id));
    const pinned = new Set(Object.keys(portal.scenario.answers ?? {}));
    expect(s.wrongTurns.filter((w) => stepNodes.has(w.node) && !pinned.has(w.node))).toEqual([]);
  });

  it('names the cause under the heading that matches the verdict, and shows the notes on the trainee\'s clock', async () => {
    const run = await playScenario(portal);
    const started = new Date(run.events[0].at);
    for (const named of portal.scenario.causes) {
      const s = run.score(named);
      const md = renderDebrief({ scenario: portal.scenario, score: s, catalog, sessionId: 'scripted', at: new Date(Date.parse(run.events.at(-1)!.at)), startedAt: started });
      const title = catalog.causes.find((c) => c.id === named)!.title;
      expect(md).toContain(`## The cause you named: ${title}`);
      expect(md.indexOf(`## The cause you named: ${title}`)).toBeLessThan(md.indexOf('## Also accepted:'));
      expect(md).not.toMatch(/&#x?[0-9a-f]+;/i);
      expect(md).not.toMatch(/scenario time/);
    }
    const wrong = renderDebrief({ scenario: portal.scenario, score: run.score('sg-blocks-lb-to-target'), catalog, sessionId: 'scripted', at: new Date(), startedAt: started });
    expect(wrong).toMatch(/^## The answer: /m);
    expect(wrong).not.toMatch(/^## The cause you named/m);
  });

  it('moves every time on the facilitator sheet by the drill\'s offset, and leaves addresses alone', () => {
    const notes = traineeClockNotes(portal.scenario.facilitator, '2026-11-21T07:55:00Z', new Date('2026-12-03T13:10:00Z'));
    expect(notes).toContain('OOM-killed at 12:37');
    expect(notes).toContain('from 12:37 on');
    expect(notes).toContain('at 12:37:14');
    expect(notes).toContain('127.0.0.1:8000');
    expect(notes).toMatch(/^\(Times are on your clock, UTC\.\)/);
  });

  it('no user-visible text refers to the source articles', () => {
    const visible = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    const files = [join(ROOT, 'flows/alb.yaml'), join(ROOT, 'flows/causes.yaml'), ...readdirSync(join(ROOT, 'flows/drills')).map((f) => join(ROOT, 'flows/drills', f))];
    for (const f of files) expect(visible(f), f).not.toMatch(/\barticle\b/i);
  });
});
