import type { CheckMeta, CheckResult } from '../checks/types.js';
import { conditionFacts } from './conditions.js';
import type { JournalEvent, NewEvent } from './events.js';
import type { Flow, InputType } from './flow-schema.js';
import { answer, checkEvents, initialState, pending, reduce, type SessionState } from './session.js';

/** One move that drives a session along a path. */
export type PathStep = { node: string; answer: string } | { node: string; outcome: string };

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
  region: 'us-east-1', number: '20', port: '8080',
};

/** A synthetic result that takes `outcome`; used to explore the flow without running checks. */
export function syntheticResult(outcome: string): CheckResult {
  return { status: outcome === 'unknown' ? 'unknown' : 'pass', outcome, summary: `(path enumeration: ${outcome})` };
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
  const paths: FlowPath[] = [];
  const seen = new Set<string>();
  const revisits: Enumeration['revisits'] = [];
  let truncated = false;
  const now = new Date(PATH_START_AT);
  let seq = 1;
  const stamp = (e: NewEvent): JournalEvent => ({ ...e, seq: ++seq, at: PATH_START_AT }) as JournalEvent;

  const apply = (s: SessionState, events: NewEvent[]) => events.reduce((acc, e) => reduce(acc, stamp(e)), s);

  const visit = (s: SessionState, steps: PathStep[]): void => {
    if (truncated) return;
    for (let p = pending(flow, s); p.kind === 'auto'; p = pending(flow, s)) {
      const next = p.events.find((e) => e.type === 'branch' || e.type === 'end');
      s = apply(s, p.events);
      if (next?.type === 'branch' && s.path.indexOf(next.next) !== s.path.length - 1) {
        revisits.push({ node: next.next, via: s.path });
        return;
      }
    }
    const p = pending(flow, s);
    if (p.kind === 'done') {
      const key = s.path.join('>');
      if (!seen.has(key)) {
        seen.add(key);
        paths.push({ nodes: s.path, steps, end: s.ended!.node });
        if (paths.length >= limit) truncated = true;
      }
      return;
    }
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
      for (const o of byNext.values()) variants.push({ step: { node: p.node.id, outcome: o }, events: checkEvents(p.node, p.params, syntheticResult(o)) });
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
        const routing = Object.entries(a.set ?? {}).filter(([k]) => routingFacts.has(k)).map(([k, val]) => `${k}=${String(val === '' ? '' : 'x' + String(val))}`);
        const sig = `${a.next}|${node.kind === 'question' && node.input ? (v === '' ? 'skip' : 'given') : routing.sort().join(',')}`;
        if (signatures.has(sig)) continue;
        signatures.add(sig);
        variants.push({ step: { node: node.id, answer: v }, events: r.events });
      }
    }
    for (const v of variants) {
      const next = apply(s, v.events);
      if (next.node !== null && !next.ended && next.path.indexOf(next.node) !== next.path.length - 1) {
        revisits.push({ node: next.node, via: next.path });
        continue;
      }
      visit(next, [...steps, v.step]);
    }
  };

  visit(initialState(syntheticStart(flow)), []);
  return { paths, revisits, truncated };
}
