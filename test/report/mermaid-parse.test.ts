// Every mermaid block the postmortem emits goes through mermaid's own parser (mermaid.parse),
// under jsdom globals since mermaid expects a browser. A block GitHub cannot draw fails here.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/engine/events.js';
import { loadCatalog, loadFlow } from '../../src/flow-files.js';
import { timelineChart } from '../../src/report/mermaid.js';
import { buildPostmortem, POSTMORTEM_FORMATS, renderPostmortem } from '../../src/report/postmortem.js';
import { fixture } from '../helpers/flows.js';

interface Mermaid { parse(text: string): Promise<unknown> }
let mermaid: Mermaid;

interface JsdomModule { JSDOM: new (html: string) => { window: { document: unknown } } }

beforeAll(async () => {
  // jsdom ships no types of its own; the one constructor used here is typed above.
  const name = 'jsdom';
  const { JSDOM } = (await import(name)) as JsdomModule;
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const g = globalThis as Record<string, unknown>;
  g.window = dom.window;
  g.document = dom.window.document;
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
});

const blocks = (md: string) => [...md.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

describe('mermaid blocks in the postmortem', () => {
  for (const name of ['keepalive-race', 'sg-blocked', 'target-generated', 'still-failing']) {
    it(`${name}: every block parses, in every layout`, async () => {
      const events = readFileSync(fixture(`journals/${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEvent);
      const pm = buildPostmortem(events, loadFlow('alb'), loadCatalog());
      for (const format of POSTMORTEM_FORMATS) {
        const found = blocks(renderPostmortem(pm, { format }));
        expect(found.length).toBeGreaterThanOrEqual(2);
        for (const b of found) await expect(mermaid.parse(b), `${name} ${format}:\n${b}`).resolves.toBeTruthy();
      }
    });
  }

  it('the timeline writes times without colons, which mermaid would read as separators', async () => {
    const t = timelineChart('Incident: checkout (UTC)', [
      { at: '2026-11-21T11:40:00.000Z', event: 'first 502: ALB' },
      { at: '2026-11-21T11:40:30.000Z', event: 'page #1; ack' },
      { at: '2026-11-22T00:05:00.000Z', event: 'resolved' },
    ]);
    expect(t).toContain('11.40 : first 502 - ALB : page - 1 - ack');
    expect(t).toContain('section 2026-11-22');
    await expect(mermaid.parse(t)).resolves.toBeTruthy();
    await expect(mermaid.parse('timeline\n  11:40 : first 502')).rejects.toThrow();
  });
});
