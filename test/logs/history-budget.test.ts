/**
 * The per-target history keeps within a memory budget (issue 15). Within it nothing
 * changes; past it old hours are folded (exact for logs read in time order) and the least
 * active records are spilled (approximate, and the analysis says so). The lines are the
 * documented ALB format (fixtures.ts); file names follow the ELB object naming, 5 minutes
 * per file and ALB node, so sorted names are time order as in a real log directory.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ActivityBits, FoldedGaps, gapBucket, HistoryMeter, MinuteCounts } from '../../src/logs/target-timeline.js';
import { AnalyzerState, type AnalyzerOptions } from '../../src/logs/analyzer.js';
import { LogFileParser } from '../../src/logs/file-parser.js';
import { concludeAnalysis } from '../../src/logs/conclude.js';
import { mergePartial, toPartial } from '../../src/logs/partial.js';
import type { LogAnalysis } from '../../src/logs/types.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeInputs } from '../../src/logs/run-analysis.js';
import { renderAnalysis } from '../../src/logs/render-text.js';
import { resolveLocalSource } from '../../src/logs/local-source.js';
import { albLine, iso } from './fixtures.js';

const H0 = Date.UTC(2024, 2, 5, 0, 0, 0);
const FILE_MS = 300_000;
const NODES = ['10.0.0.5', '10.0.0.6'];
const BUSY = Array.from({ length: 4 }, (_, k) => `10.0.1.${10 + k}:8080`);
const QUIET = '10.0.2.10:3000';
const CRASHING = BUSY[3];

const ok = (ms: number, target: string): string =>
  albLine({ time: iso(ms + 3), created: iso(ms), target, timings: '0.000 0.003 0.000', elb: '200', tstat: '200' });
/** Sent, closed at once with no status: what a keep-alive race leaves (article 002). */
const closed = (ms: number, target: string): string =>
  albLine({ time: iso(ms), created: iso(ms), target, timings: '0.000 0.000 -1', elb: '502', tstat: '-' });
/** Never dispatched: a crashed target refusing connections. */
const refused = (ms: number, target: string): string =>
  albLine({ time: iso(ms), created: iso(ms), target, timings: '-1 -1 -1', elb: '502', tstat: '-' });

function elbName(fileEndMs: number, node: string): string {
  const t = new Date(fileEndMs).toISOString();
  const stamp = `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 13)}${t.slice(14, 16)}Z`;
  return `123456789012_elasticloadbalancing_us-east-2_app.shop-prod.50dc6c495c0c9188_${stamp}_${node}_${(fileEndMs / FILE_MS).toString(36)}x.log`;
}

function rng(seed: number): () => number {
  // mulberry32: the same lines every run.
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `hours` of traffic: busy targets on both nodes; a quiet target whose connection is
 * closed after each 5.5 s pause (keep-alive race); a crash burst on one busy target every
 * 100 minutes; `idle` extra targets with a request or two an hour.
 */
function incident(hours: number, idle = 0): [string, string][] {
  const rnd = rng(7);
  const byFile = new Map<string, { ms: number; line: string }[]>();
  const add = (ms: number, node: string, line: string, endMs = ms): void => {
    const end = (Math.floor(endMs / FILE_MS) + 1) * FILE_MS;
    const name = elbName(end, node);
    const list = byFile.get(name) ?? [];
    list.push({ ms: endMs, line });
    byFile.set(name, list);
  };
  const endMs = H0 + hours * 3_600_000;
  for (const node of NODES) {
    for (const target of BUSY) {
      for (let t = H0 + Math.floor(rnd() * 12_000); t < endMs; t += 2000 + Math.floor(rnd() * 20_000)) add(t, node, ok(t, target), t + 3);
    }
  }
  for (let t = H0 + 10_000; t < endMs - 60_000;) {
    for (let j = 0; j < 20; j++, t += 1000) add(t, NODES[0], ok(t, QUIET), t + 3);
    t += 5_500;
    add(t, NODES[0], closed(t, QUIET));
    t += 60_000 + Math.floor(rnd() * 60_000);
  }
  for (let m = 100; m < hours * 60; m += 100) {
    for (let k = 0; k < 6; k++) add(H0 + m * 60_000 + 5000 + k * 3000, NODES[1], refused(H0 + m * 60_000 + 5000 + k * 3000, CRASHING));
  }
  for (let i = 0; i < idle; i++) {
    const target = `10.0.${4 + (i >> 8)}.${i & 255}:8080`;
    for (let h = 0; h < hours; h++) {
      const t = H0 + h * 3_600_000 + Math.floor(rnd() * 3_500_000);
      add(t, NODES[i % 2], ok(t, target), t + 3);
    }
  }
  return [...byFile.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([name, lines]) => [name, lines.sort((x, y) => x.ms - y.ms).map((l) => l.line).join('\n') + '\n']);
}

/** Reads the files in order, as a single thread reads a sorted directory. */
function read(files: [string, string][], opts: AnalyzerOptions = {}, afterFile?: (s: AnalyzerState) => void): AnalyzerState {
  const state = new AnalyzerState(opts);
  for (const [name, body] of files) {
    const p = new LogFileParser(state, name);
    p.push(Buffer.from(body));
    p.end();
    afterFile?.(state);
  }
  return state;
}

function analyse(files: [string, string][], opts: AnalyzerOptions = {}, afterFile?: (s: AnalyzerState) => void): { a: LogAnalysis; state: AnalyzerState } {
  const state = read(files, opts, afterFile);
  return { a: concludeAnalysis(state), state };
}

const causeCounts = (a: LogAnalysis): Record<string, number> => Object.fromEntries(a.causes.map((c) => [c.cause, c.count]));

describe('history within a memory budget', () => {
  const files = incident(12);
  const full = analyse(files);

  it('under the budget nothing is folded and the analysis has no notes', () => {
    expect(full.state.compaction.foldedBeforeHour).toBe(-1);
    expect(full.a.notes).toBeUndefined();
    expect(full.state.meter.bytes).toBe(full.state.recountHistoryBytes());
    expect(causeCounts(full.a)).toMatchObject({ 'keepalive-race': expect.any(Number), 'target-crashed-or-overloaded': 42 });
    expect(full.a.keepalive.signature).toBe(true);
  });

  it('a budget of half what 12 h of time-ordered logs need folds old hours and gives exactly the same causes and keep-alive signature', () => {
    const budget = Math.floor(full.state.peakHistoryBytes / 2);
    const small = analyse(files, { historyBudgetBytes: budget });
    const c = small.state.compaction;
    expect(c.foldedBeforeHour).toBeGreaterThan(Math.floor(H0 / 3_600_000));
    expect(c).toMatchObject({ tight: false, spilledSlots: 0, lateLines: 0, overBudget: false });
    expect(small.state.peakHistoryBytes).toBeLessThanOrEqual(budget);
    expect(small.state.meter.bytes).toBe(small.state.recountHistoryBytes());
    expect(causeCounts(small.a)).toEqual(causeCounts(full.a));
    expect(small.a.keepalive).toEqual(full.a.keepalive);
    const { notes, ...rest } = small.a;
    expect(rest).toEqual(full.a);
    expect(notes?.join(' ')).toMatch(/summarised to stay within the \d+ KB history budget; exact for logs read in time order$/);
    expect(renderAnalysis(small.a)).toMatch(/^note: per-target history before 2024-03-05T\d\d:00Z was summarised/m);
    expect(renderAnalysis(full.a)).not.toMatch(/^note:/m);
  });

  it("a worker's partial carries folded history: merged, it gives the same causes and keep-alive signature", () => {
    const opts = { historyBudgetBytes: Math.floor(full.state.peakHistoryBytes / 2) };
    const worker = read(files, opts);
    expect(worker.compaction.foldedBeforeHour).toBeGreaterThan(0);
    const main = new AnalyzerState(opts);
    mergePartial(main, structuredClone(toPartial(worker)));
    expect(main.meter.bytes).toBe(main.recountHistoryBytes());
    const merged = concludeAnalysis(main);
    expect(causeCounts(merged)).toEqual(causeCounts(full.a));
    expect(merged.keepalive).toEqual(full.a.keepalive);
    expect(merged.notes?.join(' ')).toMatch(/worker threads summarised their history/);
  });

  it('worker threads, each within a small budget, find the same causes and keep-alive signature in time-ordered files, and say history was summarised', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'badgate-budget-'));
    try {
      for (const [name, body] of files) writeFileSync(path.join(dir, name), body);
      const budget = Math.floor(full.state.peakHistoryBytes / 2);
      for (const jobs of [2, 3]) {
        const r = await analyzeInputs(await resolveLocalSource(dir), { jobs, historyBudgetBytes: budget });
        // Folded gaps join across the seam as one thread measures them.
        expect(causeCounts(r)).toEqual(causeCounts(full.a));
        expect(r.keepalive).toEqual(full.a.keepalive);
        // Whether a share needed folding depends on its size; this thread's merge folds in any case.
        expect(r.notes?.join(' ')).toMatch(/summarised to stay within the \d+ KB history budget/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('out of time order, lines for hours already folded are counted and the result says it is approximate', () => {
    const budget = Math.floor(full.state.peakHistoryBytes / 2);
    const shuffled = [...files.slice(files.length / 2), ...files.slice(0, files.length / 2)];
    const r = analyse(shuffled, { historyBudgetBytes: budget });
    expect(r.state.peakHistoryBytes).toBeLessThanOrEqual(budget);
    expect(r.state.meter.bytes).toBe(r.state.recountHistoryBytes());
    expect(r.a.notes?.join(' ')).toMatch(/line\(s\) came after their hour had been summarised .*approximate/);
  });
});

describe('many targets over many hours', () => {
  it('5,000 targets over 24 h never hold more history than the budget, by the accounting', () => {
    const budget = 8 << 20;
    const targets = 5000;
    const state = new AnalyzerState({ historyBudgetBytes: budget });
    let peakAfterFile = 0;
    let checked = 0;
    // Files of 5 minutes: each target gets a request at its own offset in every hour.
    for (let f = 0; f < 24 * 12; f++) {
      const from = H0 + f * FILE_MS;
      const lines: string[] = [];
      for (let i = 0; i < targets; i++) {
        const at = (i * 7919) % 3_600_000;
        for (const t of [at, (at + 1_800_000) % 3_600_000]) {
          const ms = Math.floor(from / 3_600_000) * 3_600_000 + t;
          if (ms >= from && ms < from + FILE_MS) lines.push(`${ms}\t${ok(ms, `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}:8080`)}`);
        }
      }
      // A keep-alive race now and then on one target, so some 502s wait for the end.
      lines.push(`${from + 60_000}\t${closed(from + 60_000, '10.1.0.1:8080')}`);
      lines.sort();
      const p = new LogFileParser(state, elbName(from + FILE_MS, NODES[0]));
      p.push(Buffer.from(lines.map((l) => l.slice(l.indexOf('\t') + 1)).join('\n') + '\n'));
      p.end();
      peakAfterFile = Math.max(peakAfterFile, state.meter.bytes);
      if (f % 48 === 0) {
        expect(state.meter.bytes).toBe(state.recountHistoryBytes());
        checked++;
      }
    }
    const a = concludeAnalysis(state);
    expect(a.requests).toBe(targets * 2 * 24 + 24 * 12);
    expect(checked).toBe(6);
    // Unbounded this is > 5,000 × 24 h × 240 B of minute counts alone (28.8 MB).
    expect(state.compaction.foldedBeforeHour).toBeGreaterThan(0);
    expect(state.peakHistoryBytes).toBeLessThanOrEqual(budget);
    expect(peakAfterFile).toBeLessThanOrEqual(budget);
    expect(state.meter.bytes).toBe(state.recountHistoryBytes());
    expect(a.targetsSeen).toBeGreaterThanOrEqual(targets);
    expect(a.notes?.length).toBeGreaterThan(0);
  });
});

describe('past K records', () => {
  it('the least active records are spilled, the dominant cause is the same and the analysis says it is approximate', () => {
    const files = incident(6, 600);
    const full = analyse(files);
    const k = 60;
    const capped = analyse(files, { maxSlots: k }, (s) => expect(s.slots.size).toBeLessThanOrEqual(k + 1));
    expect(full.state.slots.size).toBeGreaterThan(600);
    expect(capped.state.compaction.spilledSlots).toBeGreaterThan(0);
    expect(capped.state.slots.size).toBeLessThanOrEqual(k);
    expect(capped.state.meter.bytes).toBe(capped.state.recountHistoryBytes());
    expect(capped.a.verdict.cause).toBe(full.a.verdict.cause);
    expect(capped.a.verdict.cause).toBe('keepalive-race');
    expect(causeCounts(capped.a)).toEqual(causeCounts(full.a));
    expect(capped.a.notes?.join(' ')).toMatch(/least active \(ALB node, target\) records with no pending connection-closed 502 went into one summary \d+ time\(s\).*approximate/);
    // 600 idle targets, 4 busy, the quiet one, the crashing one among the busy: an estimate, near.
    expect(Math.abs(capped.a.targetsSeen - full.a.targetsSeen)).toBeLessThanOrEqual(full.a.targetsSeen * 0.05);
  });
});

describe('targets scaled in and out', () => {
  it('past K, the targets no longer seen are spilled, not the new busy ones', () => {
    // 200 targets for 3 h, then 200 others (autoscaling replaced them); room for 250.
    const files: [string, string][] = [];
    for (let f = 0; f < 6 * 12; f++) {
      const from = H0 + f * FILE_MS;
      const set = f < 36 ? 0 : 1;
      const lines: { ms: number; line: string }[] = [];
      for (let i = 0; i < 200; i++) {
        for (let k = 0; k < 5; k++) {
          const ms = from + ((i * 977 + k * 60_011) % FILE_MS);
          lines.push({ ms, line: ok(ms, `10.${2 + set}.${i >> 8}.${i & 255}:8080`) });
        }
      }
      lines.sort((x, y) => x.ms - y.ms);
      files.push([elbName(from + FILE_MS, NODES[0]), lines.map((l) => l.line).join('\n') + '\n']);
    }
    const r = analyse(files, { maxSlots: 250 });
    // Each old target once, when the new ones pushed past K; none of the new ones.
    expect(r.state.compaction.spilledSlots).toBeLessThanOrEqual(200);
    expect([...r.state.slots.keys()].filter((k) => k.includes('|10.3.')).length).toBe(200);
    expect(Math.abs(r.a.targetsSeen - 400)).toBeLessThanOrEqual(20);
  });
});

describe('distinct targets in a fixed sketch', () => {
  it('estimates within a few percent from 10 to 100,000 keys, and merges as the union', async () => {
    const { DistinctCount } = await import('../../src/logs/distinct-count.js');
    for (const n of [10, 1000, 100_000]) {
      const d = new DistinctCount();
      for (let i = 0; i < n; i++) d.add(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:8080`);
      expect(Math.abs(d.estimate - n)).toBeLessThanOrEqual(Math.max(1, n * 0.05));
    }
    const a = new DistinctCount();
    const b = new DistinctCount();
    for (let i = 0; i < 3000; i++) (i < 2000 ? a : b).add(`t${i}`);
    for (let i = 1000; i < 2000; i++) b.add(`t${i}`);
    a.merge(b.registers);
    expect(Math.abs(a.estimate - 3000)).toBeLessThanOrEqual(150);
  });
});

describe('folding hours of marks', () => {
  const N = 2;
  const IDLE = 60;
  /** The baseline keepalive() takes from a record: live gaps from forEachGap plus the folded ones. */
  function baseline(b: ActivityBits): { gapsOk: number[]; after: number; short: number; seconds: number } {
    const f = b.folded ?? new FoldedGaps();
    const gapsOk = [...f.gapsOk];
    let after = f.okAfterGap;
    let short = f.okShortGap;
    let seconds = f.seconds;
    b.forEachGap(3600, (gap) => {
      seconds++;
      gapsOk[gapBucket(gap)]++;
      if (gap >= N && gap <= IDLE) after++;
      else if (gap < N) short++;
    });
    return { gapsOk, after, short, seconds };
  }

  it('in time order, folding any hours gives the same gaps, baseline and bytes as keeping them', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5 * 3600 }), { maxLength: 500 }), fc.integer({ min: 0, max: 6 }), fc.array(fc.integer({ min: 0, max: 5 * 3600 }), { maxLength: 20 }), (raw, cutHour, queries) => {
      const base = 1_709_632_800; // an hour boundary, in seconds
      const marks = [...raw].sort((x, y) => x - y);
      const meter = new HistoryMeter();
      const kept = new ActivityBits();
      const folded = new ActivityBits(meter);
      const cut = Math.floor(base / 3600) + cutHour;
      let didFold = false;
      for (const m of marks) {
        // Fold once the first mark at or past the cut arrives: everything before it has come.
        if (!didFold && base + m >= cut * 3600) {
          folded.foldBefore(cut, N, IDLE);
          didFold = true;
        }
        kept.mark((base + m) * 1000 + 250);
        folded.mark((base + m) * 1000 + 250);
      }
      if (!didFold) folded.foldBefore(cut, N, IDLE);
      expect(baseline(folded)).toEqual(baseline(kept));
      expect(folded.marks).toBe(kept.marks);
      expect(meter.bytes).toBe(folded.accountedBytes);
      for (const q of queries) {
        if (base + q < cut * 3600) continue;
        expect(folded.gapBefore((base + q) * 1000 + 900)).toBe(kept.gapBefore((base + q) * 1000 + 900));
      }
      expect(meter.late).toBe(0);
    }), { numRuns: 300 });
  });

  it('minute counts account their hours and give them back when dropped', () => {
    const meter = new HistoryMeter();
    const c = new MinuteCounts(meter);
    for (let h = 0; h < 5; h++) for (let m = 0; m < 60; m += 7) c.add(H0 + h * 3_600_000 + m * 60_000);
    expect(meter.bytes).toBe(5 * 240);
    c.dropBefore(Math.floor(H0 / 3_600_000) + 3);
    expect(meter.bytes).toBe(2 * 240);
    expect(c.at(Math.floor(H0 / 60_000) + 3 * 60 + 7)).toBe(1);
    expect(c.at(Math.floor(H0 / 60_000) + 7)).toBe(0);
    c.add(H0 + 1000);
    expect(meter.late).toBe(1);
  });
});
