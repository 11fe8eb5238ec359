/**
 * What a worker thread found in its share of the files, as plain data (structured clone
 * keeps Maps, Sets and typed arrays but not classes), and how it is added to the state
 * of the thread that concludes. Merging keeps every cap the single-thread path keeps.
 */
import { MAX_REFS, MAX_SAMPLES, type AnalyzerState, type Tally, type TargetSlot } from './analyzer.js';
import type { HistoryCompaction } from './history-budget.js';
import { PackReader, PackWriter, type Packed } from './target-timeline.js';
import type { LineRef, LogCause, LogFormat, MalformedSample, SourceError } from './types.js';
import type { NginxKind } from './nginx-error.js';

/** Targets and (node, target) records in key order; their minutes and marks are in `packed`. */
interface TargetPart {
  key: string;
  requests: number;
  responded: number;
  lastResponseMs: number;
  lastSeenMs: number;
}

interface SlotPart {
  node: string;
  target: string;
}

interface PendingPart {
  n: number;
  /** Index into `slots`. */
  slot: Int32Array;
  reqMs: Float64Array;
  endMs: Float64Array;
  flags: Int32Array;
  held: Float64Array;
  file: Int32Array;
  line: Int32Array;
  /** Per 502, four values kept before its history was folded: gap, minutes m-1, m, m+1 (NaN: none). */
  resolved: Float64Array;
  late: number;
  text: Map<number, string>;
  overflow: { target: string; count: number; refs: LineRef[]; minutes: Map<number, number> }[];
}

export interface AnalyzerPartial {
  formats: Set<LogFormat>;
  files: number;
  bytes: number;
  errors: SourceError[];
  partial: boolean;
  lines: number;
  blank: number;
  outOfWindow: number;
  malformed: number;
  malformedByReason: Map<string, number>;
  malformedSamples: MalformedSample[];
  requests: number;
  count502: number;
  lb502: number;
  target502: number;
  firstMs: number;
  lastMs: number;
  minutes: Map<number, [number, number]>;
  targets: TargetPart[];
  slots: SlotPart[];
  /** Every target's minute counts, then every slot's marks, in the order of `targets` and `slots`. */
  packed: Packed;
  target502s: Map<string, number>;
  group502s: Map<string, number>;
  path502s: Map<string, number>;
  client502s: Map<string, number>;
  tallies: Map<LogCause, Tally>;
  nginxKinds: Map<NginxKind, number>;
  nginxMethods: Map<string, number>;
  fileNames: string[];
  pending: PendingPart;
  compaction: HistoryCompaction;
  targetSketch: Uint8Array;
}

function resolvedColumns(p: AnalyzerState['pending']): Float64Array {
  const out = new Float64Array(p.n * 4);
  for (let i = 0; i < p.n; i++) {
    out[i * 4] = p.gap[i];
    for (let d = 0; d < 3; d++) out[i * 4 + 1 + d] = p.minutes[d][i];
  }
  return out;
}

export function toPartial(s: AnalyzerState): AnalyzerPartial {
  const w = new PackWriter();
  const targets = [...s.targets.values()].map((t) => {
    t.minutes.pack(w);
    return { key: t.key, requests: t.requests, responded: t.responded, lastResponseMs: t.lastResponseMs, lastSeenMs: t.lastSeenMs };
  });
  const slotIndex = new Map<TargetSlot, number>();
  const slots: SlotPart[] = [];
  for (const [k, slot] of s.slots) {
    slotIndex.set(slot, slots.length);
    slots.push({ node: k.slice(0, k.length - slot.stats.key.length - 1), target: slot.stats.key });
    slot.bits.pack(w);
  }
  const p = s.pending;
  return {
    formats: s.formats, files: s.files, bytes: s.bytes, errors: s.errors, partial: s.partial,
    lines: s.lines, blank: s.blank, outOfWindow: s.outOfWindow, malformed: s.malformed,
    malformedByReason: s.malformedByReason, malformedSamples: s.malformedSamples,
    requests: s.requests, count502: s.count502, lb502: s.lb502, target502: s.target502,
    firstMs: s.firstMs, lastMs: s.lastMs, minutes: s.minutes,
    targets, slots, packed: w.finish(),
    target502s: s.target502s, group502s: s.group502s, path502s: s.path502s, client502s: s.client502s,
    tallies: s.tallies, nginxKinds: s.nginxKinds, nginxMethods: s.nginxMethods, fileNames: s.fileNames,
    // The meter is this thread's; its late lines travel with the rest.
    targetSketch: s.targetSketch.registers,
    compaction: { ...s.compaction, lateLines: s.compaction.lateLines + s.meter.late, peakBytes: s.peakHistoryBytes },
    pending: {
      n: p.n, slot: Int32Array.from(p.slot, (x) => slotIndex.get(x) as number), reqMs: Float64Array.from(p.reqMs), endMs: Float64Array.from(p.endMs),
      flags: Int32Array.from(p.flags), held: Float64Array.from(p.held), file: Int32Array.from(p.file), line: Int32Array.from(p.line),
      resolved: resolvedColumns(p), late: p.late, text: p.text,
      overflow: [...p.overflow].map(([st, o]) => ({ target: st.key, ...o })),
    },
  };
}

/** The typed arrays of a partial, to transfer instead of copy when posting it. */
export function transferables(p: AnalyzerPartial): ArrayBuffer[] {
  const q = p.pending;
  return [p.packed.ints, p.packed.u8, p.packed.u32, q.slot, q.reqMs, q.endMs, q.flags, q.held, q.file, q.line, q.resolved].map((a) => a.buffer as ArrayBuffer);
}

function addCounts<K>(into: Map<K, number>, from: Map<K, number>): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

/** Adds a worker's partial result; partials are merged in file order, so evidence keeps that order. */
export function mergePartial(s: AnalyzerState, w: AnalyzerPartial): void {
  for (const f of w.formats) s.formats.add(f);
  s.files += w.files;
  s.bytes += w.bytes;
  for (const e of w.errors) s.addError(e);
  s.partial ||= w.partial;
  s.lines += w.lines;
  s.blank += w.blank;
  s.outOfWindow += w.outOfWindow;
  s.malformed += w.malformed;
  addCounts(s.malformedByReason, w.malformedByReason);
  for (const m of w.malformedSamples) if (s.malformedSamples.length < MAX_SAMPLES) s.malformedSamples.push(m);
  s.requests += w.requests;
  s.count502 += w.count502;
  s.lb502 += w.lb502;
  s.target502 += w.target502;
  s.firstMs = Math.min(s.firstMs, w.firstMs);
  s.lastMs = Math.max(s.lastMs, w.lastMs);
  for (const [m, [req, bad]] of w.minutes) {
    const c = s.minutes.get(m);
    if (c) {
      c[0] += req;
      c[1] += bad;
    } else s.minutes.set(m, [req, bad]);
  }
  const seams = w.compaction.foldedBeforeHour >= 0;
  // The worker folded hours away: bring this thread's history to the same cut first, so
  // folded gaps join in time order (its files come after the ones merged so far).
  if (seams) {
    addSeamMinutes(s, w);
    s.foldHistoryBefore(w.compaction.foldedBeforeHour);
  }
  const r = new PackReader(w.packed);
  for (const t of w.targets) {
    const st = s.target(t.key);
    st.requests += t.requests;
    st.responded += t.responded;
    st.lastResponseMs = Math.max(st.lastResponseMs, t.lastResponseMs);
    st.lastSeenMs = Math.max(st.lastSeenMs, t.lastSeenMs);
    st.minutes.unpack(r);
  }
  const slots = w.slots.map((x) => s.slot(x.node, x.target));
  if (seams) addSeamGaps(slots, w.pending);
  const rule = { idleGap: s.opts.idleGapSeconds, idle: s.opts.lbIdleTimeoutSeconds };
  for (const slot of slots) slot.bits.unpack(r, rule);
  for (const [map, from] of [[s.target502s, w.target502s], [s.group502s, w.group502s], [s.path502s, w.path502s], [s.client502s, w.client502s]] as const) {
    for (const [k, n] of from) s.bumpKey(map, k, n);
  }
  for (const [cause, t] of w.tallies) s.mergeTally(cause, t);
  addCounts(s.nginxKinds, w.nginxKinds);
  addCounts(s.nginxMethods, w.nginxMethods);
  const fileOffset = s.fileNames.length;
  s.fileNames.push(...w.fileNames);
  const p = w.pending;
  for (let i = 0; i < p.n; i++) {
    const file = p.file[i] + fileOffset;
    const ref = (): LineRef => `${s.fileNames[file]}:${p.line[i]}`;
    const resolved = p.resolved.subarray(i * 4, i * 4 + 4);
    const kept = resolved.some((v) => v === v) ? resolved : undefined;
    s.pending.push(slots[p.slot[i]], p.reqMs[i], p.endMs[i], p.flags[i], file, p.line[i], ref, p.text.get(i) ?? null, p.held[i], kept);
  }
  s.pending.late += p.late;
  for (const o of p.overflow) {
    const st = s.target(o.target);
    const mine = s.pending.overflow.get(st) ?? { count: 0, refs: [], minutes: new Map<number, number>() };
    mine.count += o.count;
    for (const r of o.refs) if (mine.refs.length < MAX_REFS) mine.refs.push(r);
    addCounts(mine.minutes, o.minutes);
    s.pending.overflow.set(st, mine);
  }
  mergeCompaction(s.compaction, w.compaction);
  s.targetSketch.merge(w.targetSketch);
  s.keepWithinBudget();
}

/**
 * The worker kept minute counts of its 502s from its own lines; lines of the same minutes
 * merged so far (other nodes' files of the same 5 minutes) count too.
 */
function addSeamMinutes(s: AnalyzerState, w: AnalyzerPartial): void {
  const p = w.pending;
  for (let i = 0; i < p.n; i++) {
    const st = s.targets.get(w.slots[p.slot[i]].target);
    if (!st) continue;
    const m = Math.floor(p.reqMs[i] / 60000);
    for (let d = -1; d <= 1; d++) {
      const k = i * 4 + 2 + d;
      if (p.resolved[k] === p.resolved[k]) p.resolved[k] += st.minutes.at(m + d);
    }
  }
}

/** A 502 the worker found no earlier response for may have one in the files merged so far. */
function addSeamGaps(slots: TargetSlot[], p: PendingPart): void {
  for (let i = 0; i < p.n; i++) {
    if (p.resolved[i * 4] === Infinity) p.resolved[i * 4] = slots[p.slot[i]].bits.gapBefore(p.reqMs[i]);
  }
}

function mergeCompaction(c: HistoryCompaction, w: HistoryCompaction): void {
  c.tight ||= w.tight;
  c.spilledSlots += w.spilledSlots;
  c.spilledTargets += w.spilledTargets;
  c.other.responses += w.other.responses;
  c.other.requests += w.other.requests;
  for (let i = 0; i < c.other.gapsOk.length; i++) c.other.gapsOk[i] += w.other.gapsOk[i];
  c.other.okAfterGap += w.other.okAfterGap;
  c.other.okShortGap += w.other.okShortGap;
  c.lateLines += w.lateLines;
  c.overBudget ||= w.overBudget;
  // Minute counts where its share meets the one before are what both kept, not all.
  c.mergedFolded ||= w.mergedFolded || w.foldedBeforeHour >= 0;
  c.peakBytes = Math.max(c.peakBytes, w.peakBytes);
}
