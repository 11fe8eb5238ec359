import type { CheckResult } from './vocabulary.js';
import type { JournalEvent, NewEvent } from './events.js';
import type { CheckNode, Flow, Phase } from './flow-schema.js';
import { answer, checkEvents, headlessValue, initialState, nodeById, pending, reduce, type FindingEntry, type SessionState } from './session.js';
import { advanceAuto } from './walk.js';

/** One thing the responder does: answer a question or step, or run a check. */
export interface Move {
  node: string;
  title: string;
  phase: Phase;
  kind: 'answer' | 'check';
  /** The answer's value, or the check's outcome. */
  value: string;
  label: string;
  next: string;
}

export interface ShortestPath {
  moves: Move[];
  /** The node where the hidden cause first stood as confirmed or likely. */
  goalNode: string;
  goalPhase: Phase;
  cause: string;
}

export interface SearchOptions {
  /** Answers the environment makes true; other questions are the responder's free choice. */
  pinned: Readonly<Record<string, string>>;
  causes: readonly string[];
  runCheck(node: CheckNode, params: Record<string, string>, s: SessionState): Promise<CheckResult>;
  now: Date;
  maxStates?: number;
}

/**
 * The hidden cause counts as found when a check, a finding node or an answer the
 * environment makes true names it as confirmed or likely. A free choice that merely
 * claims it (a step's "I saw X") does not: that would be guessing, not finding.
 */
export function causeFound(s: SessionState, causes: readonly string[], pinned: Readonly<Record<string, string>>): FindingEntry | undefined {
  return s.findings.find((x) => causes.includes(x.cause)
    && (x.confidence === 'confirmed' || x.confidence === 'likely')
    && (x.via !== 'answer' || x.node in pinned));
}

interface Item {
  s: SessionState;
  moves: Move[];
}

/**
 * Breadth-first over the engine itself: the fewest answers and checks from the start to
 * the hidden cause, with checks answered by the environment. Pinned questions take only
 * their true answer; free ones branch on every choice.
 */
export async function shortestPath(flow: Flow, start: Extract<JournalEvent, { type: 'start' }>, opts: SearchOptions): Promise<ShortestPath | undefined> {
  let seq = start.seq;
  const at = opts.now.toISOString();
  const append = (e: NewEvent): JournalEvent => ({ ...e, seq: ++seq, at }) as JournalEvent;
  const seen = new Set<string>();
  let frontier: Item[] = [{ s: initialState(start), moves: [] }];
  const max = opts.maxStates ?? 20_000;
  let states = 0;
  while (frontier.length) {
    const next: Item[] = [];
    for (const item of frontier) {
      const s = advanceAuto(flow, item.s, append);
      const goal = causeFound(s, opts.causes, opts.pinned);
      if (goal) return { moves: item.moves, goalNode: goal.node, goalPhase: nodeById(flow, goal.node).phase, cause: goal.cause };
      const key = `${s.node}|${JSON.stringify(s.facts)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (++states > max) return undefined;
      const p = pending(flow, s);
      if (p.kind === 'done') continue;
      if (p.kind === 'check') {
        const result = await opts.runCheck(p.node, p.params, s);
        let t = s;
        for (const e of checkEvents(p.node, p.params, result)) t = reduce(t, append(e));
        next.push({ s: t, moves: [...item.moves, moveOf(flow, p.node.id, 'check', result.outcome, result.summary, t.node ?? '')] });
        continue;
      }
      if (p.kind !== 'ask') continue;
      const values = p.node.id in opts.pinned
        ? [opts.pinned[p.node.id]]
        : p.node.choices ? p.node.choices.map((c) => c.value) : [headlessValue(p.node, s.facts, {})];
      for (const value of values) {
        const r = answer(flow, s, value, opts.now);
        if (!r.ok) continue;
        let t = s;
        for (const e of r.events) t = reduce(t, append(e));
        const ev = r.events[0] as Extract<NewEvent, { type: 'answer' }>;
        next.push({ s: t, moves: [...item.moves, moveOf(flow, p.node.id, 'answer', ev.value, ev.label, ev.next)] });
      }
    }
    frontier = next;
  }
  return undefined;
}

function moveOf(flow: Flow, id: string, kind: Move['kind'], value: string, label: string, next: string): Move {
  const node = nodeById(flow, id);
  return { node: id, title: node.title, phase: node.phase, kind, value, label, next };
}
