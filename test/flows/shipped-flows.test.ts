import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Enumeration } from '../../src/engine/paths.js';
import { checkMetas } from '../../src/checks/registry.js';
import { enumeratePaths, syntheticResult } from '../../src/engine/paths.js';
import { advance } from '../../src/engine/advance.js';
import { lintFiles } from '../../src/commands/flows.js';
import { CATALOG_FILE, loadCatalog, loadFlow, shippedFlowFiles } from '../../src/flow-files.js';
import { MemoryJournal } from '../helpers/flows.js';

const files = shippedFlowFiles();
let alb: Enumeration;
beforeAll(() => { alb = enumeratePaths(loadFlow('alb'), checkMetas()); }, 120_000);
const healthyTargets = (p: Enumeration['paths'][number]) =>
  p.steps.every((s) => s.node !== 'target-health' || !('facts' in s) || !s.facts || Number(s.facts['targets.unhealthy'] ?? 0) <= 0);

describe('shipped flows', () => {
  it('there is at least the ALB flow, and every flow and the catalog lint clean', async () => {
    expect(files.map((f) => basename(f))).toContain('alb.yaml');
    expect(await lintFiles([...files, CATALOG_FILE])).toEqual([]);
  });

  for (const file of files) {
    const id = basename(file, '.yaml');
    it(`${id}: every path from start to an end is driven through the engine`, () => {
      const flow = loadFlow(id);
      const { paths, revisits, truncated } = id === 'alb' ? alb : enumeratePaths(flow, checkMetas());
      expect(revisits).toEqual([]);
      expect(truncated).toBe(false);
      expect(paths.length).toBeGreaterThan(100);
      const seenNodes = new Set<string>();
      const ends = new Set<string>();
      for (const path of paths) {
        const j = new MemoryJournal(flow);
        let s = advance(flow, j.state(), null, j.append, j.now()).state;
        for (const step of path.steps) {
          const w = advance(flow, s, null, j.append, j.now()).waiting;
          expect(w.kind !== 'done' && w.node.id).toBe(step.node);
          const move = 'outcome' in step
            ? { kind: 'check' as const, record: { result: syntheticResult(step.outcome, step.facts) } }
            : { kind: 'answer' as const, value: step.answer };
          const r = advance(flow, s, move, j.append, j.now());
          if (!r.ok) throw new Error(`${step.node}: ${r.error}`);
          s = r.state;
        }
        expect(s.ended?.node).toBe(path.end);
        expect(s.path).toEqual(path.nodes);
        s.path.forEach((n) => seenNodes.add(n));
        ends.add(path.end);
      }
      // Every node is on some driven path, so nothing in the flow is dead text.
      expect(flow.nodes.map((n) => n.id).filter((n) => !seenNodes.has(n))).toEqual([]);
    }, 120_000);
  }

  it('alb: "intermittent, targets healthy" reaches the keep-alive race within a few steps of triage', () => {
    const fast = alb.paths.filter((p) => healthyTargets(p) && p.steps.some((s) => s.node === 'intake-pattern' && 'answer' in s && s.answer === 'intermittent'));
    const aws = fast.filter((p) => p.nodes.includes('target-health'));
    expect(aws.length).toBeGreaterThan(0);
    for (const p of aws) {
      const triage = p.nodes.indexOf('triage');
      expect(p.nodes[triage + 1]).toBe('ka-server');
    }
  });

  it('alb: "every request fails" goes to target group, network path and port checks first', () => {
    const all = alb.paths.filter((p) => p.steps.some((s) => s.node === 'intake-pattern' && 'answer' in s && s.answer === 'all'));
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) {
      const triage = p.nodes.indexOf('triage');
      expect(p.nodes.slice(triage + 1, triage + 4)).toEqual(['all-tg-config', 'all-network', 'all-port']);
    }
  });

  it('alb: every cause the flow can name exists in the catalog, and the flow names each catalog cause for ALB', () => {
    const flow = loadFlow('alb');
    const named = new Set<string>();
    for (const n of flow.nodes) {
      if (n.kind === 'finding') named.add(n.cause);
      if (n.kind === 'question' || n.kind === 'step') n.choices?.forEach((c) => c.finding && named.add(c.finding.cause));
    }
    const catalog = loadCatalog();
    const albCauses = catalog.causes.filter((c) => c.gateways.includes('alb')).map((c) => c.id);
    // Causes only checks can establish (metrics, logs, AWS config) are named by check findings instead.
    const byChecksOnly = ['no-healthy-targets-yet', 'all-targets-unhealthy', 'nacl-blocks-traffic', 'lambda-invalid-response', 'lambda-error-or-timeout', 'origin-dns-failure', 'health-check-misconfigured', 'sg-blocks-lb-to-target', 'target-generated-502', 'target-tls-handshake', 'origin-tls-mismatch', 'listener-or-routing-misconfigured'];
    expect(albCauses.filter((c) => !named.has(c) && !byChecksOnly.includes(c))).toEqual([]);
  });

  it('appgw: every path reaches article 003\'s steps (keep-alive probe, capture, direct request, HTTPS→HTTP), and both of its causes can be named', () => {
    const flow = loadFlow('appgw');
    const { paths } = enumeratePaths(flow, checkMetas());
    expect(paths.length).toBeGreaterThan(100);
    for (const p of paths) {
      expect(p.nodes).toContain('capture');
      expect(p.nodes).toContain('https-to-http');
      expect(p.nodes).toContain('direct-request');
      expect(p.nodes.includes('ka-probe')).toBe(true);
    }
    const named = new Set<string>();
    for (const n of flow.nodes) {
      if (n.kind === 'finding') named.add(n.cause);
      if (n.kind === 'question' || n.kind === 'step') n.choices?.forEach((c) => c.finding && named.add(c.finding.cause));
    }
    expect([...named]).toEqual(expect.arrayContaining(['keepalive-race', 'target-crashed-or-overloaded']));
    // Without Azure, the walk goes straight to the manual backend-health step.
    const manual = paths.filter((p) => p.nodes.includes('manual-mode'));
    expect(manual.length).toBeGreaterThan(0);
    for (const p of manual) expect(p.nodes[p.nodes.indexOf('manual-mode') + 1]).toBe('manual-health');
  }, 120_000);
});
