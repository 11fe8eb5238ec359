import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { JournalEvent } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { loadCatalog, loadFlow } from '../flow-files.js';
import { buildPostmortem, postmortemJson, POSTMORTEM_FORMATS, renderPostmortem, type PostmortemFormat } from '../report/postmortem.js';
import { findSession, JournalError, readJournal, sessionsDir, stateDir, type SkippedLine } from '../sessions/journal.js';
import type { Io } from './io.js';
import { BadgateError } from '../engine/errors.js';
import { reevaluateJournal } from '../engine/reevaluate.js';
import { evaluateStored } from '../checks/runner.js';

export function renderReport(events: readonly JournalEvent[], flow: Flow, opts: { json?: boolean; redact?: boolean; format?: PostmortemFormat }): string {
  const p = buildPostmortem(events, flow, loadCatalog());
  return opts.json ? `${postmortemJson(p, opts)}\n` : renderPostmortem(p, opts);
}

/** Writes a report file; on an unwritable path, says so and where it went instead. */
/** `postmortem-x.md` → `postmortem-x.2.md`, `.3.md`, …: the first name not taken. */
export function freeName(path: string): string {
  if (!existsSync(path)) return path;
  const m = /^(.*?)(\.[^./\\]+)?$/.exec(path)!;
  for (let n = 2; ; n++) {
    const candidate = `${m[1]}.${n}${m[2] ?? ''}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/**
 * Writes a report file; on an unwritable path, says so and where it went instead. With `keep`,
 * an existing file (a postmortem the responder may have edited) is never overwritten: the
 * report goes to the next free name.
 */
export function writeReportFile(wanted: string, content: string, opts: { keep?: boolean } = {}): { path: string; fallback?: string } {
  const path = opts.keep ? freeName(wanted) : wanted;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, content);
    return { path: resolve(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const fallback = join(stateDir(), 'reports', path.replace(/^.*[/\\]/, ''));
    mkdirSync(dirname(fallback), { recursive: true });
    writeFileSync(fallback, content);
    return { path: fallback, fallback: `cannot write ${path} (${code}); wrote ${fallback} instead` };
  }
}

/** The layout named by --format, or a clear error naming the ones there are. */
export function postmortemFormat(given: string | undefined): PostmortemFormat {
  if (given === undefined) return 'google';
  const f = given.toLowerCase() as PostmortemFormat;
  if (POSTMORTEM_FORMATS.includes(f)) return f;
  throw new BadgateError(`unknown --format "${given}"`, `use one of: ${POSTMORTEM_FORMATS.join(', ')} (google is the Google SRE layout, the default)`);
}

export function reportCommand(query: string | undefined, flags: { json?: boolean; redact?: boolean; out?: string; reevaluate?: boolean; format?: string }, io: Io): number {
  const format = postmortemFormat(flags.format);
  if (!query) throw new BadgateError('which session?', '`badgate sessions` lists them; then `badgate report <id>`');
  let events: JournalEvent[];
  let skipped: SkippedLine[];
  let id: string;
  try {
    const found = findSession(sessionsDir(), query);
    id = found.id;
    ({ events, skippedLines: skipped } = readJournal(found.path));
  } catch (e) {
    if (e instanceof JournalError) throw new BadgateError(e.message, e.next);
    throw new BadgateError((e as Error).message);
  }
  if (skipped.length) {
    const shown = skipped.slice(0, 5).map((s) => `line ${s.line}: ${s.reason}`).join('; ');
    io.err(`badgate report: skipped ${skipped.length} unreadable line${skipped.length === 1 ? '' : 's'} of session ${id} (${shown}${skipped.length > 5 ? '; …' : ''}); the report covers the other ${events.length} events`);
  }
  const start = events[0] as Extract<JournalEvent, { type: 'start' }>;
  let flow: Flow;
  try {
    flow = loadFlow(start.flow);
  } catch (e) {
    throw new BadgateError(`cannot load flow "${start.flow}" for this session:\n${(e as Error).message}`);
  }
  if (flags.reevaluate) {
    const r = reevaluateJournal(events, evaluateStored);
    events = r.events;
    io.err(`Re-evaluated ${r.reevaluated} check(s) from their stored evidence${r.changed.length ? `; ${r.changed.length} changed outcome: ${r.changed.map((c) => `${c.check} at ${c.node} ${c.was} → ${c.now}`).join(', ')}` : '; no outcome changed'}.`);
    for (const k of r.skipped) io.err(`  not re-evaluated: ${k.check} at ${k.node}: ${k.why}`);
  }
  const content = renderReport(events, flow, { json: flags.json, redact: flags.redact, format });
  if (!flags.out) {
    io.out(content);
    return 0;
  }
  try {
    mkdirSync(dirname(resolve(flags.out)), { recursive: true });
    writeFileSync(flags.out, content);
  } catch (e) {
    throw new BadgateError(`cannot write ${flags.out} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'choose a writable path with --out, or leave --out off to print to the terminal');
  }
  io.err(`Postmortem written to ${resolve(flags.out)}`);
  return 0;
}
