import React from 'react';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/flow-files.js';
import { DrillApp, type DebriefView } from '../../src/ui/drill-app.js';
import { filterCauses } from '../../src/ui/drill-state.js';
import { loadFixtureFlow, MemoryJournal } from '../helpers/flows.js';
import { KEYS, renderUi } from '../helpers/render.js';

const flow = loadFixtureFlow('flows/mini.yaml');
const catalog = loadCatalog();

function setup() {
  let journal: MemoryJournal | undefined;
  const named: string[] = [];
  const view: DebriefView = { correct: true, lines: [['Wrong turns', '0'], ['Backtracks', '1']], rows: [['scope · Incident title — t', 'scope · Incident title — t']], notes: 'Ask what changed first.', path: '/tmp/debrief.md' };
  const ui = renderUi(
    <DrillApp
      briefing={{ title: 'Checkout: a few 502s', difficulty: 'easy', briefing: 'The pager says checkout fails now and then.', files: [{ name: 'alb-access.log', path: '/tmp/x/alb-access.log', about: 'ALB access log' }] }}
      flow={flow} catalog={catalog}
      runCheck={async () => ({ result: { status: 'pass', outcome: 'listening', summary: 'port listening' } })}
      begin={() => { journal = new MemoryJournal(flow, new Date().toISOString(), 0); return { journal, startedAt: journal.events[0].at }; }}
      finish={async (cause) => { named.push(cause); return view; }}
    />,
  );
  return { ui, named, journal: () => journal };
}

describe('drill screen', () => {
  it('shows the briefing and the files, and starts the clock and the journal only on enter', async () => {
    const { ui, journal } = setup();
    await ui.waitFor((f) => f.includes('The pager says checkout fails now and then.'));
    expect(ui.frame()).toContain('/tmp/x/alb-access.log');
    expect(journal()).toBeUndefined();
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('? Incident title'));
    expect(journal()?.events[0].type).toBe('start');
    expect(ui.frame()).toMatch(/⏱ 0m0\ds drill clock/);
  });

  it('a names the cause from a filtered list; the debrief shows the score, both paths and the notes', async () => {
    const { ui, named } = setup();
    await ui.waitFor((f) => f.includes('enter start'));
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('? Incident title'));
    // While typing an answer, "a" is a letter, not the key that names the cause.
    await ui.press('a');
    expect(ui.frame()).not.toContain('What is the root cause?');
    await ui.press(`${KEYS.backspace}t\r`);
    await ui.press('now\r');
    await ui.press('9\r');
    await ui.waitFor((f) => f.includes('? Pattern'));
    expect(ui.frame()).toContain('a name the cause');
    await ui.press('a');
    await ui.waitFor((f) => f.includes('What is the root cause?'));
    expect(ui.frame()).toContain(`${catalog.causes.length} of ${catalog.causes.length} causes`);
    await ui.type('keep alive');
    await ui.waitFor((f) => f.includes('1 of'));
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('✔ Correct.'));
    expect(named).toEqual(['keepalive-race']);
    expect(ui.frame()).toContain('Shortest path to the answer');
    expect(ui.frame()).toContain('Ask what changed first.');
    expect(ui.frame()).toContain('Debrief written to /tmp/debrief.md');
  });

  it('esc leaves the cause list and goes back to the investigation where it was', async () => {
    const { ui, named } = setup();
    await ui.waitFor((f) => f.includes('enter start'));
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('? Incident title'));
    // The wizard subscribes to keys in an effect after its first frame; give it that turn.
    await new Promise((r) => setTimeout(r, 50));
    await ui.press('t\r');
    await ui.press('now\r');
    await ui.press('9\r');
    await ui.waitFor((f) => f.includes('? Pattern'));
    await ui.press('a');
    await ui.waitFor((f) => f.includes('What is the root cause?'));
    await ui.type('zzz');
    await ui.waitFor((f) => f.includes('no cause matches'));
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('no cause matches what you typed'));
    await ui.press(KEYS.escape);
    await ui.waitFor((f) => f.includes('? Pattern') && !f.includes('What is the root cause?'));
    expect(named).toEqual([]);
  });

  it('lists causes by title whatever the catalog order, so the position hints at nothing', () => {
    const list = filterCauses([{ id: 'b', title: 'Zeta' }, { id: 'a', title: 'Alpha' }], '');
    expect(list.map((c) => c.id)).toEqual(['a', 'b']);
    expect(filterCauses([{ id: 'keepalive-race', title: 'Backend closes idle keep-alive' }], 'idle keep').length).toBe(1);
  });
});
