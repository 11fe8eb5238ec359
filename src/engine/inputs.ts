import type { InputType } from './flow-schema.js';

import { formatIn, instantOf, parseZone, wallOf, type Zone } from './time-zone.js';

/** `label`: how the answer reads back to the responder (a time's interpretation in both zones). */
export type Parsed = { ok: true; value: string; label?: string; port?: string } | { ok: false; error: string };

const UTC: Zone = { kind: 'offset', minutes: 0, name: 'UTC' };

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days)$/i;
const UNIT_SECONDS: Record<string, number> = { s: 1, sec: 1, secs: 1, m: 60, min: 60, mins: 60, h: 3600, hr: 3600, hrs: 3600, d: 86400, day: 86400, days: 86400 };

/** Seconds in a duration like `90s`, `30m`, `2h`, `1d`; undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_SECONDS[m[2].toLowerCase()] : undefined;
}

/**
 * Reads the times a responder types at 3 a.m.: `now`, `30m ago`, `-2h`, a wall-clock time
 * (`22:05`, `2026-11-21 22:05`) in their own zone unless they name one (`22:05 JST`,
 * `22:05+09:00`, `22:05 Asia/Tokyo`, `22:05Z`), or ISO 8601. Returns ISO in UTC and a label
 * that echoes the reading ("22:05 JST = 13:05 UTC").
 */
export function parseTimestamp(text: string, now: Date, zoneName = 'UTC'): Parsed {
  const t = text.trim();
  const home = parseZone(zoneName) ?? UTC;
  if (/^now$/i.test(t)) return { ok: true, value: now.toISOString() };
  const rel = /^(?:-\s*)?(.+?)(?:\s+ago)?$/i.exec(t);
  if (rel && (t.startsWith('-') || /\s+ago$/i.test(t))) {
    const secs = durationSeconds(rel[1]);
    if (secs !== undefined) return { ok: true, value: new Date(now.getTime() - secs * 1000).toISOString() };
  }
  const wall = /^(?:(\d{4})-(\d{2})-(\d{2})[ T])?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(.*)$/.exec(t);
  if (wall) {
    const [, y, mo, d, h, mi, sec, zoneText] = wall;
    const zone = zoneText ? parseZone(zoneText) : home;
    if (!zone) return { ok: false, error: `"${zoneText}" is not a time zone I know; try JST, UTC, +09:00 or Asia/Tokyo` };
    if (Number(h) < 24 && Number(mi) < 60 && Number(sec ?? 0) < 60) {
      let ms: number;
      if (y) {
        ms = instantOf(zone, Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0));
      } else {
        // A bare time is today in that zone, or yesterday when today's is still ahead.
        const today = wallOf(zone, now.getTime());
        ms = instantOf(zone, today.y, today.mo, today.d, Number(h), Number(mi), Number(sec ?? 0));
        if (ms > now.getTime() + 5 * 60_000) ms = instantOf(zone, today.y, today.mo, today.d - 1, Number(h), Number(mi), Number(sec ?? 0));
      }
      if (Number.isNaN(ms)) return { ok: false, error: `"${t}" is not a time I can read` };
      if (ms > now.getTime() + 5 * 60_000) return { ok: false, error: `${t} is in the future; type when the 502s started, e.g. "30m ago" or "14:05"` };
      const utc = formatIn(UTC, ms, Boolean(y));
      const label = zone.kind === 'offset' && zone.minutes === 0 ? utc : `${formatIn(zone, ms, Boolean(y))} = ${utc}`;
      return { ok: true, value: new Date(ms).toISOString(), label };
    }
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const d = new Date(`${t}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.getTime() <= now.getTime()) return { ok: true, value: d.toISOString() };
  }
  return { ok: false, error: `"${t}" is not a time I can read; try "now", "30m ago", "14:05" (${home.name}), "22:05 JST" or 2026-11-21T14:05Z` };
}

/**
 * A backend address as people paste it: `10.0.1.23`, `10.0.1.23:8098`, `[fd00::5]:8080`,
 * `ip-10-0-1-23.ec2.internal` or a URL. A port typed with it is kept, so it is not asked again.
 */
export function parseHost(text: string): Parsed {
  let t = text.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? (() => { try { return new URL(t); } catch { return undefined; } })() : undefined;
  if (url) return url.hostname ? { ok: true, value: url.hostname.replace(/^\[(.*)\]$/, '$1'), ...(url.port ? { port: url.port } : {}) } : { ok: false, error: `"${t}" has no host` };
  let port: string | undefined;
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(t);
  if (bracketed) [, t, port] = bracketed;
  else {
    const hp = /^([^:\s]+):(\d+)$/.exec(t);
    if (hp) [, t, port] = hp;
  }
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return { ok: false, error: `"${port}" is not a port (1–65535)` };
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$/i.test(t) && !/^[0-9a-f:.]+$/i.test(t)) return { ok: false, error: `"${text.trim()}" is not a host name or an address; type e.g. 10.0.1.23 or 10.0.1.23:8080` };
  return { ok: true, value: t, ...(port ? { port } : {}) };
}

/** The extra facts a typed time sets beside its ISO value: `<fact>.journal`, `<fact>.nginx`. */
export const TIME_FACT_SUFFIXES = ['journal', 'nginx'] as const;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A time in the forms the responder's commands take: `journalctl --since` wants
 * "YYYY-MM-DD HH:MM:SS UTC" (systemd 252 rejects ISO with a T, milliseconds or Z), and nginx's
 * access log writes `[01/Dec/2026:23:05:00 +0000]`, so a fixed-string grep for the minute
 * ("01/Dec/2026:23:05") finds the lines of that minute (on a server that logs in UTC).
 */
export function timeForms(iso: string): Record<(typeof TIME_FACT_SUFFIXES)[number], string> | undefined {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    journal: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`,
    nginx: `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`,
  };
}

/** Validates and normalises what the responder typed for an input of `type`. */
export function parseInput(type: InputType, text: string, now: Date, zone = 'UTC'): Parsed {
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
      return parseTimestamp(t, now, zone);
    case 'arn':
      return /^arn:aws[\w-]*:[\w-]+:[\w-]*:\d{12}:.+/.test(t) ? { ok: true, value: t } : { ok: false, error: `"${t}" is not an ARN; it looks like arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/name/id` };
    case 'region':
      return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(t) ? { ok: true, value: t } : { ok: false, error: `"${t}" is not an AWS region; type e.g. us-east-1 or ap-northeast-1` };
    case 'number':
      return t !== '' && Number.isFinite(Number(t)) ? { ok: true, value: String(Number(t)) } : { ok: false, error: `"${t}" is not a number` };
    case 'host':
      return parseHost(t);
    case 'path':
      return t ? { ok: true, value: t } : { ok: false, error: 'type a path, or press Esc to go back' };
    case 'port': {
      const n = Number(t);
      return Number.isInteger(n) && n >= 1 && n <= 65535 ? { ok: true, value: String(n) } : { ok: false, error: `"${t}" is not a port (1–65535)` };
    }
  }
}
