/** Unicode sparklines for the per-minute 502 series in the TUI and text output. */

const BARS = '▁▂▃▄▅▆▇█';

/**
 * One character per value, or `width` characters when given (values are grouped and each
 * group shows its maximum, so a single bad minute never disappears). Zero is always ▁;
 * any non-zero value shows at least ▂ so that it stands out from quiet minutes.
 */
export function sparkline(values: readonly number[], width?: number): string {
  if (values.length === 0) return '';
  let vals = [...values];
  if (width !== undefined && width > 0 && vals.length > width) {
    const out: number[] = [];
    for (let i = 0; i < width; i++) {
      const from = Math.floor((i * vals.length) / width);
      const to = Math.max(from + 1, Math.floor(((i + 1) * vals.length) / width));
      let m = 0;
      for (let j = from; j < to; j++) m = Math.max(m, vals[j]);
      out.push(m);
    }
    vals = out;
  }
  const max = Math.max(...vals.map((v) => (Number.isFinite(v) && v > 0 ? v : 0)));
  return vals
    .map((v) => {
      if (!(v > 0) || max === 0) return BARS[0];
      const level = Math.max(1, Math.round((v / max) * (BARS.length - 1)));
      return BARS[level];
    })
    .join('');
}
