/**
 * What the analysis says when the history budget (analyzer.ts, compactHistory) changed
 * how it was reached: which results stay exact and which became approximate.
 */
import type { AnalyzerState } from './analyzer.js';

function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(0)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}

export function historyNotes(a: AnalyzerState): string[] {
  const c = a.compaction;
  const notes: string[] = [];
  const budget = size(a.budget);
  if (c.foldedBeforeHour >= 0) {
    const cut = new Date(c.foldedBeforeHour * 3_600_000).toISOString().slice(0, 16);
    notes.push(`per-target history before ${cut}Z was summarised to stay within the ${budget} history budget; exact for logs read in time order` +
      (c.tight ? ', except that less than the last 2 h fitted: idle gaps and bursts of 502s read near the cut are approximate' : ''));
  }
  const late = c.lateLines + a.meter.late + a.pending.late;
  if (late > 0) notes.push(`${late} line(s) came after their hour had been summarised (logs not in time order): idle gaps and bursts around them are approximate`);
  if (c.spilledSlots > 0) {
    notes.push(`past the record limit or the ${budget} budget, the least active (ALB node, target) records with no pending connection-closed 502 went into one summary ${c.spilledSlots} time(s) ` +
      `(${c.other.responses} responses, ${c.other.requests} requests): a 502 on them later is judged without their earlier traffic, spilled targets show no request counts and targets seen is an estimate; results are approximate`);
  }
  if (c.mergedFolded) notes.push('worker threads summarised their history: bursts of 502s where one thread\'s files meet the next are counted from what both kept, and may be approximate');
  if (c.overBudget) notes.push(`records with pending connection-closed 502s alone needed more than the ${budget} history budget or the record limit: memory went past it`);
  return notes;
}
