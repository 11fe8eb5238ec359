// What is typed at a question and not yet submitted survives leaving the wizard (Ctrl+C, a
// crash, a lost terminal): it is kept beside the real journal file and comes back on resume.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/engine/load-flow.js';
import { loadCatalog } from '../../src/flow-files.js';
import { draftPathOf, Journal } from '../../src/sessions/journal.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { KEYS, renderUi } from '../helpers/render.js';

const flow = parseFlow(`
id: drafts
title: Drafts
gateway: alb
phases: [scope]
start: url
nodes:
  - { id: url, kind: question, phase: scope, title: Failing URL, input: { type: url, fact: incident.url }, next: when }
  - { id: when, kind: question, phase: scope, title: When did it start, input: { type: text, fact: incident.start }, next: done }
  - { id: done, kind: end, phase: scope, title: Done }
`, 'drafts.yaml').flow!;

function open(journal: Journal) {
  return renderUi(<WizardApp flow={flow} catalog={loadCatalog()} journal={journal} runCheck={async () => ({ result: { status: 'pass', outcome: 'ok', summary: '' } })} writeReport={() => '/tmp/pm.md'} />);
}

describe('unsubmitted answers', () => {
  it('come back where they were typed after the wizard is left, and are gone once submitted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgate-draft-'));
    const journal = Journal.create(dir, 'draft-test');
    journal.append({ type: 'start', sessionId: 'draft-test', flow: flow.id, flowTitle: flow.title, version: 1, start: flow.start, context: { mode: 'manual' } });
    let ui = open(journal);
    await ui.waitFor((f) => f.includes('? Failing URL'));
    await ui.press('https://shop.example.com/checkout\r');
    await ui.waitFor((f) => f.includes('? When did it start'));
    await ui.press('22:05 JS');
    await ui.waitFor((f) => f.includes('22:05 JS'));
    // Left without enter, as Ctrl+C leaves: the journal holds only the submitted answer.
    ui.unmount();
    journal.close();
    expect(JSON.parse(readFileSync(draftPathOf(journal.path), 'utf8'))).toEqual({ node: 'when', text: '22:05 JS' });

    const again = Journal.open(journal.path);
    ui = open(again);
    await ui.waitFor((f) => f.includes('? When did it start') && f.includes('22:05 JS'));
    expect(ui.frame()).toContain('kept what you had typed here');
    await ui.press('T');
    await ui.press(KEYS.enter);
    await ui.waitFor(() => again.events.some((e) => e.type === 'answer' && e.node === 'when'));
    expect(again.events.find((e) => e.type === 'answer' && e.node === 'when')).toMatchObject({ value: '22:05 JST' });
    await ui.waitFor(() => !existsSync(draftPathOf(journal.path)));
    ui.unmount();
    again.close();
  });

  it('a draft that looks like a credential is masked like the journal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgate-draft-'));
    const journal = Journal.create(dir, 'draft-secret');
    journal.saveDraft({ node: 'url', text: 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    expect(readFileSync(draftPathOf(journal.path), 'utf8')).not.toContain('wJalrXUtnFEMI');
    journal.close();
  });
});

describe('resumable sessions', () => {
  it('a session with nothing answered but a typed draft is offered to resume; one with neither is not', async () => {
    const { resumable } = await import('../../src/sessions/journal.js');
    const dir = mkdtempSync(join(tmpdir(), 'badgate-draft-'));
    for (const id of ['typed-only', 'empty']) {
      const j = Journal.create(dir, id);
      j.append({ type: 'start', sessionId: id, flow: flow.id, flowTitle: flow.title, version: 1, start: flow.start, context: { mode: 'manual' } });
      if (id === 'typed-only') j.saveDraft({ node: 'url', text: 'https://shop.example.com/' });
      j.close();
    }
    expect(resumable(dir).map((s) => s.id)).toEqual(['typed-only']);
  });
});
