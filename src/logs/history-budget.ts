/**
 * The memory budget of the per-target history and the record of what keeping
 * within it did. Within the budget the analysis is exact. Past it (analyzer.ts,
 * compactHistory): hours that ended 2 h before the newest line are folded into per-record
 * gap summaries, after pending 502s keep their idle gap and minute counts from them, which
 * is exact for logs read in time order; if that is not enough, hours up to 10 minutes
 * before the newest line, which is exact unless lines come more than 10 minutes late; then
 * the least active records with no pending 502 are spilled into one shared summary (a 502
 * on such a target later has no earlier history, its requests leave the per-target table,
 * targets seen becomes an estimate); last, every hour. The analysis notes each of these.
 */
import { FoldedGaps } from './target-timeline.js';

/** Per analyzer, so per worker thread too: each compacts its own share. */
export const HISTORY_BUDGET_BYTES = 48 * 1024 * 1024;
export const MAX_SLOTS = 100_000;
/** Bytes counted for a record's object, its map entries and its cache entry. */
export const SLOT_BYTES = 160;
export function targetBytes(key: string): number {
  return 160 + 2 * key.length;
}
export const HOUR_MS = 3_600_000;
/** Logs come in time order per node, files within minutes of each other: 2 h older than the newest is settled. */
export const HORIZON_MS = 2 * HOUR_MS;
/** The horizon when 2 h do not fit: still past the 5 minutes an ELB log file spans. */
export const TIGHT_HORIZON_MS = 10 * 60_000;
/** One line adds at most about this much history, so checking before each line keeps within the budget. */
export const HEADROOM_BYTES = 4096;
/** Compaction goes down to this share of the budget, so it runs seldom. */
export const LOW_WATER = 0.75;

/** What compaction did, for the notes of the analysis; plain data, so a worker can post it. */
export interface HistoryCompaction {
  /** Hours before this one were folded away; -1 when none. */
  foldedBeforeHour: number;
  /** The 2 h horizon did not fit: hours were folded up to minutes before the newest line. */
  tight: boolean;
  spilledSlots: number;
  spilledTargets: number;
  /** The spilled records, summed: their responses, requests and ordinary gaps. */
  other: { responses: number; requests: number; gapsOk: number[]; okAfterGap: number; okShortGap: number };
  /** Lines or 502s that came for hours already folded (input out of time order). */
  lateLines: number;
  /** Records with pending 502s alone exceeded the budget or K. */
  overBudget: boolean;
  /** A worker's partial brought folded history: minute counts where its share meets another may be approximate. */
  mergedFolded: boolean;
  /** The most bytes held before any compaction brought them down. */
  peakBytes: number;
}

export function emptyCompaction(): HistoryCompaction {
  return {
    foldedBeforeHour: -1, tight: false, spilledSlots: 0, spilledTargets: 0,
    other: { responses: 0, requests: 0, gapsOk: new FoldedGaps().gapsOk, okAfterGap: 0, okShortGap: 0 },
    lateLines: 0, overBudget: false, mergedFolded: false, peakBytes: 0,
  };
}
