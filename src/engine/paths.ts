import type { CheckMeta, CheckResult } from './vocabulary.js';
import { conditionFacts } from './conditions.js';
import type { Condition } from './flow-schema.js';
import type { JournalEvent, NewEvent } from './events.js';
import type { Flow, InputType } from './flow-schema.js';
import { answer, checkEvents, initialState, pending, reduce, type SessionState } from './session.js';

/** One move that drives a session along a path. */
export type PathStep = { node: string; answer: string } | { node: string; outcome: string; facts?: Record<string, string | number> };

export interface FlowPath {
  nodes: string[];
  steps: PathStep[];
  end: string;
}

export interface Enumeration {
  paths: FlowPath[];
  /** Nodes a single path could reach twice (a loop the responder could not leave). */
  revisits: { node: string; via: string[] }[];
  truncated: boolean;
}

const SAMPLE: Record<InputType, string> = {
  text: 'sample', url: 'https://shop.example.com/', duration: '2h', timestamp: '2026-01-01T00:00:00Z',
  arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef',
  region: 'us-east-1', number: '20', port: '8080', host: '10.0.1.23', path: './logs/',
};

/** A synthetic result that takes `outcome`; used to explore the flow without running checks. */
export function syntheticResult(outcome: string, facts?: Record<string, string | number>): CheckResult {
  return { status: outcome === 'unknown' ? 'unknown' : 'pass', outcome, summary: `(path enumeration: ${outcome})`, ...(facts ? { facts } : {}) };
}

/** Values that make a condition on `fact` true or false, so exploration can take both sides. */
function probeValues(cond: Condition, out: Map<string, Set<string | number>>): void {
  if ('all' in cond) return cond.all.forEach((c) => probeValues(c, out));
  if ('any' in cond) return cond.any.forEach((c) => probeValues(c, out));
  if ('not' in cond) return probeValues(cond.not, out);
  const set = out.get(cond.fact) ?? new Set();
  for (const v of [cond.eq, cond.ne, ...(cond.in ?? [])]) if (v !== undefined) set.add(typeof v === 'boolean' ? String(v) : v);
  for (const b of [cond.gt, cond.gte, cond.lt, cond.lte]) if (b !== undefined) { set.add(b); set.add(b + 1); set.add(b - 1); }
  if (cond.exists !== undefined) set.add('x');
  out.set(cond.fact, set);
}

export const PATH_START_AT = '2026-01-01T00:00:00.000Z';

/** A start event for exploring a flow offline. */
export function syntheticStart(flow: Flow): Extract<JournalEvent, { type: 'start' }> {
  return { seq: 1, at: PATH_START_AT, type: 'start', sessionId: 'paths', flow: flow.id, flowTitle: flow.title, version: 1, start: flow.start, context: { mode: 'manual' } };
}

/**
 * Every distinct path from start to an end, found by driving the engine itself:
 * each choice (grouped when it cannot change routing), each check outcome, the
 * optional inputs both given and skipped. Branches are decided by the engine.
 */
export function enumeratePaths(flow: Flow, checks: ReadonlyMap<string, CheckMeta>, limit = 50_000): Enumeration {
  const routingFacts = new Set(flow.nodes.flatMap((n) => (n.kind === 'branch' ? n.cases.flatMap((c) => conditionFacts(c.if)) : [])));
  const branchValues = new Map<string, Set<string | number>>();
  for (const n of flow.nodes) if (n.kind === 'branch') n.cases.forEach((c) => probeValues(c.if, branchValues));
  const paths: FlowPath[] = [];
  const seen = new Set<string>();
  const revisits: Enumeration['revisits'] = [];
  let truncated = false;
  const now = new Date(PATH_START_AT);
  let seq = 1;
  const stamp = (e: NewEvent): JournalEvent => ({ ...e, seq: ++seq, at: PATH_START_AT }) as JournalEvent;

  const apply = (s: SessionState, events: NewEvent[]) => events.reduce((acc, e) => reduce(acc, stamp(e)), s);

  type Suffix = { nodes: string[]; steps: PathStep[]; end: string };
  // The paths onward from a node depend only on the node and the facts branches read.
  const memo = new Map<string, Suffix[]>();
  let produced = 0;

  /** Paths onward from the current node, each starting with it. */
  const visit = (s: SessionState): Suffix[] => {
    const from = s.path.length - 1;
    for (let p = pending(flow, s); p.kind === 'auto'; p = pending(flow, s)) {
      const next = p.events.find((e) => e.type === 'branch' || e.type === 'end');
      s = apply(s, p.events);
      if (next?.type === 'branch' && s.path.indexOf(next.next) !== s.path.length - 1) {
        revisits.push({ node: next.next, via: s.path });
        return [];
      }
    }
    const autoNodes = s.path.slice(from);
    const p = pending(flow, s);
    if (p.kind === 'done') {
      produced++;
      if (produced >= limit) truncated = true;
      return [{ nodes: autoNodes, steps: [], end: s.ended!.node }];
    }
    const key = `${s.node}|${[...routingFacts].map((f) => `${f}=${String(s.facts[f] ?? '')}`).join('&')}`;
    const cached = memo.get(key);
    if (cached) return cached.map((x) => ({ ...x, nodes: [...autoNodes, ...x.nodes] }));
    // autoNodes ends with the node now asked or checked; memoised suffixes start after it.
    const variants: { step: PathStep; events: NewEvent[] }[] = [];
    if (p.kind === 'check') {
      const meta = checks.get(p.node.run);
      const outcomes = [...(meta?.outcomes ?? []), 'unknown'];
      const byNext = new Map<string, string>();
      for (const o of outcomes) {
        const evs = checkEvents(p.node, p.params, syntheticResult(o));
        const next = (evs[0] as { next: string }).next;
        if (!byNext.has(next)) byNext.set(next, o);
      }
      // A check may set any fact it declares; try the values later branches test for.
      const factVariants: (Record<string, string | number> | undefined)[] = [undefined];
      for (const f of meta?.facts ?? []) for (const v of branchValues.get(f) ?? []) factVariants.push({ [f]: v });
      for (const o of byNext.values()) {
        for (const facts of factVariants) {
          const result = syntheticResult(o, facts);
          variants.push({ step: { node: p.node.id, outcome: o, ...(facts ? { facts } : {}) }, events: checkEvents(p.node, p.params, result) });
        }
      }
    } else if (p.kind === 'ask') {
      const node = p.node;
      const values = node.choices
        ? node.choices.map((c) => c.value)
        : node.kind === 'question' && node.input
          ? [SAMPLE[node.input.type], ...(node.input.optional ? [''] : [])]
          : ['done'];
      const signatures = new Set<string>();
      for (const v of values) {
        const r = answer(flow, s, v, now);
        if (!r.ok) continue;
        const a = r.events[0] as Extract<NewEvent, { type: 'answer' }>;
        const routing = Object.entries(a.set ?? {}).filter(([k]) => routingFacts.has(k)).map(([k, val]) => `${k}=${String(val)}`);
        const sig = `${a.next}|${node.kind === 'question' && node.input ? (v === '' ? 'skip' : 'given') : routing.sort().join(',')}`;
        if (signatures.has(sig)) continue;
        signatures.add(sig);
        variants.push({ step: { node: node.id, answer: v }, events: r.events });
      }
    }
    const out: Suffix[] = [];
    const outKeys = new Set<string>();
    for (const v of variants) {
      if (truncated) break;
      const next = apply(s, v.events);
      if (next.node !== null && !next.ended && next.path.indexOf(next.node) !== next.path.length - 1) {
        revisits.push({ node: next.node, via: next.path });
        continue;
      }
      for (const x of visit(next)) {
        // Variants that only change facts nothing reads give the same node path: keep one.
        const k = x.nodes.join('>');
        if (outKeys.has(k)) continue;
        outKeys.add(k);
        out.push({ nodes: x.nodes, steps: [v.step, ...x.steps], end: x.end });
      }
    }
    memo.set(key, out);
    return out.map((x) => ({ ...x, nodes: [...autoNodes, ...x.nodes] }));
  };

  for (const x of visit(initialState(syntheticStart(flow)))) {
    const nodes = x.nodes;
    const key = nodes.join('>');
    if (seen.has(key)) continue;
    seen.add(key);
    paths.push({ nodes, steps: x.steps, end: x.end });
  }
  return { paths, revisits, truncated };
}
