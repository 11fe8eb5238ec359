// The postmortem as data: what buildPostmortem makes and every layout and the redaction read.
import type { Confidence, Source } from '../engine/vocabulary.js';
import type { Chart } from './charts.js';
import type { ActionItem, Lessons } from './follow-up.js';
import type { Impact } from './impact.js';
import type { PathEdge } from './mermaid.js';

export interface ReportCause {
  id: string;
  title: string;
  confidence: Confidence;
  why?: string;
  /** The strongest evidence for it (or, when ruled out, against it), at most three lines. */
  evidence: string[];
  /** How many more pieces of evidence the journal holds. */
  moreEvidence: number;
  fix?: string;
  /** Confirmed symptoms this cause accounts for. */
  explains?: string[];
}

export interface TimelineEntry {
  at: string;
  event: string;
  /** A time the responder gave (typed or relative): shown to the minute, never to the millisecond. */
  reported?: boolean;
  /** A time known to the minute only (a per-minute count). */
  minute?: boolean;
}

export interface Postmortem {
  title: string;
  sessionId: string;
  flow: { id: string; title: string };
  /** The incident's state at the end of the investigation (resolved, mitigated, ongoing…). */
  status: string;
  document: { status: 'Draft'; authors: string; owners: string; date: string };
  incident: { startedAt?: string; url?: string; pattern?: string; recentChange?: string };
  investigation: { startedAt: string; endedAt?: string; durationMinutes: number };
  target: { lb?: string; region?: string; account?: string; mode: string };
  summary: string;
  impact: Impact;
  trigger: string[];
  detection: string[];
  timeline: TimelineEntry[];
  /** Moments for the mermaid timeline: the incident's own, not every step of the investigation. */
  milestones: TimelineEntry[];
  rootCauses: ReportCause[];
  contributingFactors: ReportCause[];
  ruledOut: ReportCause[];
  /** Weaker evidence the board outweighed, kept out of the cause blocks. */
  conflicts: string[];
  resolution: string[];
  /** Code the checks produced for the fix (e.g. the backend's keep-alive settings). */
  fixSnippet?: string;
  /** Commands the confirming evidence spelled out with this incident's ids, for the fix. */
  fixCommands: string[];
  actionItems: ActionItem[];
  lessons: Lessons;
  checks: { node: string; check: string; status: string; outcome: string; summary: string; sources: Source[] }[];
  charts: Chart[];
  path: { nodes: { id: string; title: string; phase: string }[]; edges: PathEdge[]; mermaid: string };
}
