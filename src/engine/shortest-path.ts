import { advance, type CheckRunner } from './advance.js';
import type { JournalEvent, NewEvent } from './events.js';
import type { Flow, Phase } from './flow-schema.js';
import { headlessValue, initialState, nodeById, type FindingEntry, type SessionState } from './session.js';

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
  runCheck: CheckRunner;
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
      const here = advance(flow, item.s, null, append, opts.now);
      const s = here.state;
      const goal = causeFound(s, opts.causes, opts.pinned);
      if (goal) return { moves: item.moves, goalNode: goal.node, goalPhase: nodeById(flow, goal.node).phase, cause: goal.cause };
      const key = `${s.node}|${JSON.stringify(s.facts)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (++states > max) return undefined;
      const w = here.waiting;
      if (w.kind === 'done') continue;
      if (w.kind === 'check') {
        const record = await opts.runCheck(w.node, w.params, s, () => {});
        const t = advance(flow, s, { kind: 'check', record }, append, opts.now);
        next.push({ s: t.state, moves: [...item.moves, moveOf(flow, w.node.id, 'check', record.result.outcome, record.result.summary, checkNext(t.state, w.node.id))] });
        continue;
      }
      const values = w.node.id in opts.pinned
        ? [opts.pinned[w.node.id]]
        : w.node.choices ? w.node.choices.map((c) => c.value) : [headlessValue(w.node, s.facts, {})];
      for (const value of values) {
        let answered: Extract<NewEvent, { type: 'answer' }> | undefined;
        const t = advance(flow, s, { kind: 'answer', value }, (e) => {
          if (e.type === 'answer') answered = e;
          return append(e);
        }, opts.now);
        if (!t.ok || !answered) continue;
        next.push({ s: t.state, moves: [...item.moves, moveOf(flow, w.node.id, 'answer', answered.value, answered.label, answered.next)] });
      }
    }
    frontier = next;
  }
  return undefined;
}

/** Where the check led: the node recorded right after it on the path. */
function checkNext(s: SessionState, node: string): string {
  const i = s.path.lastIndexOf(node);
  return s.path[i + 1] ?? s.node ?? '';
}

function moveOf(flow: Flow, id: string, kind: Move['kind'], value: string, label: string, next: string): Move {
  const node = nodeById(flow, id);
  return { node: id, title: node.title, phase: node.phase, kind, value, label, next };
}
