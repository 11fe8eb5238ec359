import { sanitizeDeep } from '../engine/sanitize.js';
import type { EventType, JournalEvent } from '../engine/events.js';

/** Why a journal cannot be read at all. */
export type Damage = 'empty' | 'binary' | 'no-start' | 'unreadable';

export interface SkippedLine {
  /** 1-based line number. */
  line: number;
  reason: string;
}

export interface ScanResult {
  events: JournalEvent[];
  skipped: SkippedLine[];
  /** Bytes up to and including the last newline: what a repair keeps. */
  completeBytes: number;
  /** The bytes after the last newline: a line cut off mid-write, unless `event` says it is whole. */
  torn?: { line: number; bytes: Uint8Array; event?: JournalEvent };
  damage?: { kind: Damage; reason: string };
}

/**
 * Fields each event needs for the engine and the report to use it. Keyed by every event
 * type so that adding a type to events.ts does not compile until the reader knows it
 * (otherwise its events would be skipped as unreadable).
 */
const REQUIRED: Record<EventType, readonly string[]> = {
  start: ['sessionId', 'flow', 'flowTitle', 'start'],
  answer: ['node', 'value', 'label', 'next'],
  check: ['node', 'check', 'next'],
  finding: ['node', 'cause', 'confidence'],
  branch: ['node', 'next'],
  note: ['text'],
  back: ['from', 'to'],
  end: ['node'],
  report: ['path'],
  verdict: ['cause'],
  mitigation: ['cause', 'result'],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a parsed line is not an event, or undefined if it is one. */
function invalid(v: unknown): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  if (typeof v.type !== 'string' || !Object.hasOwn(REQUIRED, v.type)) return typeof v.type === 'string' ? `unknown event type "${v.type}"` : 'no event type';
  if (typeof v.seq !== 'number' || typeof v.at !== 'string') return 'no seq or time';
  const missing = REQUIRED[v.type as EventType].find((k) => typeof v[k] !== 'string');
  if (missing) return `${v.type} event without "${missing}"`;
  if (v.type === 'start' && !isObject(v.context)) return 'start event without context';
  if (v.type === 'check' && !(isObject(v.result) && typeof v.result.status === 'string' && typeof v.result.outcome === 'string' && typeof v.result.summary === 'string')) return 'check event without a result';
  if (v.type === 'finding' && !Array.isArray(v.evidence)) return 'finding event without evidence';
  return undefined;
}

function parseLine(text: string): { event: JournalEvent } | { reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { reason: 'not valid JSON' };
  }
  const why = invalid(v);
  // A journal may come from elsewhere (a copied file, a crafted one): nothing in it reaches a terminal raw.
  return why ? { reason: why } : { event: sanitizeDeep(v) as JournalEvent };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return true;
  try {
    utf8.decode(bytes);
  } catch {
    return true;
  }
  return false;
}

function damageOf(bytes: Uint8Array, lines: number, events: JournalEvent[]): ScanResult['damage'] {
  if (events.length && events[0].type === 'start') return undefined;
  if (bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    return { kind: 'empty', reason: bytes.length ? 'the file holds only blank lines' : 'the file is empty (0 bytes)' };
  }
  if (!events.length && looksBinary(bytes)) return { kind: 'binary', reason: `the file holds binary data, not JSON lines (${bytes.length} bytes)` };
  if (!events.length) return { kind: 'no-start', reason: `none of its ${lines} lines is a badgate event` };
  return { kind: 'no-start', reason: `its beginning is missing: the first event is "${events[0].type}" (seq ${events[0].seq}), not "start"` };
}

/**
 * Reads journal bytes without trusting them: every line is parsed on its own, so one
 * damaged line costs only itself. Pure, so the fuzz test can drive it directly.
 */
export function scanJournal(bytes: Uint8Array): ScanResult {
  const decoder = new TextDecoder('utf-8');
  const events: JournalEvent[] = [];
  const skipped: SkippedLine[] = [];
  let pos = 0;
  let line = 0;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) break;
    line++;
    const text = decoder.decode(bytes.subarray(pos, nl));
    pos = nl + 1;
    if (!text.trim()) continue;
    const r = parseLine(text);
    if ('event' in r) events.push(r.event);
    else skipped.push({ line, reason: r.reason });
  }
  const completeBytes = pos;
  let torn: ScanResult['torn'];
  if (pos < bytes.length) {
    line++;
    const tail = bytes.subarray(pos);
    const text = decoder.decode(tail);
    if (text.trim()) {
      const r = parseLine(text);
      // A whole event that only lacks its newline is kept; anything else was cut mid-write.
      if ('event' in r) events.push(r.event);
      else skipped.push({ line, reason: 'cut off mid-write (likely a crash)' });
      torn = { line, bytes: tail, event: 'event' in r ? r.event : undefined };
    } else {
      torn = { line, bytes: tail };
    }
  }
  return { events, skipped, completeBytes, torn, damage: damageOf(bytes, line, events) };
}
