import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { JournalEvent, NewEvent } from '../engine/events.js';
import { sanitizeDeep } from '../engine/sanitize.js';
import { scrubValue } from '../engine/scrub.js';
import { acquireLock, LockHeldError, LockIoError, releaseLock, type LockHolder } from './lock.js';
import { scanJournal, type Damage, type ScanResult, type SkippedLine } from './scan.js';

export type { Damage, LockHolder, SkippedLine };

/** `$BADGATE_STATE_DIR`, else `$XDG_STATE_HOME/badgate`, else `~/.local/state/badgate`. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BADGATE_STATE_DIR) return env.BADGATE_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'badgate');
}

export function sessionsDir(env?: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'sessions');
}

export function newSessionId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
  return `${stamp}-${suffix}`;
}

/** A problem with a journal the user can act on: `message` is one line, `next` says what to do. */
export class JournalError extends Error {
  constructor(message: string, readonly next?: string) {
    super(message);
    this.name = 'JournalError';
  }
}

/** The journal exists but cannot be read as a session at all. */
export class DamagedJournalError extends JournalError {
  constructor(readonly path: string, readonly damage: Damage, readonly reason: string) {
    super(`session ${sessionIdOf(path)} is damaged: ${reason}`, `its file is ${path}; move it aside (or restore it from a backup) and \`badgate sessions\` stops listing it`);
    this.name = 'DamagedJournalError';
  }
}

/** Another badgate has the journal open for writing. */
export class JournalLockedError extends JournalError {
  constructor(readonly path: string, readonly lockPath: string, readonly holder: LockHolder | undefined) {
    const who = holder
      ? `pid ${holder.pid} on ${holder.host === hostname() ? 'this host' : `host ${holder.host}`} since ${holder.since.slice(0, 19).replace('T', ' ')} UTC`
      : 'a process that has not written its pid yet';
    const remote = holder && holder.host !== hostname() ? ' (badgate cannot check a process on another host)' : '';
    super(
      `session ${sessionIdOf(path)} is open in another badgate (${who})${remote}`,
      `finish or quit that one first; if it is no longer running, delete ${lockPath}`,
    );
    this.name = 'JournalLockedError';
  }
}

const sessionIdOf = (path: string) => basename(path).replace(/\.jsonl$/, '');

/** Longest note kept, in UTF-8 bytes: a pasted 50 MB log would make every later read and report crawl. */
export const MAX_NOTE_BYTES = 64 * 1024;

/**
 * Cuts an over-long note at a character boundary and says so in the note itself. The
 * result, marker included, fits the cap, so cutting again (when read back) changes nothing.
 */
export function capNote(text: string): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_NOTE_BYTES) return text;
  const marker = `\n[note cut: it was ${(bytes / 1024 / 1024).toFixed(1)} MB and badgate keeps notes up to 64 KiB; save long output to a file and note its path]`;
  const buf = Buffer.from(text);
  // Back off to the start of a UTF-8 sequence so no character is split.
  let end = MAX_NOTE_BYTES - Buffer.byteLength(marker);
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return `${buf.subarray(0, end).toString('utf8')}${marker}`;
}

function capNotes(e: NewEvent): NewEvent {
  if (e.type === 'note') return { ...e, text: capNote(e.text) };
  if (e.type === 'answer' && e.note !== undefined) return { ...e, note: capNote(e.note) };
  return e;
}

/** Journals written before the cap can hold huge notes; cap them when read too (the file is left as it is). */
function capReadNotes(events: JournalEvent[]): JournalEvent[] {
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    // String length is a cheap lower bound on the byte length, so short notes skip the byte count.
    if (e.type === 'note' && e.text.length * 3 > MAX_NOTE_BYTES) events[i] = { ...e, text: capNote(e.text) };
    else if (e.type === 'answer' && typeof e.note === 'string' && e.note.length * 3 > MAX_NOTE_BYTES) events[i] = { ...e, note: capNote(e.note) };
  }
  return events;
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new DamagedJournalError(path, 'unreadable', `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/**
 * Where the single-writer lock of a journal lives: beside its folder, in `<folder>.locks/`,
 * not in the folder itself, so the sessions folder holds only journals (tools and tests
 * list it), and derived from the path alone, so every process agrees on it.
 */
export function lockPathOf(path: string): string {
  return join(`${dirname(resolve(path))}.locks`, `${basename(path)}.lock`);
}

function lock(path: string): void {
  try {
    mkdirSync(dirname(lockPathOf(path)), { recursive: true });
  } catch (e) {
    throw new JournalError(`cannot lock the session journal ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'set BADGATE_STATE_DIR to a writable folder');
  }
  try {
    acquireLock(lockPathOf(path));
  } catch (e) {
    if (e instanceof LockHeldError) throw new JournalLockedError(path, e.lockPath, e.holder);
    if (e instanceof LockIoError) throw new JournalError(`cannot lock the session journal ${path} (${e.code})`, 'set BADGATE_STATE_DIR to a writable folder');
    throw e;
  }
}

/**
 * Makes the file end on a complete line, so the next append starts a line of its own.
 * Bytes of a line cut mid-write are moved to `<journal>.torn`, never dropped.
 */
function repairTail(path: string, scan: ScanResult): string | undefined {
  const torn = scan.torn;
  if (!torn) return undefined;
  const fail = (err: unknown) => new JournalError(
    `cannot repair the cut-off last line of ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    'check that the session folder is writable, then resume again',
  );
  if (torn.event) {
    try {
      const fd = openSync(path, 'a');
      try { writeSync(fd, '\n'); fsyncSync(fd); } finally { closeSync(fd); }
    } catch (err) {
      throw fail(err);
    }
    return undefined;
  }
  const blank = !Buffer.from(torn.bytes).toString('utf8').trim();
  try {
    if (!blank) {
      const keep = openSync(`${path}.torn`, 'a', 0o600);
      try { writeSync(keep, torn.bytes); writeSync(keep, '\n'); fsyncSync(keep); } finally { closeSync(keep); }
    }
    const fd = openSync(path, 'r+');
    try { ftruncateSync(fd, scan.completeBytes); fsyncSync(fd); } finally { closeSync(fd); }
  } catch (err) {
    throw fail(err);
  }
  if (blank) return undefined;
  return `the last line of session ${sessionIdOf(path)} was cut off mid-write (${torn.bytes.length} bytes, likely a crash); kept them in ${path}.torn and resumed from the last complete line`;
}

/**
 * An append-only JSONL journal. Each event is written and fsynced before append
 * returns, so Ctrl+C, kill -9 or a closed terminal loses nothing already entered.
 * Only one process writes a journal at a time: creating or opening it takes its lock file (see lockPathOf).
 */
export interface Draft {
  node: string;
  text: string;
}

const MAX_DRAFT = 4096;

export function draftPathOf(journalPath: string): string {
  return `${journalPath}.draft`;
}

export class Journal {
  private fd: number | undefined;
  private seq: number;
  private locked = true;

  private constructor(
    readonly path: string,
    readonly events: JournalEvent[],
    private readonly now: () => Date,
    /** What opening had to repair, for the command to print once. */
    readonly warnings: string[] = [],
  ) {
    this.seq = events.reduce((m, e) => Math.max(m, e.seq), 0);
  }

  static create(dir: string, id: string, now: () => Date = () => new Date()): Journal {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new JournalError(`cannot create the session folder ${dir} (${(e as NodeJS.ErrnoException).code}); set BADGATE_STATE_DIR to a writable folder`);
    }
    const path = join(dir, `${id}.jsonl`);
    if (existsSync(path)) throw new JournalError(`session ${id} already exists`);
    lock(path);
    return new Journal(path, [], now);
  }

  /** Opens a journal for writing: takes the lock, then repairs a cut-off last line. */
  static open(path: string, now: () => Date = () => new Date()): Journal {
    lock(path);
    try {
      const scan = scanJournal(readBytes(path));
      if (scan.damage) throw new DamagedJournalError(path, scan.damage.kind, scan.damage.reason);
      const warning = repairTail(path, scan);
      return new Journal(path, capReadNotes(scan.events), now, warning ? [warning] : []);
    } catch (e) {
      releaseLock(lockPathOf(path));
      throw e;
    }
  }

  append(e: NewEvent): JournalEvent {
    if (!this.locked) throw new JournalError(`the session journal ${this.path} is closed`);
    const event = sanitizeDeep(scrubValue({ seq: this.seq + 1, at: this.now().toISOString(), ...capNotes(e) })) as JournalEvent;
    try {
      this.fd ??= openSync(this.path, 'a', 0o600);
      writeSync(this.fd, `${JSON.stringify(event)}\n`);
      fsyncSync(this.fd);
    } catch (err) {
      throw new JournalError(`cannot write the session journal ${this.path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    this.seq = event.seq;
    this.events.push(event);
    return event;
  }

  /**
   * What was typed at a question and not yet submitted, kept beside the journal (not in it: the
   * journal holds what was answered) so Ctrl+C, a crash or a lost terminal loses none of it.
   */
  draft(): Draft | undefined {
    try {
      const d = JSON.parse(readFileSync(draftPathOf(this.path), 'utf8')) as Partial<Draft>;
      return typeof d.node === 'string' && typeof d.text === 'string' && d.text !== '' ? { node: d.node, text: d.text } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Replaces the draft (written whole, then renamed, so a crash leaves the old one or the new); none removes it. */
  saveDraft(d: Draft | undefined): void {
    const path = draftPathOf(this.path);
    try {
      if (!d || d.text === '') {
        rmSync(path, { force: true });
        return;
      }
      const clean = sanitizeDeep(scrubValue({ node: d.node, text: d.text.slice(0, MAX_DRAFT) }));
      writeFileSync(`${path}.tmp`, JSON.stringify(clean), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    } catch {
      // A draft is a convenience: a full disk must not stop the answer itself from being typed.
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.locked) releaseLock(lockPathOf(this.path));
    this.locked = false;
  }
}

export interface ReadResult {
  events: JournalEvent[];
  /** Line numbers that could not be read, e.g. the half-written last line of a crash. */
  skipped: number[];
  /** The same lines with why each was skipped. */
  skippedLines: SkippedLine[];
}

/** Reads a journal without changing it; throws DamagedJournalError if it holds no session. */
export function readJournal(path: string): ReadResult {
  const scan = scanJournal(readBytes(path));
  if (scan.damage) throw new DamagedJournalError(path, scan.damage.kind, scan.damage.reason);
  return { events: capReadNotes(scan.events), skipped: scan.skipped.map((s) => s.line), skippedLines: scan.skipped };
}

export interface SessionSummary {
  id: string;
  path: string;
  flow: string;
  title: string;
  startedAt: string;
  updatedAt: string;
  ended: boolean;
  events: number;
  /** A training drill (kept apart from real incidents), not an investigation. */
  drill: boolean;
  /** Nothing was answered or typed (Ctrl+C at the first question): not worth offering to resume. */
  abandoned: boolean;
}

/** A journal that holds no readable session, listed so it does not silently vanish. */
export interface DamagedSession {
  id: string;
  path: string;
  damaged: true;
  kind: Damage;
  reason: string;
  /** The file's modification time, ISO, if it could be read. */
  updatedAt: string;
  bytes: number;
}

function summarize(path: string, id: string): SessionSummary | DamagedSession {
  try {
    const { events } = readJournal(path);
    const start = events[0] as Extract<JournalEvent, { type: 'start' }>;
    const titleAnswer = [...events].reverse().find((e) => e.type === 'answer' && e.set && typeof e.set['incident.title'] === 'string');
    const title = titleAnswer && titleAnswer.type === 'answer' ? String(titleAnswer.set!['incident.title']) : '(untitled)';
    const ends = events.filter((e) => e.type === 'end').length;
    const backsAfterEnd = events.findLastIndex((e) => e.type === 'back') > events.findLastIndex((e) => e.type === 'end');
    const drill = start.context?.mode === 'drill';
    // A drill is over once the trainee named the cause (it was scored), even if the flow had more to ask.
    const scored = drill && events.some((e) => e.type === 'verdict');
    return {
      id, path, flow: start.flow, title, startedAt: start.at, updatedAt: events[events.length - 1].at,
      ended: (ends > 0 && !backsAfterEnd) || scored, events: events.length,
      drill, abandoned: !events.some((e) => e.type === 'answer') && !existsSync(draftPathOf(path)),
    };
  } catch (e) {
    let updatedAt = '';
    let bytes = 0;
    try {
      const st = statSync(path);
      updatedAt = st.mtime.toISOString();
      bytes = st.size;
    } catch {
      // Gone or unreadable: the reason below already says so.
    }
    const d = e instanceof DamagedJournalError ? e : undefined;
    return { id, path, damaged: true, kind: d?.damage ?? 'unreadable', reason: d?.reason ?? `cannot read it (${(e as Error).message})`, updatedAt, bytes };
  }
}

/** Every journal in `dir`: readable sessions newest first, and the damaged ones. */
export function scanSessions(dir: string): { sessions: SessionSummary[]; damaged: DamagedSession[] } {
  if (!existsSync(dir)) return { sessions: [], damaged: [] };
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (e) {
    throw new JournalError(`cannot list the session folder ${dir} (${(e as NodeJS.ErrnoException).code})`, 'set BADGATE_STATE_DIR to a readable folder');
  }
  const all = files.filter((f) => f.endsWith('.jsonl')).map((f) => summarize(join(dir, f), f.slice(0, -'.jsonl'.length)));
  const sessions = all.filter((s): s is SessionSummary => !('damaged' in s)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const damaged = all.filter((s): s is DamagedSession => 'damaged' in s).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return { sessions, damaged };
}

/** Every readable session, newest first. */
export function listSessions(dir: string): SessionSummary[] {
  return scanSessions(dir).sessions;
}

/** What `resume` and the home screen offer: unfinished real incidents, or drills, with something answered. */
export function resumable(dir: string, kind: 'incidents' | 'drills' | 'all' = 'all'): SessionSummary[] {
  return listSessions(dir).filter((s) => !s.ended && !s.abandoned && (kind === 'all' || s.drill === (kind === 'drills')));
}

/** Finds a session by id or unique id prefix; a damaged match says what is wrong with it. */
export function findSession(dir: string, query: string): SessionSummary {
  const { sessions: all, damaged } = scanSessions(dir);
  const exact = all.find((s) => s.id === query);
  if (exact) return exact;
  const bad = damaged.find((s) => s.id === query);
  if (bad) throw new DamagedJournalError(bad.path, bad.kind, bad.reason);
  const hits = all.filter((s) => s.id.startsWith(query));
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) throw new JournalError(`"${query}" matches ${hits.length} sessions (${hits.slice(0, 3).map((s) => s.id).join(', ')}…); type more of the id`);
  const badHits = damaged.filter((s) => s.id.startsWith(query));
  if (badHits.length === 1) throw new DamagedJournalError(badHits[0].path, badHits[0].kind, badHits[0].reason);
  throw new JournalError(`no session "${query}"; run \`badgate sessions\` to list them`);
}
