// The postmortem of real sessions: the fixture journals come from driving the headless walker
// (scripts/make-report-journals.ts) over the recorded incidents in flows/recordings/ and over a
// local server with a local ALB access log. Layouts follow the Google SRE book's example
// postmortem (sre.google/sre-book/example-postmortem/) and PagerDuty's template
// (response.pagerduty.com/after/post_mortem_template/).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/engine/events.js';
import { loadCatalog, loadFlow } from '../../src/flow-files.js';
import { httpProbeCheck } from '../../src/checks/net-http-probe.js';
import { measureImpact } from '../../src/report/impact.js';
import { interpolate } from '../../src/engine/template.js';
import { buildPostmortem, POSTMORTEM_FORMATS, postmortemJson, redactPostmortem, renderPostmortem, type Postmortem } from '../../src/report/postmortem.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { fixture } from '../helpers/flows.js';

const FIXTURES = ['keepalive-race', 'sg-blocked', 'target-generated', 'still-failing'] as const;
const journal = (name: string) => readFileSync(fixture(`journals/${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEvent);
const flow = loadFlow('alb');
const catalog = loadCatalog();
const pms = Object.fromEntries(FIXTURES.map((n) => [n, buildPostmortem(journal(n), flow, catalog)])) as Record<(typeof FIXTURES)[number], Postmortem>;

/** The raw markdown outside fenced code blocks and inline code. */
function outsideCode(md: string): string {
  return md.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

describe('postmortem snapshots', () => {
  for (const name of FIXTURES) {
    for (const format of POSTMORTEM_FORMATS) {
      it(`${name} in the ${format} layout`, async () => {
        await expect(renderPostmortem(pms[name], { format })).toMatchFileSnapshot(`__snapshots__/${name}.${format}.md`);
      });
    }
    it(`${name} as JSON`, async () => {
      await expect(postmortemJson(pms[name])).toMatchFileSnapshot(`__snapshots__/${name}.google.json`);
    });
  }
});

describe('postmortem sections', () => {
  it('follows the Google SRE layout by default: status and authors first, then the template sections in order', () => {
    const md = renderPostmortem(pms['keepalive-race']);
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['Summary', 'Impact', 'Root causes', 'Trigger', 'Resolution', 'Detection', 'Action items', 'Lessons learned', 'Timeline (UTC)', 'Supporting information']);
    expect([...md.matchAll(/^### (What went well|What went wrong|Where we got lucky)$/gm)]).toHaveLength(3);
    expect(md).toMatch(/\| Document status +\| Draft/);
    expect(md).toMatch(/\| Authors +\| \(to fill in\)/);
  });

  it('has PagerDuty\'s sections in the pagerduty layout', () => {
    const md = renderPostmortem(pms['sg-blocked'], { format: 'pagerduty' });
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['Overview', 'What happened', 'Contributing factors', 'Resolution', 'Impact', 'Responders', 'Timeline (UTC)', "How'd we do?", 'Action items', 'Messaging', 'Supporting information']);
    expect(md).toMatch(/\| Postmortem owner +\|/);
  });

  it('--json carries the same sections, in the same order, as the markdown of each layout', () => {
    for (const format of POSTMORTEM_FORMATS) {
      const md = renderPostmortem(pms['target-generated'], { format });
      const json = JSON.parse(postmortemJson(pms['target-generated'], { format })) as { format: string; sections: { title: string }[] };
      expect(json.format).toBe(format);
      expect(json.sections.map((s) => s.title)).toEqual([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]));
    }
  });

  it('measures impact from the logs, with the source of every figure, and never repeats "every request failed"', () => {
    const tg = pms['target-generated'].impact;
    const fig = (label: string) => tg.figures.find((f) => f.label === label);
    expect(fig('502 responses')).toMatchObject({ value: '24 of 1000 (2.40%)', source: expect.stringContaining('access logs') });
    expect(fig('Targets with 502s')?.value).toContain('10.0.1.12:8080');
    expect(fig('Paths with 502s')?.value).toContain('/api/orders');
    expect(fig('First and last 502')?.value).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC → \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(fig('Impact ended')?.source).toBe('last measured 502');
    for (const f of tg.figures) expect(f.source).not.toBe('');
    for (const name of FIXTURES) expect(renderPostmortem(pms[name])).not.toMatch(/every request failed/i);
  });

  it('says so when the responder reported "every request" and the metrics measured less', () => {
    const sf = pms['still-failing'];
    expect(sf.impact.share).toBeLessThan(0.01);
    expect(sf.impact.notes.join(' ')).toMatch(/reported that every request fails; the measurements show 0\.040%/);
    expect(sf.impact.figures.find((f) => f.label === 'Impact ended')?.value).toBe('not ended when the investigation stopped');
  });

  it('derives a handful of typed action items from the confirmed cause, each with an owner and a ticket to fill in', () => {
    const ka = pms['keepalive-race'];
    expect(ka.actionItems.length).toBeGreaterThan(2);
    expect(ka.actionItems.length).toBeLessThanOrEqual(7);
    expect(new Set(ka.actionItems.map((a) => a.type))).toEqual(new Set(['mitigate', 'prevent', 'detect', 'process']));
    expect(ka.actionItems.every((a) => a.owner === '(owner)' && a.tracking === '(ticket)')).toBe(true);
    expect(ka.actionItems.filter((a) => a.type !== 'process').every((a) => a.cause === 'keepalive-race')).toBe(true);
    const sg = pms['sg-blocked'];
    expect(sg.actionItems.find((a) => a.type === 'process' && /access logs/i.test(a.action))).toBeTruthy();
    expect(pms['still-failing'].actionItems[0]).toMatchObject({ type: 'process', priority: 'P1' });
  });

  it('puts only evidence for the confirmed cause under it, strongest first, with a count of the rest', () => {
    const tg = pms['target-generated'].rootCauses[0];
    expect(tg.id).toBe('target-generated-502');
    expect(tg.evidence.length).toBeLessThanOrEqual(3);
    expect(tg.evidence.filter((e) => /\.log:\d+$/.test(e))).toEqual([]);
    expect(tg.evidence.join('\n')).toMatch(/Log lines in alb-target-502\.log: 8, 49, 90 and 7 more/);
    const sg = pms['sg-blocked'];
    expect(sg.rootCauses.map((c) => c.id)).toContain('sg-blocks-lb-to-target');
  });

  it('keeps the timeline in time order, with the note typed at intake, and typed times to the minute', () => {
    const ka = pms['keepalive-race'];
    expect(ka.timeline.map((t) => Date.parse(t.at))).toEqual([...ka.timeline.map((t) => Date.parse(t.at))].sort((a, b) => a - b));
    expect(ka.timeline.some((t) => t.event.startsWith('Note: Paged by **alarm**'))).toBe(true);
    const md = renderPostmortem(ka);
    expect(md).toContain('When it started: 2026-11-21 11:40 UTC');
    expect(md).not.toMatch(/11:40:00\.000Z/);
  });

  it('charts each signal at most once, only in the incident window, and none that is all zeros', () => {
    for (const name of FIXTURES) {
      const charts = pms[name].charts;
      expect(new Set(charts.map((c) => c.name)).size).toBe(charts.length);
      for (const c of charts) {
        expect(c.values.some((v) => v > 0)).toBe(true);
        expect(c.values.length).toBeLessThanOrEqual(48);
      }
    }
    expect(pms['keepalive-race'].charts.map((c) => c.name)).not.toContain('HTTPCode_ELB_5XX_Count');
  });

  it('keeps a replay\'s postmortem under 300 lines in every layout', () => {
    for (const name of FIXTURES) for (const format of POSTMORTEM_FORMATS) expect(renderPostmortem(pms[name], { format }).split('\n').length).toBeLessThan(300);
  });

  it('puts long commands in fenced code blocks', () => {
    const md = renderPostmortem(pms['sg-blocked']);
    expect(md).toMatch(/```sh\naws ec2 authorize-security-group-ingress/);
    expect(outsideCode(md)).not.toMatch(/aws ec2 authorize-security-group-ingress/);
  });
});

describe('postmortem of a session just started', () => {
  it('renders every layout, says nothing was measured, and invents no impact', () => {
    const pm = buildPostmortem(journal('sg-blocked').slice(0, 1), flow, catalog);
    expect(pm.impact.notes.join(' ')).toMatch(/Nothing was measured/);
    expect(pm.summary).toMatch(/as reported; nothing was measured/);
    for (const format of POSTMORTEM_FORMATS) expect(renderPostmortem(pm, { format })).toMatch(/^# Postmortem: Untitled 502 incident/);
  });
});

describe('postmortem raw markdown', () => {
  it('has no HTML entities and no unfilled placeholders outside code, in any layout', () => {
    for (const name of FIXTURES) {
      for (const format of POSTMORTEM_FORMATS) {
        const raw = outsideCode(renderPostmortem(pms[name], { format }));
        expect(raw, `${name} ${format}`).not.toMatch(/&#x?[0-9a-f]+;|&[a-z]+;/i);
        expect(raw, `${name} ${format}`).not.toMatch(/\\?<[a-z][\w-]*\.[\w.-]+>/);
      }
    }
  });

  it('fills a placeholder the flow left when the fact was unknown then, or says "(unknown)"', () => {
    // The flow's own finding text at all-port, interpolated before the port was known (as the engine does).
    const node = flow.nodes.find((n) => n.id === 'all-port')!;
    const text = JSON.stringify(node).match(/The app listens on \{\{tg\.port\}\}[^"]*/)![0];
    const early = interpolate(text, {});
    expect(early).toContain('<tg.port>');
    const events = journal('target-generated');
    const finding = { seq: 998, at: events.at(-1)!.at, type: 'finding', node: 'all-port', cause: 'target-not-listening', confidence: 'ruled-out', evidence: [early, interpolate('Health check on {{tg.healthCheckPath}}', {})], via: 'answer' } as JournalEvent;
    const withPort = buildPostmortem([...events.slice(0, -1), finding, events.at(-1)!], flow, catalog);
    const md = renderPostmortem(withPort);
    expect(outsideCode(md)).not.toMatch(/<tg\.|\\<tg\./);
    expect(md).toContain('Health check on (unknown)');
    expect(md).toContain('The app listens on (unknown)');
  });

  it('escapes whatever the responder typed: parsing the markdown back gives the same text', () => {
    const md = renderPostmortem(pms['keepalive-race']);
    const tree = fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    expect(toString(tree.children[0])).toBe('Postmortem: Checkout | 502s *after* deploy <v2>');
    expect(JSON.stringify(tree)).toContain('Note: Paged by **alarm** [502-high](http://x) | see #ops_channel <script>');
    expect(md).not.toMatch(/(?<!\\)<script>/);
  });

  it('pads table columns by display width, so wide characters line up', () => {
    const pm = { ...pms['keepalive-race'], timeline: [{ at: '2026-11-21T11:40:00.000Z', event: 'ロードバランサーが502を返した' }, { at: '2026-11-21T11:41:00.000Z', event: 'ascii' }] };
    const rows = renderPostmortem(pm).split('\n').filter((l) => l.includes('ロードバランサー') || l.includes('| ascii'));
    expect(rows).toHaveLength(2);
    const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
    expect(width(rows[0])).toBe(width(rows[1]));
  });

  it('draws the path taken as a mermaid flowchart with every node visited', () => {
    const ka = pms['keepalive-race'];
    expect(ka.path.mermaid.split('\n')[0]).toBe('flowchart TD');
    expect(ka.path.nodes[0].id).toBe('intake-title');
    expect(ka.path.nodes.at(-1)!.id).toBe('done');
    for (const n of ka.path.nodes.filter((x) => flow.nodes.find((y) => y.id === x.id)?.kind !== 'branch')) expect(ka.path.mermaid, n.id).toContain(`"${n.title}"`);
    expect(ka.path.mermaid).toContain('-->|"Some requests fail, now and then"|');
  });
});

describe('impact from the probe', () => {
  it('leaves out badgate\'s own requests when the probe could not connect', async () => {
    // A port that was just free: connecting is refused (ECONNREFUSED), as for a target that is down.
    const srv = createServer();
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((ok) => srv.close(() => ok()));
    const r = await runCheckResult(httpProbeCheck, testContext({ params: { url: `http://127.0.0.1:${port}/`, count: '2' } }));
    expect(r.outcome).toBe('unreachable');
    const impact = measureImpact([], { ...r.facts }, [], { resolved: false });
    expect(impact.figures.map((f) => f.label)).not.toContain("502s among badgate's own requests");
  });
});

describe('--redact', () => {
  const ids = {
    account: '123456789012', arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-tg/9ae6a596aa429d80',
    sg: 'sg-0a1b2c3d4e5f60718', instance: 'i-0a1b2c3d4e5f60718', subnet: 'subnet-0a1b2c3d4e5f60718', vpc: 'vpc-0a1b2c3d4e5f60718', eni: 'eni-0a1b2c3d4e5f60718',
    ipv4: '10.0.3.7', ipv6: '2600:1f18:abcd:1200::17', lbName: 'shop-alb', tgName: 'shop-tg', lbDns: 'shop-alb-1.us-east-1.elb.amazonaws.com',
  };
  // The responder's note names one of each kind twice: the same identifier must get the same mask.
  const events = [...journal('sg-blocked')];
  events.splice(events.length - 1, 0, { seq: 999, at: events.at(-1)!.at, type: 'note', text: Object.entries(ids).map(([k, v]) => `${k}=${v} ${k}=${v}`).join('; ') } as JournalEvent);
  const pm = buildPostmortem(events, flow, catalog);
  const md = renderPostmortem(pm);
  const red = renderPostmortem(pm, { redact: true });

  it('masks every kind of identifier, the same one the same way throughout', () => {
    for (const v of Object.values(ids)) expect(md).toContain(v);
    for (const [k, v] of Object.entries(ids)) expect(red, k).not.toContain(v);
    const note = redactPostmortem(pm).timeline.find((t) => t.event.startsWith('Note: '))!.event;
    for (const k of Object.keys(ids)) {
      const m = new RegExp(`${k}=(\\S+) ${k}=(\\S+?)(;|$)`).exec(note);
      expect(m, k).not.toBeNull();
      expect(m![1], k).toBe(m![2]);
      expect(m![1], k).toMatch(/^<[a-z-]+-\d+>$/);
    }
    const lbMask = /lbName=(<[^>]+>)/.exec(note)![1];
    expect(red).toMatch(new RegExp(`\\| Load balancer +\\| \\\\${lbMask} +\\|`));
    // The replay's own ids (security groups, instances, subnets, VPC) are gone too.
    for (const m of md.matchAll(/\b(?:sg|i|subnet|vpc|eni)-[0-9a-f]{17}\b/g)) expect(red).not.toContain(m[0]);
  });

  it('leaves the catalog\'s own text as written', () => {
    const listening = catalog.causes.find((c) => c.id === 'target-not-listening')!;
    expect(listening.why).toContain('bound to 127.0.0.1 only');
    const withCause: Postmortem = { ...pm, contributingFactors: [], rootCauses: [{ id: listening.id, title: listening.title, confidence: 'confirmed', why: listening.why, evidence: ['10.0.3.7 refused'], moreEvidence: 0, fix: listening.fix.general }] };
    const r = redactPostmortem(withCause);
    expect(r.rootCauses[0].why).toBe(listening.why);
    expect(r.rootCauses[0].fix).toBe(listening.fix.general);
    expect(r.rootCauses[0].evidence[0]).not.toContain('10.0.3.7');
    expect(renderPostmortem(withCause, { redact: true })).toContain('bound to 127.0.0.1 only');
    for (const a of redactPostmortem(pm).actionItems) expect(pm.actionItems.some((b) => b.action === a.action)).toBe(true);
  });

  it('--json --redact has the same masks', () => {
    const json = postmortemJson(pm, { redact: true });
    for (const v of [ids.account, ids.sg, ids.lbName, ids.ipv4]) expect(json).not.toContain(v);
  });
});

describe('the gateway row names what the flow found', () => {
  it('an API Gateway session names the API and stage, under "Gateway"', () => {
    const apigw = loadFlow('apigw');
    const events: JournalEvent[] = [
      { seq: 1, at: '2026-12-04T10:00:00.000Z', type: 'start', sessionId: 'gw-1', flow: 'apigw', flowTitle: apigw.title, version: 1, start: apigw.start, context: { mode: 'replay', region: 'us-east-1' }, facts: { 'incident.title': 'Menu API 502' } },
      { seq: 2, at: '2026-12-04T10:01:00.000Z', type: 'check', node: 'resolve', check: 'apigw.resolve', params: {}, next: 'kind-scope', result: { status: 'pass', outcome: 'found', summary: 'REST API menu-api', facts: { 'apigw.name': 'menu-api', 'apigw.stage': 'prod', 'apigw.kind': 'rest' } } },
    ];
    const md = renderPostmortem(buildPostmortem(events, apigw, catalog));
    expect(md).toMatch(/\| Gateway +\| API Gateway menu-api \(stage prod\) in us-east-1 +\|/);
    expect(md).not.toContain('not identified');
  });
});
