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
import { replay } from '../engine/session.js';
import { board } from '../engine/board.js';
import { causeRelations } from '../engine/causes.js';
import { mitigationLines } from '../engine/mitigate.js';

/**
 * The session's commands, one a line, ready to paste: for each confirmed cause the flow's
 * emergency move and lasting fix filled with the session's facts, the commands the evidence
 * gave, then how to verify. Headings are shell comments and a command still missing a value
 * is commented out with what to fill in, so the text stays valid shell; badgate runs none.
 */
export function sessionCommands(events: readonly JournalEvent[], flow: Flow): string[] {
  const catalog = loadCatalog();
  const causes = new Map(catalog.causes.map((c) => [c.id, c]));
  const s = replay(events);
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (heading: string, cmds: readonly string[]): void => {
    const fresh = [...new Set(cmds)].filter((c) => !seen.has(c));
    if (fresh.length === 0) return;
    out.push(`# ${heading}`);
    for (const c of fresh) {
      seen.add(c);
      const missing = c.match(/<[a-z][\w.-]*>/g);
      out.push(missing ? `# fill in ${[...new Set(missing)].join(', ')} first: ${c}` : c);
    }
  };
  const verify: string[] = [];
  let confirmed = false;
  for (const entry of board(s, causeRelations(catalog))) {
    const mitigation = flow.mitigate?.causes[entry.cause];
    if (entry.confidence !== 'confirmed' || !mitigation) continue;
    confirmed = true;
    const lines = mitigationLines({ cause: entry.cause, mitigation, verify: flow.mitigate?.verify ?? [], entry }, s.facts, flow.lookups, causes.get(entry.cause));
    const title = causes.get(entry.cause)?.title ?? entry.cause;
    add(`${title}: emergency move`, lines.filter((l) => l.section === 'now' && l.command).map((l) => l.text));
    add(`${title}: lasting fix`, lines.filter((l) => l.section === 'fix' && l.command).map((l) => l.text));
    verify.push(...lines.filter((l) => l.section === 'verify' && l.command).map((l) => l.text));
  }
  add('from the evidence', buildPostmortem(events, flow, catalog).fixCommands);
  if (confirmed) add('verify: the 502s have stopped', verify);
  return out;
}

export function renderReport(events: readonly JournalEvent[], flow: Flow, opts: { json?: boolean; redact?: boolean; format?: PostmortemFormat }): string {
  const p = buildPostmortem(events, flow, loadCatalog());
  return opts.json ? `${postmortemJson(p, opts)}\n` : renderPostmortem(p, opts);
}

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

export function reportCommand(query: string | undefined, flags: { json?: boolean; redact?: boolean; out?: string; reevaluate?: boolean; format?: string; printCommands?: boolean }, io: Io): number {
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
  if (flags.printCommands) {
    const cmds = sessionCommands(events, flow);
    if (cmds.length === 0) io.err(`badgate report: session ${id} has no command to print: no cause was confirmed with a known fix, and no evidence named one`);
    else io.out(`${cmds.join('\n')}\n`);
    return 0;
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
