/**
 * Wall-clock times in a time zone: what a responder types ("22:05 JST", "22:05+09:00", or a
 * bare "22:05" in the terminal's own zone) turned into an instant, and back for echoing.
 * Pure: the zone is always passed in (the terminal's TZ is read by the command, not here).
 */

/** Common abbreviations and their fixed offsets in minutes (they name one offset, unlike IANA zones). */
const ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  IST: 330, ICT: 420, WIB: 420, SGT: 480, HKT: 480, AWST: 480, PHT: 480, JST: 540, KST: 540,
  ACST: 570, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
};

export type Zone = { kind: 'offset'; minutes: number; name: string } | { kind: 'iana'; name: string };

function validIana(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `JST`, `+09:00`, `+0900`, `-5`, `UTC+9`, `Asia/Tokyo`; undefined when it is none of them. */
export function parseZone(text: string): Zone | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const abbr = ABBREVIATIONS[t.toUpperCase()];
  if (abbr !== undefined) return { kind: 'offset', minutes: abbr, name: t.toUpperCase() === 'Z' ? 'UTC' : t.toUpperCase() };
  const off = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (off && Number(off[2]) <= 14 && Number(off[3] ?? 0) < 60) {
    const minutes = (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3] ?? 0));
    return { kind: 'offset', minutes, name: formatOffset(minutes) };
  }
  if (/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(t) && validIana(t)) return { kind: 'iana', name: t };
  return undefined;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The zone's offset from UTC at an instant, in minutes. */
export function offsetAt(zone: Zone, ms: number): number {
  if (zone.kind === 'offset') return zone.minutes;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone.name, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The instant a wall-clock time in `zone` names (the later one when a DST change repeats it). */
export function instantOf(zone: Zone, y: number, mo: number, d: number, h: number, mi: number, s = 0): number {
  const asUtc = Date.UTC(y, mo, d, h, mi, s);
  let ms = asUtc - offsetAt(zone, asUtc) * 60_000;
  ms = asUtc - offsetAt(zone, ms) * 60_000;
  return ms;
}

/** The calendar date and time an instant shows in `zone`. */
export function wallOf(zone: Zone, ms: number): { y: number; mo: number; d: number; h: number; mi: number } {
  const t = new Date(ms + offsetAt(zone, ms) * 60_000);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth(), d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes() };
}

/** `22:05 JST` / `22:05 Asia/Tokyo`, for echoing an interpretation. */
export function formatIn(zone: Zone, ms: number, withDate = false): string {
  const w = wallOf(zone, ms);
  const hm = `${String(w.h).padStart(2, '0')}:${String(w.mi).padStart(2, '0')}`;
  const date = withDate ? `${w.y}-${String(w.mo + 1).padStart(2, '0')}-${String(w.d).padStart(2, '0')} ` : '';
  return `${date}${hm} ${zone.name}`;
}
