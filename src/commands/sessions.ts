import { scanSessions, sessionsDir } from '../sessions/journal.js';
import type { Io } from './io.js';
import { BadgateError } from '../engine/errors.js';

export function sessionsCommand(io: Io, opts: { json?: boolean } = {}): number {
  let found;
  try {
    found = scanSessions(sessionsDir());
  } catch (e) {
    throw new BadgateError((e as Error).message, (e as { next?: string }).next);
  }
  const { sessions, damaged } = found;
  if (opts.json) {
    // Damaged journals follow the readable ones, marked `damaged: true` with the reason.
    io.out(JSON.stringify([...sessions, ...damaged], null, 2));
    return 0;
  }
  if (!sessions.length && !damaged.length) {
    io.out(`No sessions yet (looked in ${sessionsDir()}). Start one with \`badgate\`.`);
    return 0;
  }
  const row = (s: (typeof sessions)[number]) => `${s.id.padEnd(21)} ${(s.ended ? 'finished' : s.abandoned ? 'abandoned' : 'unfinished').padEnd(11)} ${s.updatedAt.slice(0, 16).replace('T', ' ').padEnd(18)} ${s.flow.padEnd(5)} ${s.title}`;
  const incidents = sessions.filter((s) => !s.drill);
  const drills = sessions.filter((s) => s.drill);
  io.out('ID                    STATUS      UPDATED (UTC)      FLOW  TITLE');
  for (const s of incidents) io.out(row(s));
  for (const d of damaged) {
    io.out(`${d.id.padEnd(21)} ${'damaged'.padEnd(11)} ${d.updatedAt.slice(0, 16).replace('T', ' ').padEnd(18)} ${'-'.padEnd(5)} ${d.reason}`);
  }
  if (drills.length) {
    io.out(`\nDrills (training, not incidents):`);
    for (const s of drills) io.out(row(s));
  }
  if (damaged.length) {
    io.out(`\n${damaged.length} damaged journal${damaged.length === 1 ? '' : 's'} cannot be resumed or reported; the files are in ${sessionsDir()}. Move them aside or restore them from a backup.`);
  }
  return 0;
}
