import type { Series } from '../engine/vocabulary.js';

export interface Chart {
  name: string;
  /** Minute labels (UTC, HH:MM) of each bar. */
  labels: string[];
  values: number[];
  /** Minutes per bar (1, or more when a long window is summed into fewer bars). */
  minutesPerBar: number;
  peak: { value: number; at: string };
  total: number;
}

const MAX_BARS = 48;
const MARGIN_MIN = 10;
/** Signals that count the errors themselves: they decide the incident window. */
const ERROR_SIGNAL = /502|5XX|ConnectionError|TLSNegotiation|Lambda|UnHealthy/i;

/**
 * At most one chart per signal: the last series of each name, none that is all zeros or a copy
 * of one already kept (ELB_5XX equals ELB_502 when every 5xx was a 502), trimmed to the incident
 * window (the error minutes and the reported start, with ten minutes either side), and summed
 * into at most 48 bars.
 */
export function incidentCharts(all: readonly Series[], reportedStart?: string): Chart[] {
  const byName = new Map<string, Series>();
  for (const s of all) byName.set(s.name, s);
  const kept: Series[] = [];
  for (const s of byName.values()) {
    if (!s.values.some((v) => v !== 0)) continue;
    if (kept.some((k) => k.start === s.start && k.values.join() === s.values.join())) continue;
    kept.push(s);
  }
  let from = Infinity;
  let to = -Infinity;
  for (const s of kept.filter((x) => ERROR_SIGNAL.test(x.name))) {
    const t0 = Date.parse(s.start);
    s.values.forEach((v, i) => {
      if (v <= 0) return;
      const t = t0 + i * s.periodSeconds * 1000;
      from = Math.min(from, t);
      to = Math.max(to, t);
    });
  }
  const start = reportedStart ? Date.parse(reportedStart) : NaN;
  if (!Number.isNaN(start) && Number.isFinite(to)) from = Math.min(from, start);
  if (!Number.isFinite(from)) return [];
  from -= MARGIN_MIN * 60_000;
  to += MARGIN_MIN * 60_000;
  return kept.flatMap((s) => {
    const t0 = Date.parse(s.start);
    const step = s.periodSeconds * 1000;
    const i0 = Math.max(0, Math.floor((from - t0) / step));
    const i1 = Math.min(s.values.length - 1, Math.ceil((to - t0) / step));
    if (i1 < i0) return [];
    const slice = s.values.slice(i0, i1 + 1);
    if (!slice.some((v) => v !== 0)) return [];
    const per = Math.max(1, Math.ceil(slice.length / MAX_BARS));
    const values: number[] = [];
    const labels: string[] = [];
    for (let i = 0; i < slice.length; i += per) {
      values.push(slice.slice(i, i + per).reduce((a, b) => a + b, 0));
      labels.push(new Date(t0 + (i0 + i) * step).toISOString().slice(11, 16));
    }
    const peakIdx = values.indexOf(Math.max(...values));
    return [{
      name: s.name, labels, values, minutesPerBar: per * s.periodSeconds / 60,
      peak: { value: values[peakIdx], at: labels[peakIdx] }, total: slice.reduce((a, b) => a + b, 0),
    }];
  });
}
