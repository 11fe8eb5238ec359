import type { CheckResult, Confidence, Facts, Strength } from './vocabulary.js';
import { evaluateCondition } from './conditions.js';
import type { JournalEvent, MitigationResult, NewEvent, SessionContext } from './events.js';
import type { CheckNode, Flow, FlowNode, QuestionNode, StepNode } from './flow-schema.js';
import { parseInput, timeForms } from './inputs.js';
import { interpolate } from './template.js';

export interface FindingEntry {
  cause: string;
  confidence: Confidence;
  evidence: string[];
  node: string;
  at: string;
  via: 'check' | 'finding' | 'answer';
  strength: Strength;
  /** The check that found it, for citing the source. */
  check?: string;
}

/** Journals written before findings carried a strength: a check measured, anything else was said. */
export function strengthOf(e: { via: FindingEntry['via']; strength?: Strength }): Strength {
  return e.strength ?? (e.via === 'check' ? 'measured' : 'answer');
}

export interface CheckEntry {
  node: string;
  check: string;
  params: Record<string, string>;
  result: CheckResult;
  at: string;
}

export interface AnswerEntry {
  node: string;
  value: string;
  label: string;
  note?: string;
  at: string;
}

/** What `b` restores: the state just before an answer. */
interface Frame {
  node: string | null;
  facts: Facts;
  findings: FindingEntry[];
  checks: CheckEntry[];
  answers: AnswerEntry[];
  path: string[];
}

export interface SessionState extends Frame {
  sessionId: string;
  flowId: string;
  flowTitle: string;
  context: SessionContext;
  startedAt: string;
  notes: { text: string; at: string; node?: string }[];
  ended: { node: string; outcome?: string; at: string } | null;
  reports: string[];
  /** The cause the responder named, if they did. */
  verdict?: string;
  /** Mitigations shown for confirmed causes and what came of them, in order. */
  mitigations: { cause: string; result: MitigationResult; at: string }[];
  undo: Frame[];
  events: number;
}

function frameOf(s: SessionState): Frame {
  return { node: s.node, facts: s.facts, findings: s.findings, checks: s.checks, answers: s.answers, path: s.path };
}

/**
 * The state a journal describes. Pure; every screen is a function of it.
 * Gives the same state as folding `reduce` over the events, but in linear time: folding
 * copies every list on every event, which made a 100k-event resume take over a minute.
 * Lists only grow between an answer and the `back` that undoes it, so an undo frame is
 * kept as the lengths of the lists and sliced from the final lists only when used.
 */
export function replay(events: readonly JournalEvent[]): SessionState {
  const first = events[0];
  if (!first || first.type !== 'start') throw new Error('a journal must begin with a start event');
  const s = initialState(first);
  let node = s.node;
  let facts = s.facts;
  let ended = s.ended;
  let verdict: { cause: string } | undefined;
  const { findings, checks, answers, path, notes, reports, mitigations } = s;
  /** Where an undo frame's lists ended: each is a prefix of the lists that follow it. */
  interface Mark { node: string | null; facts: Facts; findings: number; checks: number; answers: number; path: number }
  const marks: Mark[] = [];
  for (let i = 1; i < events.length; i++) {
    const e = events[i];
    switch (e.type) {
      case 'answer':
        marks.push({ node, facts, findings: findings.length, checks: checks.length, answers: answers.length, path: path.length });
        node = e.next;
        path.push(e.next);
        facts = { ...facts, ...(e.set ?? {}) };
        answers.push({ node: e.node, value: e.value, label: e.label, note: e.note, at: e.at });
        break;
      case 'check':
        node = e.next;
        path.push(e.next);
        facts = { ...facts, ...(e.result.facts ?? {}) };
        checks.push({ node: e.node, check: e.check, params: e.params, result: e.result, at: e.at });
        break;
      case 'finding': {
        const check = e.via === 'check' ? checks.findLast((c) => c.node === e.node)?.check : undefined;
        findings.push({ cause: e.cause, confidence: e.confidence, evidence: e.evidence, node: e.node, at: e.at, via: e.via, strength: strengthOf(e), ...(check ? { check } : {}) });
        break;
      }
      case 'branch':
        node = e.next;
        path.push(e.next);
        if (e.set) facts = { ...facts, ...e.set };
        break;
      case 'note':
        notes.push({ text: e.text, at: e.at, node: e.node });
        break;
      case 'back': {
        const m = marks.pop();
        if (!m) break;
        node = m.node;
        facts = m.facts;
        findings.length = m.findings;
        checks.length = m.checks;
        answers.length = m.answers;
        path.length = m.path;
        ended = null;
        break;
      }
      case 'end':
        ended = { node: e.node, outcome: e.outcome, at: e.at };
        break;
      case 'report':
        reports.push(e.path);
        break;
      case 'verdict':
        verdict = { cause: e.cause };
        break;
      case 'mitigation':
        mitigations.push({ cause: e.cause, result: e.result, at: e.at });
        if (e.set) facts = { ...facts, ...e.set };
        break;
      case 'start':
        break;
      default: {
        // A new event type must be taught to replay as well as to reduce.
        const unhandled: never = e;
        void unhandled;
      }
    }
  }
  const lazy = <T>(list: readonly T[], n: number): (() => T[]) => {
    let copy: T[] | undefined;
    return () => (copy ??= list.slice(0, n));
  };
  const undo = marks.map((m): Frame => {
    const f = lazy(findings, m.findings);
    const c = lazy(checks, m.checks);
    const a = lazy(answers, m.answers);
    const p = lazy(path, m.path);
    return { node: m.node, facts: m.facts, get findings() { return f(); }, get checks() { return c(); }, get answers() { return a(); }, get path() { return p(); } };
  });
  return { ...s, node, facts, ended, undo, events: events.length, ...(verdict ? { verdict: verdict.cause } : {}) };
}

export function initialState(e: Extract<JournalEvent, { type: 'start' }>): SessionState {
  return {
    sessionId: e.sessionId, flowId: e.flow, flowTitle: e.flowTitle, context: e.context, startedAt: e.at,
    node: e.start, facts: { ...(e.facts ?? {}) }, findings: [], checks: [], answers: [], path: [e.start],
    notes: [], ended: null, reports: [], undo: [], events: 1, mitigations: [],
  };
}

export function reduce(s: SessionState, e: JournalEvent): SessionState {
  const n = { ...s, events: s.events + 1 };
  switch (e.type) {
    case 'start':
      return n;
    case 'answer':
      return {
        ...n, undo: [...s.undo, frameOf(s)], node: e.next, path: [...s.path, e.next],
        facts: { ...s.facts, ...(e.set ?? {}) },
        answers: [...s.answers, { node: e.node, value: e.value, label: e.label, note: e.note, at: e.at }],
      };
    case 'check':
      return {
        ...n, node: e.next, path: [...s.path, e.next], facts: { ...s.facts, ...(e.result.facts ?? {}) },
        checks: [...s.checks, { node: e.node, check: e.check, params: e.params, result: e.result, at: e.at }],
      };
    case 'finding': {
      const check = e.via === 'check' ? s.checks.findLast((c) => c.node === e.node)?.check : undefined;
      return { ...n, findings: [...s.findings, { cause: e.cause, confidence: e.confidence, evidence: e.evidence, node: e.node, at: e.at, via: e.via, strength: strengthOf(e), ...(check ? { check } : {}) }] };
    }
    case 'branch':
      return { ...n, node: e.next, path: [...s.path, e.next], facts: e.set ? { ...s.facts, ...e.set } : s.facts };
    case 'note':
      return { ...n, notes: [...s.notes, { text: e.text, at: e.at, node: e.node }] };
    case 'back': {
      const frame = s.undo[s.undo.length - 1];
      if (!frame) return n;
      return { ...n, ...frame, undo: s.undo.slice(0, -1), ended: null };
    }
    case 'end':
      return { ...n, ended: { node: e.node, outcome: e.outcome, at: e.at } };
    case 'report':
      return { ...n, reports: [...s.reports, e.path] };
    case 'verdict':
      return { ...n, verdict: e.cause };
    case 'mitigation':
      return { ...n, mitigations: [...s.mitigations, { cause: e.cause, result: e.result, at: e.at }], facts: e.set ? { ...s.facts, ...e.set } : s.facts };
  }
}

export type Pending =
  | { kind: 'ask'; node: QuestionNode | StepNode }
  | { kind: 'check'; node: CheckNode; params: Record<string, string> }
  | { kind: 'auto'; events: NewEvent[] }
  | { kind: 'done' };

export function nodeById(flow: Flow, id: string): FlowNode {
  const node = flow.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`flow ${flow.id} has no node "${id}"`);
  return node;
}

/** Fills a check's `with:` from facts; a missing fact becomes an empty string. */
export function checkParams(node: CheckNode, facts: Readonly<Facts>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.with ?? {})) {
    const filled = interpolate(v, facts);
    out[k] = /<[\w.]+>/.test(filled) && filled.replace(/<[\w.]+>/g, '').trim() === '' ? '' : filled;
  }
  return out;
}

/** What the session waits for now. Automatic nodes come back as events to append. */
export function pending(flow: Flow, s: SessionState): Pending {
  if (s.ended || s.node === null) return { kind: 'done' };
  const node = nodeById(flow, s.node);
  switch (node.kind) {
    case 'step':
      // A fallback is for a check that could not answer; after one that did, it is passed through.
      if (node.fallback && s.checks.at(-1)?.result.status !== 'unknown') return { kind: 'auto', events: [{ type: 'branch', node: node.id, next: node.next! }] };
      if (node.askIf && !evaluateCondition(node.askIf, s.facts)) return { kind: 'auto', events: [{ type: 'branch', node: node.id, next: node.next! }] };
      return { kind: 'ask', node };
    case 'question':
      return { kind: 'ask', node };
    case 'check':
      return { kind: 'check', node, params: checkParams(node, s.facts) };
    case 'finding':
      return {
        kind: 'auto',
        events: [
          { type: 'finding', node: node.id, cause: node.cause, confidence: node.confidence, evidence: [interpolate(node.evidence, s.facts)], via: 'finding', strength: node.strength ?? 'answer' },
          { type: 'branch', node: node.id, next: node.next },
        ],
      };
    case 'branch': {
      const hit = node.cases.find((c) => evaluateCondition(c.if, s.facts));
      return { kind: 'auto', events: [{ type: 'branch', node: node.id, next: hit ? hit.next : node.default, set: hit?.set }] };
    }
    case 'end':
      return { kind: 'auto', events: [{ type: 'end', node: node.id, outcome: node.outcome }] };
  }
}

export type AnswerResult = { ok: true; events: NewEvent[] } | { ok: false; error: string };

/** Turns what the responder chose or typed at the current node into events. */
export function answer(flow: Flow, s: SessionState, value: string, now: Date, note?: string): AnswerResult {
  const p = pending(flow, s);
  if (p.kind !== 'ask') return { ok: false, error: 'nothing is being asked right now' };
  const node = p.node;
  const trimmedNote = note?.trim() || undefined;
  if (node.choices) {
    const c = node.choices.find((x) => x.value === value);
    if (!c) return { ok: false, error: `"${value}" is not one of: ${node.choices.map((x) => x.value).join(', ')}` };
    const next = c.next ?? node.next!;
    const events: NewEvent[] = [{ type: 'answer', node: node.id, value: c.value, label: c.label, set: c.set, note: trimmedNote, next }];
    if (c.finding) {
      events.push({ type: 'finding', node: node.id, cause: c.finding.cause, confidence: c.finding.confidence, evidence: [interpolate(c.finding.evidence, s.facts)], via: 'answer', strength: c.finding.strength ?? 'answer' });
    }
    return { ok: true, events };
  }
  if (node.kind === 'question' && node.input) {
    if (value.trim() === '' && node.input.optional) {
      return { ok: true, events: [{ type: 'answer', node: node.id, value: '', label: '(skipped)', note: trimmedNote, next: node.next! }] };
    }
    // Times are read in the responder's zone, recorded at the start of the session.
    const parsed = parseInput(node.input.type, value, now, String(s.facts['session.timeZone'] ?? 'UTC'));
    if (!parsed.ok) return parsed;
    // A port typed with a host sets the sibling fact (backend.host → backend.port), so it is not asked again.
    const portFact = parsed.port !== undefined && node.input.fact.endsWith('.host') ? { [node.input.fact.replace(/\.host$/, '.port')]: parsed.port } : {};
    const forms = node.input.type === 'timestamp' ? timeForms(parsed.value) : undefined;
    const timeFacts = forms ? Object.fromEntries(Object.entries(forms).map(([k, v]) => [`${node.input!.fact}.${k}`, v])) : {};
    return { ok: true, events: [{ type: 'answer', node: node.id, value: parsed.value, label: parsed.label ?? (parsed.port ? `${parsed.value}:${parsed.port}` : parsed.value), set: { [node.input.fact]: parsed.value, ...portFact, ...timeFacts }, note: trimmedNote, next: node.next! }] };
  }
  return { ok: true, events: [{ type: 'answer', node: node.id, value: 'done', label: 'done', note: trimmedNote, next: node.next! }] };
}

/** First matching outcome wins; the last entry (no `when`) is the default. */
export function outcomeNext(node: CheckNode, outcome: string): string {
  const hit = node.outcomes.find((o) => o.when === undefined || [o.when].flat().includes(outcome));
  return (hit ?? node.outcomes[node.outcomes.length - 1]).next;
}

/** The events a check's result makes; the evidence rides along so the session can be re-evaluated offline. */
export function checkEvents(node: CheckNode, params: Record<string, string>, result: CheckResult, evidence?: unknown): NewEvent[] {
  return [
    { type: 'check', node: node.id, check: node.run, params, result, next: outcomeNext(node, result.outcome), ...(evidence !== undefined ? { evidence } : {}) },
    ...(result.findings ?? []).map((f): NewEvent => ({ type: 'finding', node: node.id, cause: f.cause, confidence: f.confidence, evidence: f.evidence, via: 'check', strength: f.strength ?? 'measured' })),
  ];
}

export function backEvent(s: SessionState): NewEvent | undefined {
  const frame = s.undo[s.undo.length - 1];
  if (!frame || frame.node === null || s.node === null) return undefined;
  return { type: 'back', from: s.node, to: frame.node };
}

/** The headless answer for a node: a `--answer` override, else the flow's default. */
export function headlessValue(node: QuestionNode | StepNode, facts: Readonly<Facts>, answers: Readonly<Record<string, string>>): string {
  if (node.id in answers) return answers[node.id];
  if (node.default !== undefined) return interpolate(node.default, facts).replace(/<[\w.]+>/g, '');
  return node.choices ? node.choices[0].value : 'done';
}
