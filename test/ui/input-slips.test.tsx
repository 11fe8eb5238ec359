import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/engine/load-flow.js';
import { loadCatalog } from '../../src/flow-files.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { MemoryJournal } from '../helpers/flows.js';
import { KEYS, renderUi } from '../helpers/render.js';

const flow = parseFlow(`
id: slips
title: Input slips
gateway: alb
phases: [logs, network]
start: log
nodes:
  - { id: log, kind: question, phase: logs, title: nginx error log, input: { type: path, fact: logs.nginxError, optional: true }, next: host, default: "" }
  - { id: host, kind: question, phase: network, title: Backend address, input: { type: host, fact: backend.host }, next: which, default: "10.0.1.23" }
  - id: which
    kind: branch
    phase: network
    title: Port known
    cases:
      - { if: { fact: backend.port, exists: true }, next: done }
    default: port
  - { id: port, kind: question, phase: network, title: Backend port, input: { type: port, fact: backend.port }, next: done, default: "8080" }
  - { id: done, kind: end, phase: network, title: Done }
`, 'slips.yaml').flow!;

function setup() {
  const journal = new MemoryJournal(flow, new Date().toISOString(), 0);
  const ui = renderUi(<WizardApp flow={flow} catalog={loadCatalog()} journal={journal} runCheck={async () => ({ result: { status: 'pass', outcome: 'ok', summary: '' } })} writeReport={() => '/tmp/pm.md'} />);
  return { ui, journal };
}

describe('input slips', () => {
  it('a mistyped log path is asked again; an existing one moves on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgate-slips-'));
    const log = join(dir, 'error.log');
    // A line as nginx writes it (nginx docs, error_log; the message of ngx_http_upstream).
    writeFileSync(log, '2026/12/01 23:05:00 [error] 12#12: *7 connect() failed (111: Connection refused) while connecting to upstream\n');
    const { ui, journal } = setup();
    await ui.waitFor((f) => f.includes('? nginx error log'));
    await ui.press(`${join(dir, 'eror.log')}\r`);
    await ui.waitFor((f) => f.includes('no file or folder at'));
    expect(ui.frame()).toContain('? nginx error log');
    expect(journal.events.filter((e) => e.type === 'answer')).toEqual([]);
    for (let i = 0; i < 'eror.log'.length; i++) await ui.press(KEYS.backspace);
    await ui.press('error.log\r');
    await ui.waitFor((f) => f.includes('? Backend address'));
    expect(journal.state().facts['logs.nginxError']).toBe(log);
  });

  it('127.0.0.1:8098 as the backend address does not ask the port again', async () => {
    const { ui, journal } = setup();
    await ui.waitFor((f) => f.includes('? nginx error log'));
    await ui.press('\r');
    await ui.waitFor((f) => f.includes('? Backend address'));
    await ui.press('127.0.0.1:8098\r');
    await ui.waitFor((f) => f.includes('Investigation complete'));
    expect(journal.state().facts).toMatchObject({ 'backend.host': '127.0.0.1', 'backend.port': '8098' });
    expect(journal.events.some((e) => e.type === 'answer' && e.node === 'port')).toBe(false);
  });

  it('ctrl+u clears what was typed, as in a shell', async () => {
    const { ui, journal } = setup();
    await ui.waitFor((f) => f.includes('? nginx error log'));
    await ui.press('\r');
    await ui.waitFor((f) => f.includes('? Backend address'));
    await ui.press('banana');
    await ui.waitFor((f) => f.includes('› banana'));
    await ui.press('\x15');
    await ui.waitFor((f) => !f.includes('banana'));
    await ui.press('127.0.0.1:8098\r');
    await ui.waitFor((f) => f.includes('Investigation complete'));
    expect(journal.state().facts).toMatchObject({ 'backend.host': '127.0.0.1', 'backend.port': '8098' });
  });

  it('b brings the typed answer back, ready to edit', async () => {
    const { ui } = setup();
    await ui.waitFor((f) => f.includes('? nginx error log'));
    await ui.press('\r');
    await ui.waitFor((f) => f.includes('? Backend address'));
    await ui.press('10.0.9.9\r');
    await ui.waitFor((f) => f.includes('? Backend port'));
    await ui.press(KEYS.escape);
    await ui.waitFor((f) => f.includes('? Backend address'));
    expect(ui.frame()).toContain('› 10.0.9.9');
  });
});
