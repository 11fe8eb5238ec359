import { readFileSync } from 'node:fs';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/engine/events.js';
import { loadCatalog, loadFlow } from '../../src/flow-files.js';
import { buildPostmortem, postmortemJson, renderPostmortem } from '../../src/report/postmortem.js';
import { fixture } from '../helpers/flows.js';

const events = readFileSync(fixture('journals/keepalive-race.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEvent);
const flow = loadFlow('alb');
const catalog = loadCatalog();
const pm = buildPostmortem(events, flow, catalog);
const md = renderPostmortem(pm);

describe('postmortem', () => {
  it('matches the snapshot for the keep-alive race journal', async () => {
    await expect(md).toMatchFileSnapshot('__snapshots__/keepalive-race.md');
  });

  it('has the template sections in order', () => {
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Summary', 'Impact', 'Detection', 'Timeline (UTC)', 'Root cause and contributing factors', 'Ruled out', 'Resolution', 'Action items', 'Checks run', 'Metrics', 'Appendix: path through the flow']);
  });

  it('puts the confirmed cause first with its evidence and the backend-specific fix, and turns prevention into action items', () => {
    expect(pm.rootCauses.map((c) => c.id)).toEqual(['keepalive-race']);
    expect(pm.rootCauses[0].fix).toContain('For node:');
    expect(pm.actionItems.length).toBeGreaterThan(0);
    expect(pm.actionItems.every((a) => a.owner === 'TBD')).toBe(true);
    expect(pm.actionItems.filter((a) => a.cause === 'keepalive-race').length).toBe(catalog.causes.find((c) => c.id === 'keepalive-race')!.prevent.length);
  });

  it('keeps every journal event in the timeline except routing, notes included, in order', () => {
    expect(pm.timeline.length).toBe(events.filter((e) => e.type !== 'branch').length);
    expect(pm.timeline.map((t) => t.at)).toEqual([...pm.timeline.map((t) => t.at)].sort());
    expect(pm.timeline.some((t) => t.event.startsWith('Note: Paged by **alarm**'))).toBe(true);
  });

  it('escapes whatever the responder typed: parsing the markdown back gives the same text', () => {
    const tree = fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    const h1 = tree.children[0];
    expect(h1.type).toBe('heading');
    expect(toString(h1)).toBe('Postmortem: Checkout | 502s *after* deploy <v2>');
    const cells = JSON.stringify(tree);
    expect(cells).toContain('Note: Paged by **alarm** [502-high](http://x) | see #ops_channel <script>');
    expect(md).not.toMatch(/(?<!\\)<script>/);
  });

  it('--redact masks account ids, IP addresses and ARNs; --json has the same content', () => {
    const red = renderPostmortem(pm, { redact: true });
    expect(md).toMatch(/123456789012/);
    expect(red).not.toMatch(/123456789012/);
    expect(red).not.toMatch(/arn:aws:elasticloadbalancing:us-east-1:\d/);
    expect(red).not.toMatch(/\b10\.\d+\.\d+\.\d+\b/);
    const json = JSON.parse(postmortemJson(pm));
    expect(json.rootCauses[0].id).toBe('keepalive-race');
    expect(json.timeline).toHaveLength(pm.timeline.length);
    expect(postmortemJson(pm, { redact: true })).not.toMatch(/123456789012/);
  });

  it('draws the path taken as a mermaid flowchart with every node visited', () => {
    expect(pm.path.mermaid.split('\n')[0]).toBe('flowchart TD');
    expect(pm.path.nodes.map((n) => n.id)[0]).toBe('intake-title');
    expect(pm.path.nodes.at(-1)!.id).toBe('done');
    expect(pm.path.mermaid).toContain('-->|"Some requests fail, now and then"|');
  });
});
