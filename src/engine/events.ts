import type { CheckResult, Confidence, Facts, Strength } from './vocabulary.js';

export type MitigationResult = 'stopped' | 'failing' | 'later';

export type SessionMode = 'live' | 'manual' | 'replay' | 'drill';

export interface SessionContext {
  mode: SessionMode;
  lb?: string;
  url?: string;
  region?: string;
  profile?: string;
  since?: string;
  /** Set for drills and replays: where the environment came from. */
  source?: string;
}

interface Base {
  seq: number;
  /** ISO time in UTC. */
  at: string;
}

export type JournalEvent = Base & (
  | { type: 'start'; sessionId: string; flow: string; flowTitle: string; version: 1; start: string; context: SessionContext; facts?: Facts }
  | { type: 'answer'; node: string; value: string; label: string; set?: Facts; note?: string; next: string }
  /**
   * `evidence` is what the check collected (its provenance is in `result.sources`: call, params,
   * region, time and a hash of each raw answer), so `report --reevaluate` can re-run evaluate.
   */
  | { type: 'check'; node: string; check: string; params: Record<string, string>; result: CheckResult; next: string; evidence?: unknown }
  | { type: 'finding'; node: string; cause: string; confidence: Confidence; evidence: string[]; via: 'check' | 'finding' | 'answer'; strength?: Strength }
  | { type: 'branch'; node: string; next: string; set?: Facts }
  | { type: 'note'; text: string; node?: string }
  | { type: 'back'; from: string; to: string }
  | { type: 'end'; node: string; outcome?: string }
  | { type: 'report'; path: string }
  /** The root cause the responder names (a drill's trainee at the end of the drill). */
  | { type: 'verdict'; cause: string }
  /**
   * What the responder did with the mitigation shown for a confirmed cause: it stopped the 502s,
   * they go on, or later. `set` records it in facts (resolution.status, resolution.action).
   */
  | { type: 'mitigation'; cause: string; result: MitigationResult; set?: Facts }
);

export type EventType = JournalEvent['type'];
/** An event before the journal stamps it with seq and time. */
export type NewEvent = JournalEvent extends infer E ? (E extends JournalEvent ? Omit<E, 'seq' | 'at'> : never) : never;
