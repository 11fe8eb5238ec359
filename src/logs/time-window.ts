/** `--since` / `--until`: durations back from now (`2h`, `30m`, `1d`, `90s`) or ISO timestamps. */

export type WindowResult = { ok: true; sinceMs?: number; untilMs?: number } | { ok: false; message: string };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseTimeArg(value: string, now: Date): number | null {
  const v = value.trim();
  const dur = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(v);
  if (dur) return now.getTime() - Number(dur[1]) * UNIT_MS[dur[2].toLowerCase()];
  if (v === 'now') return now.getTime();
  // ISO date or date-time; a time without a zone is taken as UTC, like the logs.
  if (/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/.test(v)) {
    const withZone = /(Z|[+-]\d\d:?\d\d)$/.test(v) || v.length === 10 ? v : `${v}Z`;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

export function parseWindow(since: string | undefined, until: string | undefined, now: Date): WindowResult {
  const out: { ok: true; sinceMs?: number; untilMs?: number } = { ok: true };
  if (since !== undefined && since !== '') {
    const ms = parseTimeArg(since, now);
    if (ms === null) return { ok: false, message: `--since "${since}" is neither a duration (30m, 2h, 1d) nor an ISO time (2024-05-01T13:00:00Z)` };
    out.sinceMs = ms;
  }
  if (until !== undefined && until !== '') {
    const ms = parseTimeArg(until, now);
    if (ms === null) return { ok: false, message: `--until "${until}" is neither a duration (30m, 2h, 1d) nor an ISO time (2024-05-01T14:00:00Z)` };
    out.untilMs = ms;
  }
  if (out.sinceMs !== undefined && out.untilMs !== undefined && out.untilMs <= out.sinceMs) {
    return { ok: false, message: '--until must be later than --since' };
  }
  return out;
}
