import { NO_RELATIONS, type CauseRelations } from './causes.js';
import type { FindingEntry, SessionState } from './session.js';
import { STRENGTH_RANK, type Confidence, type Strength } from './vocabulary.js';

/** One piece of evidence as the board, the report and --json cite it. */
export interface EvidenceItem {
  text: string;
  strength: Strength;
  /** Where it came from: the check id, or the node the responder answered at. */
  source: string;
  /** Whether it speaks for the cause or against it. */
  stance: 'for' | 'against';
  at: string;
}

/** Evidence for and against one cause that disagree; the stronger side stands. */
export interface Conflict {
  cause: string;
  /** The side the board kept: the stronger, or the latest when both weigh the same. */
  kept: 'for' | 'against';
  because: 'stronger' | 'latest';
  for: EvidenceItem[];
  against: EvidenceItem[];
}

export interface BoardEntry {
  cause: string;
  kind: 'cause' | 'symptom';
  /** What the weighed evidence says now. */
  confidence: Confidence;
  /** The strength of the evidence that decided it. */
  strength: Strength;
  /** Every piece of evidence for or against it, strongest first, without repeats. */
  items: EvidenceItem[];
  /** The evidence texts, strongest first (what the screen shows). */
  evidence: string[];
  findings: FindingEntry[];
  /** Standing causes that explain this one (deepest first). */
  explainedBy: string[];
  conflict?: Conflict;
}

const RANK: Record<Confidence, number> = { confirmed: 3, likely: 2, suspected: 1, 'ruled-out': 0 };

function itemOf(f: FindingEntry, text: string): EvidenceItem {
  return { text, strength: f.strength, source: f.check ?? f.node, stance: f.confidence === 'ruled-out' ? 'against' : 'for', at: f.at };
}

/**
 * Weighs one cause's findings in the order they came: a stronger or equally strong finding
 * decides (against wins until new evidence for; among evidence for, the highest confidence
 * counts), a weaker one that disagrees is kept as a conflict but never overturns.
 */
function weigh(cause: string, findings: FindingEntry[]): Omit<BoardEntry, 'kind' | 'explainedBy'> {
  let confidence: Confidence = findings[0].confidence;
  let strength: Strength = findings[0].strength;
  let disagreed = false;
  let lastWordFromWeaker = false;
  for (const f of findings.slice(1)) {
    const against = f.confidence === 'ruled-out';
    const standingAgainst = confidence === 'ruled-out';
    const agrees = against === standingAgainst;
    if (agrees) {
      if (!against && RANK[f.confidence] > RANK[confidence]) confidence = f.confidence;
      if (STRENGTH_RANK[f.strength] > STRENGTH_RANK[strength]) strength = f.strength;
      continue;
    }
    disagreed = true;
    if (STRENGTH_RANK[f.strength] < STRENGTH_RANK[strength]) {
      lastWordFromWeaker = true;
      continue;
    }
    lastWordFromWeaker = false;
    confidence = f.confidence;
    strength = f.strength;
  }
  const items: EvidenceItem[] = [];
  for (const f of findings) for (const text of f.evidence) if (!items.some((i) => i.text === text)) items.push(itemOf(f, text));
  items.sort((a, b) => STRENGTH_RANK[b.strength] - STRENGTH_RANK[a.strength]);
  const kept = confidence === 'ruled-out' ? 'against' : 'for';
  const conflict: Conflict | undefined = disagreed
    ? {
      cause, kept,
      because: lastWordFromWeaker || items.some((i) => i.stance !== kept && STRENGTH_RANK[i.strength] < STRENGTH_RANK[strength]) ? 'stronger' : 'latest',
      for: items.filter((i) => i.stance === 'for'), against: items.filter((i) => i.stance === 'against'),
    }
    : undefined;
  return { cause, confidence, strength, items, evidence: items.map((i) => i.text), findings, ...(conflict ? { conflict } : {}) };
}

/**
 * The hypothesis board: every cause suspected, confirmed or ruled out, weighed by the
 * strength of its evidence. Standing entries come first: a cause before the symptoms and
 * generic causes it explains (the deepest standing cause leads), then by confidence, then
 * by strength; ruled-out ones last.
 */
export function board(s: Pick<SessionState, 'findings'>, relations: CauseRelations = NO_RELATIONS): BoardEntry[] {
  const byCause = new Map<string, FindingEntry[]>();
  for (const f of s.findings) byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), f]);
  const order = [...byCause.keys()];
  const weighed = order.map((cause) => ({ ...weigh(cause, byCause.get(cause)!), kind: relations.kind(cause) }));
  const standing = new Set(weighed.filter((e) => e.confidence !== 'ruled-out').map((e) => e.cause));
  const depth = (cause: string) => [...relations.explains(cause)].filter((x) => standing.has(x)).length;
  const entries: BoardEntry[] = weighed.map((e) => ({
    ...e,
    explainedBy: e.confidence === 'ruled-out' ? [] : [...standing].filter((other) => other !== e.cause && relations.explains(other).has(e.cause)).sort((a, b) => depth(b) - depth(a)),
  }));
  const key = (e: BoardEntry) => [
    e.confidence === 'ruled-out' ? 1 : 0,
    e.explainedBy.length ? 1 : 0,
    -RANK[e.confidence],
    -STRENGTH_RANK[e.strength],
    -depth(e.cause),
    order.indexOf(e.cause),
  ];
  return entries.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
}

/** Causes still standing (not ruled out), most likely first. */
export function standingCauses(s: Pick<SessionState, 'findings'>, relations: CauseRelations = NO_RELATIONS): BoardEntry[] {
  return board(s, relations).filter((e) => e.confidence !== 'ruled-out');
}
