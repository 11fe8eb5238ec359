import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { JournalEvent, NewEvent } from '../engine/events.js';
import { scrubValue } from '../engine/scrub.js';

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

export class JournalError extends Error {}

/**
 * An append-only JSONL journal. Each event is written and fsynced before append
 * returns, so Ctrl+C, kill -9 or a closed terminal loses nothing already entered.
 */
export class Journal {
  private fd: number | undefined;
  private seq: number;

  private constructor(readonly path: string, readonly events: JournalEvent[], private readonly now: () => Date) {
    this.seq = events.length ? events[events.length - 1].seq : 0;
  }

  static create(dir: string, id: string, now: () => Date = () => new Date()): Journal {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new JournalError(`cannot create the session folder ${dir} (${(e as NodeJS.ErrnoException).code}); set BADGATE_STATE_DIR to a writable folder`);
    }
    const path = join(dir, `${id}.jsonl`);
    if (existsSync(path)) throw new JournalError(`session ${id} already exists`);
    return new Journal(path, [], now);
  }

  static open(path: string, now: () => Date = () => new Date()): Journal {
    return new Journal(path, readJournal(path).events, now);
  }

  append(e: NewEvent): JournalEvent {
    const event = scrubValue({ seq: this.seq + 1, at: this.now().toISOString(), ...e }) as JournalEvent;
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

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface ReadResult {
  events: JournalEvent[];
  /** Lines that could not be read, e.g. the half-written last line of a crash. */
  skipped: number[];
}

export function readJournal(path: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new JournalError(`cannot read ${path} (${(e as NodeJS.ErrnoException).code})`);
  }
  const events: JournalEvent[] = [];
  const skipped: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as JournalEvent;
      if (typeof e?.type === 'string' && typeof e.seq === 'number') events.push(e);
      else skipped.push(i + 1);
    } catch {
      skipped.push(i + 1);
    }
  });
  if (!events.length || events[0].type !== 'start') throw new JournalError(`${path} is not a badgate session journal`);
  return { events, skipped };
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
}

function summarize(path: string, id: string): SessionSummary | undefined {
  try {
    const { events } = readJournal(path);
    const start = events[0] as Extract<JournalEvent, { type: 'start' }>;
    const titleAnswer = [...events].reverse().find((e) => e.type === 'answer' && e.set && typeof e.set['incident.title'] === 'string');
    const title = titleAnswer && titleAnswer.type === 'answer' ? String(titleAnswer.set!['incident.title']) : '(untitled)';
    const ends = events.filter((e) => e.type === 'end').length;
    const backsAfterEnd = events.findLastIndex((e) => e.type === 'back') > events.findLastIndex((e) => e.type === 'end');
    return {
      id, path, flow: start.flow, title, startedAt: start.at, updatedAt: events[events.length - 1].at,
      ended: ends > 0 && !backsAfterEnd, events: events.length,
    };
  } catch {
    return undefined;
  }
}

/** Every readable session, newest first. */
export function listSessions(dir: string): SessionSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => summarize(join(dir, f), f.slice(0, -'.jsonl'.length)))
    .filter((s): s is SessionSummary => s !== undefined)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** Finds a session by id or unique id prefix. */
export function findSession(dir: string, query: string): SessionSummary {
  const all = listSessions(dir);
  const exact = all.find((s) => s.id === query);
  if (exact) return exact;
  const hits = all.filter((s) => s.id.startsWith(query));
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) throw new JournalError(`"${query}" matches ${hits.length} sessions (${hits.slice(0, 3).map((s) => s.id).join(', ')}…); type more of the id`);
  throw new JournalError(`no session "${query}"; run \`badgate sessions\` to list them`);
}
