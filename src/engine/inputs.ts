import type { InputType } from './flow-schema.js';

export type Parsed = { ok: true; value: string } | { ok: false; error: string };

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days)$/i;
const UNIT_SECONDS: Record<string, number> = { s: 1, sec: 1, secs: 1, m: 60, min: 60, mins: 60, h: 3600, hr: 3600, hrs: 3600, d: 86400, day: 86400, days: 86400 };

/** Seconds in a duration like `90s`, `30m`, `2h`, `1d`; undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_SECONDS[m[2].toLowerCase()] : undefined;
}

/**
 * Reads the times a responder types at 3 a.m.: ISO 8601, `now`, `30m ago`, `-2h`,
 * `14:05` (today, UTC) or `2026-11-21 14:05` (UTC). Returns ISO in UTC.
 */
export function parseTimestamp(text: string, now: Date): Parsed {
  const t = text.trim();
  if (/^now$/i.test(t)) return { ok: true, value: now.toISOString() };
  const rel = /^(?:-\s*)?(.+?)(?:\s+ago)?$/i.exec(t);
  if (rel && (t.startsWith('-') || /\s+ago$/i.test(t))) {
    const secs = durationSeconds(rel[1]);
    if (secs !== undefined) return { ok: true, value: new Date(now.getTime() - secs * 1000).toISOString() };
  }
  const hm = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (hm && Number(hm[1]) < 24 && Number(hm[2]) < 60) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(hm[1]), Number(hm[2])));
    if (d.getTime() > now.getTime()) d.setUTCDate(d.getUTCDate() - 1);
    return { ok: true, value: d.toISOString() };
  }
  const spaced = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)$/.exec(t);
  const iso = spaced ? `${spaced[1]}T${spaced[2].padStart(5, '0')}Z` : t;
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(iso)) {
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime())) {
      if (d.getTime() > now.getTime() + 5 * 60_000) return { ok: false, error: `${t} is in the future; type when the 502s started, e.g. "30m ago" or "14:05" (UTC)` };
      return { ok: true, value: d.toISOString() };
    }
  }
  return { ok: false, error: `"${t}" is not a time I can read; try "now", "30m ago", "14:05" (UTC) or 2026-11-21T14:05Z` };
}

/** Validates and normalises what the responder typed for an input of `type`. */
export function parseInput(type: InputType, text: string, now: Date): Parsed {
  const t = text.trim();
  switch (type) {
    case 'text':
      return t ? { ok: true, value: t } : { ok: false, error: 'type something, or press Esc to go back' };
    case 'url': {
      const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`;
      try {
        const u = new URL(candidate);
        if (!['http:', 'https:'].includes(u.protocol) || !u.hostname) throw new Error('scheme');
        return { ok: true, value: u.toString() };
      } catch {
        return { ok: false, error: `"${t}" is not a URL; type e.g. https://shop.example.com/cart` };
      }
    }
    case 'duration': {
      const s = durationSeconds(t);
      return s !== undefined && s > 0 ? { ok: true, value: t.replace(/\s+/g, '') } : { ok: false, error: `"${t}" is not a duration; type e.g. 90s, 30m, 2h or 1d` };
    }
    case 'timestamp':
      return parseTimestamp(t, now);
    case 'arn':
      return /^arn:aws[\w-]*:[\w-]+:[\w-]*:\d{12}:.+/.test(t) ? { ok: true, value: t } : { ok: false, error: `"${t}" is not an ARN; it looks like arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/name/id` };
    case 'region':
      return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(t) ? { ok: true, value: t } : { ok: false, error: `"${t}" is not an AWS region; type e.g. us-east-1 or ap-northeast-1` };
    case 'number':
      return t !== '' && Number.isFinite(Number(t)) ? { ok: true, value: String(Number(t)) } : { ok: false, error: `"${t}" is not a number` };
    case 'port': {
      const n = Number(t);
      return Number.isInteger(n) && n >= 1 && n <= 65535 ? { ok: true, value: String(n) } : { ok: false, error: `"${t}" is not a port (1–65535)` };
    }
  }
}
