import type { JournalEvent } from './events.js';
import type { Flow, Phase } from './flow-schema.js';
import { nodeById } from './session.js';
import type { ShortestPath } from './shortest-path.js';

export interface WrongTurn {
  node: string;
  title: string;
  chose: string;
  /** What the evidence supported, or the shortest path's choice at a free question. */
  expected: string;
}

export interface PathStepView {
  node: string;
  title: string;
  phase: Phase;
  /** What was answered or what the check gave; empty for a step that was undone. */
  did: string;
  undone?: boolean;
}

export interface DrillScore {
  named: string;
  correct: boolean;
  answer: string[];
  elapsedMs: number;
  goalPhase?: Phase;
  /** From the drill's start to the first time the trainee stood in the phase of the answer. */
  timeToPhaseMs?: number;
  /** From the start to the moment the cause first stood as confirmed or likely in the trainee's own session. */
  timeToEvidenceMs?: number;
  wrongTurns: WrongTurn[];
  backtracks: number;
  /** Checks the trainee ran at nodes the shortest path does not pass. */
  unneededChecks: { node: string; title: string }[];
  trainee: PathStepView[];
  shortest: PathStepView[];
}

export interface ScoreInput {
  flow: Flow;
  events: readonly JournalEvent[];
  shortest?: ShortestPath;
  pinned: Readonly<Record<string, string>>;
  causes: readonly string[];
  named: string;
  endedAt: Date;
  /** The facilitator's sheet: a check it points the trainee to is good practice, never "not needed". */
  facilitator?: string;
}

/** What a node's title names once the verb is gone: "Analyse the nginx error log" → "nginx error log". */
function subject(title: string): string {
  return title.toLowerCase().replace(/^(?:analy[sz]e|check|read|probe|find|measure|look at|request)\s+(?:the\s+)?/, '').replace(/\s*\(.*\)$/, '').trim();
}

/** Nodes whose subject the facilitator's sheet names (its hints, its evidence list). */
export function hintedNodes(flow: Flow, facilitator: string | undefined): Set<string> {
  const sheet = (facilitator ?? '').toLowerCase().replace(/\s+/g, ' ');
  const out = new Set<string>();
  if (!sheet) return out;
  for (const n of flow.nodes) {
    const what = subject(n.title);
    // Short subjects ("dns", "verify") would match anywhere; three words or a long phrase say something.
    if ((what.split(' ').length >= 3 || what.length >= 14) && sheet.includes(what)) out.add(n.id);
  }
  return out;
}

/**
 * Scores a drill from its journal alone, so the debrief of a finished session can be
 * rebuilt later and two facilitators get the same numbers.
 */
export function scoreDrill(i: ScoreInput): DrillScore {
  const start = i.events[0];
  const t0 = Date.parse(start.at);
  const since = (at: string) => Math.max(0, Date.parse(at) - t0);
  const shortestNodes = new Map((i.shortest?.moves ?? []).map((m) => [m.node, m]));
  const phaseOf = (id: string) => nodeById(i.flow, id).phase;
  const hinted = hintedNodes(i.flow, i.facilitator);

  const wrongTurns: WrongTurn[] = [];
  const unneededChecks: DrillScore['unneededChecks'] = [];
  const trainee: PathStepView[] = [];
  let backtracks = 0;
  let timeToPhaseMs: number | undefined;
  let timeToEvidenceMs: number | undefined;
  const enter = (node: string, at: string) => {
    if (timeToPhaseMs === undefined && i.shortest && phaseOf(node) === i.shortest.goalPhase) timeToPhaseMs = since(at);
  };
  if (start.type === 'start') enter(start.start, start.at);

  for (const e of i.events) {
    if (e.type === 'answer') {
      const title = nodeById(i.flow, e.node).title;
      trainee.push({ node: e.node, title, phase: phaseOf(e.node), did: e.label });
      // Typed answers (title, URL, times) are the trainee's own words, never a wrong turn.
      const node = nodeById(i.flow, e.node);
      const pinned = 'choices' in node && node.choices ? i.pinned[e.node] : undefined;
      const onPath = shortestNodes.get(e.node);
      if (pinned !== undefined && pinned !== e.value) wrongTurns.push({ node: e.node, title, chose: e.label, expected: labelOf(i.flow, e.node, pinned) });
      // A manual step (top, free, ss on a target) the drill does not simulate has no output to
      // misread: what the trainee records there is their call, not a wrong turn.
      else if (pinned === undefined && node.kind !== 'step' && !(e.node in i.pinned) && onPath && onPath.next !== e.next) wrongTurns.push({ node: e.node, title, chose: e.label, expected: onPath.label });
      enter(e.next, e.at);
    } else if (e.type === 'check') {
      const title = nodeById(i.flow, e.node).title;
      trainee.push({ node: e.node, title, phase: phaseOf(e.node), did: `${e.result.outcome}: ${e.result.summary}` });
      // Off the shortest path is not the same as not needed: a check the facilitator's sheet points
      // to, or one whose findings spoke for the answer, is good practice.
      const towardAnswer = (e.result.findings ?? []).some((x) => i.causes.includes(x.cause) && x.confidence !== 'ruled-out');
      if (i.shortest && !shortestNodes.has(e.node) && !hinted.has(e.node) && !towardAnswer) unneededChecks.push({ node: e.node, title });
      enter(e.next, e.at);
    } else if (e.type === 'branch') {
      enter(e.next, e.at);
    } else if (e.type === 'back') {
      backtracks++;
      // The undone step stays in the trainee's column, marked, so the debrief shows the detour.
      for (let k = trainee.length - 1; k >= 0; k--) {
        if (trainee[k].node === e.to && !trainee[k].undone) {
          trainee[k] = { ...trainee[k], undone: true };
          break;
        }
      }
    } else if (e.type === 'finding' && timeToEvidenceMs === undefined && i.causes.includes(e.cause)
      && (e.confidence === 'confirmed' || e.confidence === 'likely')) {
      timeToEvidenceMs = since(e.at);
    }
  }

  const shortest = (i.shortest?.moves ?? []).map((m): PathStepView => ({ node: m.node, title: m.title, phase: m.phase, did: m.kind === 'answer' ? m.label : `${m.value}: ${m.label}` }));
  return {
    named: i.named, correct: i.causes.includes(i.named), answer: [...i.causes],
    elapsedMs: Math.max(0, i.endedAt.getTime() - t0),
    goalPhase: i.shortest?.goalPhase, timeToPhaseMs, timeToEvidenceMs,
    wrongTurns, backtracks, unneededChecks, trainee, shortest,
  };
}

function labelOf(flow: Flow, node: string, value: string): string {
  const n = nodeById(flow, node);
  if ((n.kind === 'question' || n.kind === 'step') && n.choices) return n.choices.find((c) => c.value === value)?.label ?? value;
  return value;
}

/** `3m 05s`, for the debrief. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return 'never';
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
