import React from 'react';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine/vocabulary.js';
import { loadCatalog } from '../../src/flow-files.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { loadFixtureFlow, MemoryJournal } from '../helpers/flows.js';
import { KEYS, renderUi } from '../helpers/render.js';

const flow = loadFixtureFlow('flows/mini.yaml');
const catalog = loadCatalog();

/** Answers title, time and port so a test starts at the choice question. */
async function toPattern(ui: ReturnType<typeof renderUi>): Promise<void> {
  await ui.press('t\r');
  await ui.press('now\r');
  await ui.press('9\r');
  await ui.waitFor((f) => f.includes('? Pattern'));
}

function setup(result: CheckResult = { status: 'pass', outcome: 'listening', summary: 'port 1 listening' }) {
  const journal = new MemoryJournal(flow, new Date().toISOString(), 0);
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => { release = r; });
  const written: string[] = [];
  const ui = renderUi(
    <WizardApp
      flow={flow} catalog={catalog} journal={journal}
      runCheck={async (_n, _p, _s, progress) => { progress('reading /proc/net/tcp'); await gate; return { result }; }}
      writeReport={() => { written.push('report'); return '/tmp/pm.md'; }}
    />,
  );
  return { ui, journal, release, written };
}

/** Title, start time and port, then "Some fail": the port check runs next. */
async function answerUpToPortCheck(ui: ReturnType<typeof renderUi>): Promise<void> {
    await ui.press('t\r');
    await ui.waitFor((f) => f.includes('? When'));
    await ui.press('now\r');
    await ui.press('1\r');
    await ui.waitFor((f) => f.includes('1. All fail'));
    await ui.press(KEYS.down);
    await ui.press(KEYS.enter);
}

describe('wizard', () => {
  it('types an answer, shows a validation error for a bad time, and moves on after a good one', async () => {
    const { ui, journal } = setup();
    await ui.waitFor((f) => f.includes('? Incident title'));
    await ui.type('Checkout down');
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('? When'));
    expect(ui.frame()).toContain('badgate · Checkout down');
    await ui.type('last tuesday');
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('is not a time I can read'));
    for (let i = 0; i < 'last tuesday'.length; i++) await ui.press(KEYS.backspace);
    await ui.type('5m ago');
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('? Backend port'));
    expect(journal.events.filter((e) => e.type === 'answer').map((e) => e.type === 'answer' && e.node)).toEqual(['title', 'started']);
    expect(ui.frame()).toMatch(/⏱ (4m5\d|5m0\d)s since start/);
  });

  it('echoes how a time with a zone was read', async () => {
    const { ui } = setup();
    await ui.press('t\r');
    await ui.waitFor((f) => f.includes('? When'));
    await ui.press('09:00 JST\r');
    await ui.waitFor((f) => f.includes('✔ read as'));
    expect(ui.frame()).toContain('✔ read as 09:00 JST = 00:00 UTC');
  });

  it('accepts a chunk of text ending in enter, as a paste or tmux delivers it', async () => {
    const { ui } = setup();
    await ui.waitFor((f) => f.includes('? Incident title'));
    await ui.press('Pasted title\r');
    await ui.waitFor((f) => f.includes('? When'));
    expect(ui.frame()).toContain('badgate · Pasted title');
  });

  it('moves through choices with arrows, shows the running check with its progress, then its result', async () => {
    const { ui, release } = setup();
    await ui.press('t\r');
    await ui.waitFor((f) => f.includes('? When'));
    await ui.press('now\r');
    await ui.press('1\r');
    await ui.waitFor((f) => f.includes('1. All fail'));
    expect(ui.frame()).toContain('› 1. All fail');
    await ui.press(KEYS.down);
    await ui.waitFor((f) => f.includes('› 2. Some fail'));
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('Port listening: reading /proc/net/tcp'));
    release();
    await ui.waitFor((f) => f.includes('▶ Keep-alive'));
    expect(ui.all()).toContain('local.port-listening port 1 listening');
  });

  it('s skips a check that hangs: it is aborted, recorded as skipped, and the flow goes on', async () => {
    const { ui, journal } = setup();
    await answerUpToPortCheck(ui);
    await ui.waitFor((f) => f.includes('(s skips it)'));
    await ui.press('s');
    await ui.waitFor((f) => !f.includes('(s skips it)') && !f.includes('Port listening: reading'));
    const check = journal.events.find((e) => e.type === 'check');
    expect(check && check.type === 'check' && check.result).toMatchObject({ status: 'unknown', outcome: 'unknown', summary: expect.stringContaining('skipped by the responder') });
  });

  it('c puts the step\'s command on the clipboard, shown unboxed so a copy from the screen is the command alone', async () => {
    const copied: string[] = [];
    const journal = new MemoryJournal(flow, new Date().toISOString(), 0);
    const ui = renderUi(<WizardApp flow={flow} catalog={catalog} journal={journal} copy={(t) => copied.push(t)} runCheck={async () => ({ result: { status: 'pass', outcome: 'listening', summary: 'ok' } })} writeReport={() => '/tmp/pm.md'} />);
    await answerUpToPortCheck(ui);
    await ui.waitFor((f) => f.includes('▶ Keep-alive'));
    expect(ui.frame()).toMatch(/^echo t$/m);
    await ui.press('c');
    await ui.waitFor((f) => f.includes('✔ copied: echo t'));
    expect(copied).toEqual(['echo t']);
  });

  it('b undoes the last answer and the screen asks it again', async () => {
    const { ui, journal } = setup();
    await ui.press('t\r');
    await ui.waitFor((f) => f.includes('? When'));
    await ui.press('now\r');
    await ui.press('9\r');
    await ui.waitFor((f) => f.includes('? Pattern'));
    await ui.press('b');
    await ui.waitFor((f) => f.includes('? Backend port'));
    expect(journal.events.at(-1)).toMatchObject({ type: 'back', from: 'pattern', to: 'backend-port' });
    expect(ui.frame()).toContain('2 answered');
  });

  it('n adds a note to the journal without changing the question; ? shows help', async () => {
    const { ui, journal } = setup();
    await toPattern(ui);
    await ui.press('n');
    await ui.waitFor((f) => f.includes('Note for the timeline'));
    await ui.press('rolled back at 10:05\r');
    await ui.waitFor((f) => !f.includes('Note for the timeline'));
    expect(journal.events.at(-1)).toMatchObject({ type: 'note', text: 'rolled back at 10:05', node: 'pattern' });
    expect(ui.frame()).toContain('? Pattern');
    await ui.press('?');
    await ui.waitFor((f) => f.includes('back (undo the last answer)'));
    await ui.press('x');
    await ui.waitFor((f) => f.includes('? Pattern'));
  });

  it('records a finding chosen at a step on the hypothesis board, then writes the report at the end', async () => {
    const { ui, release, written } = setup();
    release();
    await toPattern(ui);
    await ui.press('2\r');
    await ui.waitFor((f) => f.includes('▶ Keep-alive'));
    expect(ui.frame()).toMatch(/^echo t$/m);
    await ui.press('1\r');
    await ui.waitFor((f) => f.includes('Postmortem written to /tmp/pm.md'));
    expect(ui.frame()).toMatch(/■ confirmed\s+Backend closes idle keep-alive connections/);
    expect(ui.frame()).toContain('race seen for t');
    expect(written).toEqual(['report']);
  });
});

describe('check results on screen', () => {
  it('draws a per-minute series of a finished check as a sparkline', async () => {
    const { ui, release } = setup({
      status: 'fail', outcome: 'listening', summary: 'ALB made 7 502s',
      series: [{ name: 'HTTPCode_ELB_502_Count', start: '2026-11-21T10:00:00Z', periodSeconds: 60, values: [0, 0, 1, 7, 0] }],
    });
    release();
    await toPattern(ui);
    await ui.press('2\r');
    await ui.waitFor((f) => f.includes('▶ Keep-alive'));
    expect(ui.all()).toMatch(/HTTPCode_ELB_502_Count\s+▁▁▂█▁ max 7/);
  });
});
