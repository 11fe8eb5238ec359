import type { Confidence } from './vocabulary.js';
import type { FindingEntry, SessionState } from './session.js';

export interface BoardEntry {
  cause: string;
  /** Strongest evidence for it, unless the latest word ruled it out. */
  confidence: Confidence;
  /** Every piece of evidence for or against it, oldest first, without repeats. */
  evidence: string[];
  findings: FindingEntry[];
}

const RANK: Record<Confidence, number> = { confirmed: 3, likely: 2, suspected: 1, 'ruled-out': 0 };

/** The hypothesis board: suspected, confirmed and ruled-out causes with their evidence. */
export function board(s: Pick<SessionState, 'findings'>): BoardEntry[] {
  const byCause = new Map<string, BoardEntry>();
  for (const f of s.findings) {
    const e = byCause.get(f.cause) ?? { cause: f.cause, confidence: f.confidence, evidence: [], findings: [] };
    // Evidence against wins until new evidence for; among evidence for, the strongest counts.
    if (f.confidence === 'ruled-out' || e.confidence === 'ruled-out') e.confidence = f.confidence;
    else if (RANK[f.confidence] > RANK[e.confidence]) e.confidence = f.confidence;
    for (const line of f.evidence) if (!e.evidence.includes(line)) e.evidence.push(line);
    e.findings.push(f);
    byCause.set(f.cause, e);
  }
  return [...byCause.values()].sort((a, b) => RANK[b.confidence] - RANK[a.confidence]);
}

/** Causes still standing (not ruled out), most likely first. */
export function standingCauses(s: Pick<SessionState, 'findings'>): BoardEntry[] {
  return board(s).filter((e) => e.confidence !== 'ruled-out');
}
