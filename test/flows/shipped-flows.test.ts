import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Enumeration } from '../../src/engine/paths.js';
import { checkMetas } from '../../src/checks/registry.js';
import { enumeratePaths, syntheticResult } from '../../src/engine/paths.js';
import { advance } from '../../src/engine/advance.js';
import { lintFiles } from '../../src/commands/flows.js';
import { CATALOG_FILE, loadCatalog, loadFlow, shippedFlowFiles } from '../../src/flow-files.js';
import { MemoryJournal } from '../helpers/flows.js';

/** The causes a flow can name: finding nodes and answers' findings, and with `metas` its checks' causes too. */
function namedCauses(flow: ReturnType<typeof loadFlow>, metas?: ReturnType<typeof checkMetas>): Set<string> {
  const named = new Set<string>();
  for (const n of flow.nodes) {
    if (n.kind === 'finding') named.add(n.cause);
    if (n.kind === 'question' || n.kind === 'step') n.choices?.forEach((c) => c.finding && named.add(c.finding.cause));
    if (n.kind === 'check' && metas) metas.get(n.run)?.causes?.forEach((c) => named.add(c));
  }
  return named;
}

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
    // A Lambda target group has no instances, port or network path: it takes the Lambda lane (below).
    const all = alb.paths.filter((p) => !p.nodes.includes('lambda-fn') && p.steps.some((s) => s.node === 'intake-pattern' && 'answer' in s && s.answer === 'all'));
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) {
      const triage = p.nodes.indexOf('triage');
      // A check that could not read AWS hands over to its manual step before the next check.
      const lane = p.nodes.slice(triage + 1).filter((n) => !['tg-manual', 'tg-manual-next', 'net-manual', 'net-manual-next'].includes(n));
      expect(lane.slice(0, 3)).toEqual(['all-tg-config', 'all-network', 'all-port']);
    }
  });

  it('alb: with no AWS access, "every request fails" is asked the target-health, security-group and NACL steps', () => {
    const flow = loadFlow('alb');
    const j = new MemoryJournal(flow);
    const unknown = { status: 'unknown' as const, outcome: 'unknown', summary: 'AWS checks off: no credentials' };
    const answers: Record<string, string> = { 'intake-title': 't', 'intake-started': 'now', 'intake-url': '', 'intake-pattern': 'all', 'intake-change': 'none', 'manual-lb': 'web-alb' };
    let s = advance(flow, j.state(), null, j.append, j.now()).state;
    const asked: string[] = [];
    for (let i = 0; i < 30; i++) {
      const w = advance(flow, s, null, j.append, j.now()).waiting;
      if (w.kind === 'done' || w.node.id === 'all-port') break;
      asked.push(w.node.id);
      const move = w.kind === 'check'
        ? { kind: 'check' as const, record: { result: w.node.id === 'aws-whoami' ? { ...unknown, outcome: 'no-credentials' } : unknown } }
        : { kind: 'answer' as const, value: answers[w.node.id] ?? (w.node.choices ? w.node.choices.at(-1)!.value : 'done') };
      s = advance(flow, s, move, j.append, j.now()).state;
    }
    expect(asked).toEqual(['intake-title', 'intake-started', 'intake-url', 'intake-pattern', 'intake-change', 'emergency', 'probe-url', 'aws-whoami', 'manual-mode', 'manual-lb', 'all-tg-config', 'tg-manual', 'all-network', 'net-manual']);
    // After a check that did answer, its fallback is passed through, not asked.
    const passed = loadFlow('alb').nodes.filter((n) => n.kind === 'step' && n.fallback).map((n) => n.id);
    expect(passed.sort()).toEqual(['lambda-fn-manual', 'net-manual', 'tg-manual']);
    for (const p of alb.paths.filter((x) => x.nodes.includes('all-tg-config')).slice(0, 50)) {
      expect(p.nodes).toContain('tg-manual');
      expect(p.steps.some((st) => st.node === 'tg-manual')).toBe(p.steps.some((st) => st.node === 'all-tg-config' && 'outcome' in st && st.outcome === 'unknown'));
    }
  });

  it('alb: every cause the flow can name exists in the catalog, and the flow names each catalog cause for ALB', () => {
    const flow = loadFlow('alb');
    const named = namedCauses(flow);
    const catalog = loadCatalog();
    const albCauses = catalog.causes.filter((c) => c.gateways.includes('alb')).map((c) => c.id);
    // Causes only checks can establish (metrics, logs, AWS config) are named by check findings instead.
    const byChecksOnly = ['no-healthy-targets-yet', 'all-targets-unhealthy', 'nacl-blocks-traffic', 'lambda-invalid-response', 'lambda-error-or-timeout', 'origin-dns-failure', 'health-check-misconfigured', 'sg-blocks-lb-to-target', 'target-generated-502', 'target-tls-handshake', 'origin-tls-mismatch', 'listener-or-routing-misconfigured', 'lambda-invoke-permission-missing'];
    expect(albCauses.filter((c) => !named.has(c) && !byChecksOnly.includes(c))).toEqual([]);
  });

  it('alb: a Lambda target group takes the Lambda lane: function, its metrics and log, error_reason, response shape; no instance sweep', () => {
    const lambda = alb.paths.filter((p) => p.nodes.includes('lambda-fn'));
    expect(lambda.length).toBeGreaterThan(0);
    const instanceOnly = ['res-top', 'res-instances', 'net-path', 'ka-server', 'ka-chain', 'lbc-tls', 'app-response', 'logs-proxy'];
    for (const p of lambda) {
      const triage = p.nodes.indexOf('triage');
      expect(triage).toBeGreaterThan(p.nodes.indexOf('target-health'));
      expect(p.nodes[triage + 1]).toBe('lambda-fn');
      expect(p.nodes.filter((n) => instanceOnly.includes(n))).toEqual([]);
      for (const n of ['lambda-metrics', 'lambda-log', 'logs-access', 'lambda-response', 'wrap-emergency']) expect(p.nodes, n).toContain(n);
      expect(p.nodes.indexOf('lambda-log')).toBeLessThan(p.nodes.indexOf('logs-access'));
      expect(p.nodes.indexOf('logs-access')).toBeLessThan(p.nodes.indexOf('lambda-response'));
    }
    // Without access logs the lane asks for error_reason by hand, not for instance timings.
    const noLogs = lambda.filter((p) => p.steps.some((s) => s.node === 'logs-access' && 'outcome' in s && s.outcome === 'no-logs'));
    expect(noLogs.length).toBeGreaterThan(0);
    for (const p of noLogs) {
      expect(p.nodes).toContain('lambda-logs-manual');
      expect(p.nodes).not.toContain('logs-manual');
    }
    // Only a Lambda target group leads there.
    for (const p of alb.paths.filter((x) => !x.nodes.includes('lambda-fn'))) expect(p.nodes).not.toContain('lambda-response');
    // The three Lambda causes can be named on the lane, by the responder as well as by checks.
    const flow = loadFlow('alb');
    const onLane = flow.nodes.filter((n) => n.id.startsWith('lambda-'));
    const named = new Set(onLane.flatMap((n) => (n.kind === 'step' ? n.choices?.flatMap((c) => (c.finding ? [c.finding.cause] : [])) ?? [] : [])));
    expect([...named].sort()).toEqual(['lambda-error-or-timeout', 'lambda-invalid-response', 'lambda-invoke-permission-missing']);
    expect(Object.keys(flow.mitigate?.causes ?? {})).toEqual(expect.arrayContaining(['lambda-error-or-timeout', 'lambda-invalid-response', 'lambda-invoke-permission-missing']));
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
    const named = namedCauses(flow);
    expect([...named]).toEqual(expect.arrayContaining(['keepalive-race', 'target-crashed-or-overloaded']));
    // Without Azure, the walk goes straight to the manual backend-health step.
    const manual = paths.filter((p) => p.nodes.includes('manual-mode'));
    expect(manual.length).toBeGreaterThan(0);
    for (const p of manual) expect(p.nodes[p.nodes.indexOf('manual-mode') + 1]).toBe('manual-health');
  }, 120_000);
});

describe('shipped flows: nginx', () => {
  let nginx: Enumeration;
  beforeAll(() => { nginx = enumeratePaths(loadFlow('nginx'), checkMetas()); }, 120_000);

  it('walks scope → config → error log → backend keep-alive → application, in that order, on every path', () => {
    const order = ['probe-url', 'config-read', 'errlog', 'ka-source', 'ka-url', 'app-direct', 'wrap-emergency'];
    for (const p of nginx.paths) {
      const at = order.map((n) => p.nodes.indexOf(n)).filter((i) => i >= 0);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      for (const n of ['config-read', 'errlog', 'app-direct']) expect(p.nodes).toContain(n);
    }
  });

  it('measures the backend against nginx\'s upstream keepalive_timeout, and skips the probe when nginx reuses nothing', () => {
    const flow = loadFlow('nginx');
    for (const id of ['ka-probe', 'ka-probe-config']) {
      expect(flow.nodes.find((n) => n.id === id)).toMatchObject({ run: 'net.keepalive', with: { idleTimeoutSeconds: '{{nginx.keepaliveTimeoutSeconds}}' } });
    }
    const gate = flow.nodes.find((n) => n.id === 'ka-gate');
    expect(gate).toMatchObject({ kind: 'branch', cases: [{ if: { fact: 'nginx.keepalive', eq: 'off' }, next: 'app-direct' }, { if: { fact: 'scope.pattern', eq: 'all' }, next: 'app-direct' }, { if: { fact: 'nginx.upstreamUrl', exists: true }, next: 'ka-source' }] });
    // The upstream named in the config is offered first; any other address can be typed.
    expect(nginx.paths.filter((p) => p.nodes.includes('ka-probe-config')).length).toBeGreaterThan(0);
    expect(nginx.paths.filter((p) => p.nodes.includes('ka-probe')).length).toBeGreaterThan(0);
  });

  it('says that nginx retries hide the race except on non-idempotent methods, and lets the responder record it', () => {
    const flow = loadFlow('nginx');
    const text = (id: string) => { const n = flow.nodes.find((x) => x.id === id)!; return `${n.body ?? ''} ${n.help ?? ''}`; };
    for (const id of ['intake-pattern', 'errlog-methods', 'ka-verdict']) {
      expect(text(id)).toMatch(/retr/);
      expect(text(id)).toMatch(/POST/);
    }
    const methods = flow.nodes.find((n) => n.id === 'errlog-methods') as { choices: { value: string; finding?: { cause: string } }[] };
    expect(methods.choices.find((c) => c.value === 'writes')?.finding?.cause).toBe('keepalive-race');
  });

  it('names only catalog causes, and the keep-alive race among them', () => {
    const flow = loadFlow('nginx');
    const named = namedCauses(flow);
    const ids = new Set(loadCatalog().causes.map((c) => c.id));
    expect([...named].filter((c) => !ids.has(c))).toEqual([]);
    expect(named).toContain('keepalive-race');
    expect(named).toContain('recent-change');
  });
});

describe('shipped flows: cloudfront', () => {
  let cf: Enumeration;
  beforeAll(() => { cf = enumeratePaths(loadFlow('cloudfront'), checkMetas()); }, 120_000);

  it('walks scope → distribution → origin TLS → DNS → timeouts → logs → next hop, in that order, on every path', () => {
    const order = ['probe-url', 'cf-resolve', 'cf-origins', 'origin-tls', 'origin-dns', 'timeouts', 'logs-kind', 'handover-gate', 'wrap-emergency'];
    for (const p of cf.paths) {
      const at = order.map((n) => p.nodes.indexOf(n)).filter((i) => i >= 0);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      for (const n of ['probe-url', 'cf-resolve', 'origin-dns', 'timeouts', 'logs-kind', 'wrap-emergency']) expect(p.nodes).toContain(n);
    }
    // The TLS probe runs only when CloudFront talks HTTPS to the origin.
    expect(cf.paths.some((p) => p.nodes.includes('origin-tls'))).toBe(true);
    expect(cf.paths.some((p) => p.nodes.includes('cf-origins') && !p.nodes.includes('origin-tls'))).toBe(true);
  });

  it('probes the origin with the name CloudFront validates, and hands an ALB origin to the ALB flow by name', () => {
    const flow = loadFlow('cloudfront');
    expect(flow.nodes.find((n) => n.id === 'origin-tls')).toMatchObject({ run: 'cloudfront.origin-tls', with: { host: '{{cf.origin.domain}}', name: '{{cf.origin.tlsName}}' } });
    expect(flow.nodes.find((n) => n.id === 'origin-dns')).toMatchObject({ run: 'net.dns', with: { name: '{{cf.origin.domain}}' } });
    const handover = flow.nodes.find((n) => n.id === 'handover-alb') as { commands: string[] };
    expect(handover.commands).toContain('badgate run alb --lb {{cf.origin.albName}}');
    expect(cf.paths.some((p) => p.nodes.includes('handover-alb'))).toBe(true);
  });

  it('names only catalog causes; the log answers map OriginDnsError, OriginCommError and OriginConnectError as documented', () => {
    const flow = loadFlow('cloudfront');
    const named = namedCauses(flow);
    const ids = new Set(loadCatalog().causes.map((c) => c.id));
    expect([...named].filter((c) => !ids.has(c))).toEqual([]);
    const kinds = flow.nodes.find((n) => n.id === 'logs-kind') as { choices: { value: string; finding?: { cause: string } }[] };
    const by = Object.fromEntries(kinds.choices.map((c) => [c.value, c.finding?.cause]));
    expect(by).toMatchObject({ dns: 'origin-dns-failure', comm: 'timeout-mismatch', connect: 'target-not-listening', header: 'response-headers-too-large', error: 'target-generated-502' });
    expect(named).toContain('cloudfront-function-error');
  });
});

describe('shipped flows: clb', () => {
  let clb: Enumeration;
  beforeAll(() => { clb = enumeratePaths(loadFlow('clb'), checkMetas()); }, 120_000);

  it('walks scope → instance health → network → LB config → application, in that order, on every path', () => {
    const order = ['metrics', 'health', 'network', 'attributes', 'ka-probe-url', 'logs', 'app', 'wrap-emergency'];
    for (const p of clb.paths) {
      const at = order.map((n) => p.nodes.indexOf(n)).filter((i) => i >= 0);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      for (const n of ['health', 'network', 'attributes', 'app']) expect(p.nodes).toContain(n);
    }
  });

  it('asks about a malformed response only for a 502, and measures keep-alive against the CLB idle timeout', () => {
    const flow = loadFlow('clb');
    const answered = (p: Enumeration['paths'][number], v: string) => p.steps.some((s) => s.node === 'intake-status' && 'answer' in s && s.answer === v);
    expect(clb.paths.filter((p) => answered(p, '504')).every((p) => !p.nodes.includes('malformed'))).toBe(true);
    expect(clb.paths.filter((p) => answered(p, '502')).every((p) => p.nodes.includes('malformed'))).toBe(true);
    expect(flow.nodes.find((n) => n.id === 'ka-probe')).toMatchObject({ run: 'net.keepalive', with: { idleTimeoutSeconds: '{{clb.idleTimeoutSeconds}}' } });
    const help = flow.nodes.find((n) => n.id === 'intake-status')?.help ?? '';
    expect(help).toMatch(/keep-alive\s+race shows here as 504/);
  });

  it('names only catalog causes for clb, each check cause among them', () => {
    const flow = loadFlow('clb');
    const named = namedCauses(flow, checkMetas());
    const catalog = new Map(loadCatalog().causes.map((c) => [c.id, c]));
    expect([...named].filter((c) => !catalog.get(c)?.gateways.includes('clb'))).toEqual([]);
    for (const c of ['malformed-response', 'keepalive-race', 'sg-blocks-lb-to-target', 'nacl-blocks-traffic', 'all-targets-unhealthy', 'target-generated-502']) expect(named).toContain(c);
  });
});

describe('shipped flows: nlb', () => {
  it('asks which layer made the 502 (an NLB makes none) and checks client-IP security groups on every AWS path', () => {
    const flow = loadFlow('nlb');
    const { paths } = enumeratePaths(flow, checkMetas());
    const layer = flow.nodes.find((n) => n.id === 'intake-layer');
    expect(`${layer?.body ?? ''} ${layer?.help ?? ''}`).toMatch(/makes no HTTP response/);
    for (const p of paths) {
      expect(p.nodes).toContain('network');
      expect(p.nodes.indexOf('intake-layer')).toBeLessThan(p.nodes.indexOf('network'));
    }
    expect(flow.nodes.find((n) => n.id === 'network')).toMatchObject({ run: 'nlb.client-path' });
    const named = new Set<string>();
    for (const n of flow.nodes) if (n.kind === 'question' || n.kind === 'step') n.choices?.forEach((c) => c.finding && named.add(c.finding.cause));
    const catalog = new Map(loadCatalog().causes.map((c) => [c.id, c]));
    expect([...named].filter((c) => !catalog.get(c)?.gateways.includes('nlb'))).toEqual([]);
  }, 60_000);
});

describe('shipped flows: apigw', () => {
  let apigw: Enumeration;
  beforeAll(() => { apigw = enumeratePaths(loadFlow('apigw'), checkMetas()); }, 120_000);

  it('walks scope → API → integration → stage logs → config → application, in that order, on every path that found the API', () => {
    const order = ['intake-status', 'resolve', 'integration', 'stage', 'gateway-responses', 'metrics', 'wrap-emergency'];
    const found = apigw.paths.filter((p) => p.nodes.includes('integration'));
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      const at = order.map((n) => p.nodes.indexOf(n)).filter((i) => i >= 0);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      for (const n of ['stage', 'gateway-responses', 'metrics']) expect(p.nodes).toContain(n);
    }
  });

  it('reads the Lambda function with the integration\'s facts, and searches the execution log named after the API and stage', () => {
    const flow = loadFlow('apigw');
    expect(flow.nodes.find((n) => n.id === 'lambda')).toMatchObject({ run: 'lambda.function', with: { invoker: 'apigateway', sourceArn: '{{apigw.sourceArn}}', budgetMs: '{{apigw.integrationTimeoutMs}}' } });
    const exec = flow.nodes.find((n) => n.id === 'exec-log');
    expect(exec?.kind === 'step' && exec.commands?.[0]).toMatch(/^aws logs filter-log-events --log-group-name '\{\{apigw\.executionLogGroup\}\}' .*--filter-pattern '.*"Malformed Lambda proxy response"/);
    // Every path that found a Lambda integration reads the function and its log.
    for (const p of apigw.paths.filter((x) => x.steps.some((s) => s.node === 'integration' && 'outcome' in s && ['lambda-proxy', 'lambda-custom'].includes(String(s.outcome))))) {
      expect(p.nodes).toContain('lambda');
    }
  });

  it('tells REST from HTTP API statuses in scope, and hands a VPC link over to the nlb flow', () => {
    const flow = loadFlow('apigw');
    const help = flow.nodes.find((n) => n.id === 'intake-status')?.help ?? '';
    expect(help).toMatch(/REST API: 502 = a malformed Lambda proxy response/);
    expect(help).toMatch(/HTTP API: any Lambda problem is a 500/);
    expect(help).toMatch(/integration\s+timeout a 503/);
    const link = flow.nodes.find((n) => n.id === 'vpc-link');
    expect(link?.kind === 'step' && link.commands).toContain('badgate run nlb --lb {{apigw.nlbName}}');
    expect(flow.mitigate?.causes).toHaveProperty('lambda-invalid-response');
  });

  it('names only catalog causes for apigw, each of the Lambda and integration causes among them', () => {
    const flow = loadFlow('apigw');
    const named = namedCauses(flow, checkMetas());
    const catalog = new Map(loadCatalog().causes.map((c) => [c.id, c]));
    expect([...named].filter((c) => !catalog.get(c)?.gateways.includes('apigw'))).toEqual([]);
    for (const c of ['lambda-invalid-response', 'lambda-error-or-timeout', 'timeout-mismatch', 'lambda-invoke-permission-missing', 'apigw-integration-misconfigured', 'target-generated-502']) expect(named).toContain(c);
  });
});
