// The end of a flow that named the next hop's flow (`handover.flow`, e.g. CloudFront → ALB): enter opens
// that flow; and a session handed over starts with the incident as already told.
import React from 'react';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/engine/load-flow.js';
import { loadCatalog } from '../../src/flow-files.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { MemoryJournal } from '../helpers/flows.js';
import { KEYS, renderUi } from '../helpers/render.js';

const flow = parseFlow(`
id: edge
title: Edge
gateway: cloudfront
phases: [scope, app]
start: title
nodes:
  - { id: title, kind: question, phase: scope, title: Incident title, input: { type: text, fact: incident.title }, next: origin }
  - id: origin
    kind: step
    phase: app
    title: Continue at the ALB
    choices:
      - { value: alb, label: "I'll continue with the ALB flow", set: { handover.flow: alb } }
      - { value: done, label: "The edge explains it" }
    next: done
    default: done
  - { id: done, kind: end, phase: app, title: Done }
`, 'edge.yaml').flow!;

function setup(startFacts: Record<string, string> = {}, handoverFlows: string[] | undefined = ['alb', 'edge']) {
  const journal = new MemoryJournal(flow, new Date().toISOString(), 0);
  (journal.events[0] as { facts?: Record<string, string> }).facts = startFacts;
  const exits: string[] = [];
  const ui = renderUi(<WizardApp flow={flow} catalog={loadCatalog()} journal={journal} runCheck={async () => ({ result: { status: 'pass', outcome: 'ok', summary: '' } })} writeReport={() => '/tmp/pm.md'} onExit={(h) => exits.push(h)} handoverFlows={handoverFlows} />);
  return { ui, journal, exits };
}

describe('hand-over to the next hop\'s flow', () => {
  it('"continue with the ALB flow" ends with an offer to open it; enter takes it', async () => {
    const { ui, exits } = setup();
    await ui.press('Shop 502\r');
    await ui.waitFor((f) => f.includes("I'll continue with the ALB flow"));
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('press enter to continue with the alb flow'));
    expect(ui.frame()).toContain('enter alb flow · ');
    await ui.press(KEYS.enter);
    await ui.waitFor(() => exits.length > 0);
    expect(exits).toEqual(['handover']);
  });

  it('q at the end exits as done, and without a hand-over choice enter just exits', async () => {
    const a = setup();
    await a.ui.press('Shop 502\r');
    await a.ui.waitFor((f) => f.includes("I'll continue with the ALB flow"));
    await a.ui.press(KEYS.enter);
    await a.ui.waitFor((f) => f.includes('press enter to continue with the alb flow'));
    await a.ui.press('q');
    await a.ui.waitFor(() => a.exits.length > 0);
    expect(a.exits).toEqual(['done']);

    const b = setup();
    await b.ui.press('Shop 502\r');
    await b.ui.waitFor((f) => f.includes("I'll continue with the ALB flow"));
    await b.ui.press(KEYS.down);
    await b.ui.press(KEYS.enter);
    await b.ui.waitFor((f) => f.includes('press enter to exit'));
    await b.ui.press(KEYS.enter);
    await b.ui.waitFor(() => b.exits.length > 0);
    expect(b.exits).toEqual(['done']);
  });

  it('a handed-over session comes up with the incident title filled in', async () => {
    const { ui } = setup({ 'handover.from': '20261204-101500-ab12', 'handover.fromFlow': 'cloudfront', 'incident.title': 'Shop 502 since 10:00' });
    await ui.waitFor((f) => f.includes('? Incident title'));
    await ui.waitFor((f) => f.includes('› Shop 502 since 10:00'));
    await ui.press(KEYS.enter);
    await ui.waitFor((f) => f.includes('Continue at the ALB'));
  });
});
