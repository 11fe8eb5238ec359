import React from 'react';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine/vocabulary.js';
import { loadCatalog, loadFlow } from '../../src/flow-files.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { MemoryJournal } from '../helpers/flows.js';
import { liveScreen, renderUi } from '../helpers/render.js';

const flow = loadFlow('alb');
const catalog = loadCatalog();
const noAws: CheckResult = { status: 'unknown', outcome: 'unknown', summary: 'AWS is off for this run: no credentials' };

/** The live screen fits the terminal: no line wider, no more lines, and the question is on it. */
function expectFits(frame: string, size: { columns: number; rows: number }, mustShow: string) {
  const live = liveScreen(frame);
  expect(live.length, `${live.length} lines at ${size.columns}x${size.rows}:\n${live.join('\n')}`).toBeLessThanOrEqual(size.rows);
  for (const l of live) expect(stringWidth(l), `too wide: ${l}`).toBeLessThanOrEqual(size.columns);
  expect(live.join('\n')).toContain(mustShow);
  expect(live[0]).toMatch(/^╭/);
}

for (const size of [{ columns: 80, rows: 24 }, { columns: 120, rows: 40 }]) {
  describe(`every screen at ${size.columns}x${size.rows}`, () => {
    it('questions, manual steps with long commands, the mitigation screen, the hypotheses and help fit', async () => {
      const journal = new MemoryJournal(flow, new Date().toISOString(), 0);
      const ui = renderUi(
        <WizardApp flow={flow} catalog={catalog} journal={journal}
          runCheck={async (node) => ({ result: node.id === 'aws-whoami' ? { ...noAws, outcome: 'no-credentials' } : noAws })}
          writeReport={() => '/tmp/pm.md'} />,
        size,
      );
      const at = async (text: string) => { await ui.waitFor((f) => f.includes(text), text); expectFits(ui.frame(), size, text); };
      await at('? Incident title');
      await ui.press('Total outage on checkout after the 14:00 deploy of the cart service\r');
      await at('? When it started');
      await ui.press('now\r');
      await at('? Affected URL');
      await ui.press('https://shop.example.com/cart\r');
      await at('? All or some requests');
      await ui.press('1\r');
      await at('? Recent change');
      await ui.press('2\r');
      await at('▶ Emergency checklist');
      await ui.press('\r');
      await at('▶ Continue without AWS access');
      await ui.press('\r');
      await at('? Load balancer name');
      await ui.press('web-alb\r');
      await at('▶ Target health and health check (by hand)');
      await ui.press('?');
      await at('Keys');
      await ui.press('x');
      await at('▶ Target health and health check (by hand)');
      await ui.press('4\r');
      await at('▶ Security groups and network ACLs (by hand)');
      await ui.press('1\r');
      await at('■ Cause confirmed');
      await ui.press('3\r');
      await at('Open hypotheses, most likely first');
      await ui.press('e');
      await at('Hand over (session summary');
      await ui.press('\r');
      await at('▶ Is the app listening on the target port');
      ui.unmount();
    });
  });
}
