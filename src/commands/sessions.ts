import { listSessions, sessionsDir } from '../sessions/journal.js';
import type { Io } from './io.js';

export function sessionsCommand(io: Io, opts: { json?: boolean } = {}): number {
  const all = listSessions(sessionsDir());
  if (opts.json) {
    io.out(JSON.stringify(all, null, 2));
    return 0;
  }
  if (!all.length) {
    io.out(`No sessions yet (looked in ${sessionsDir()}). Start one with \`badgate\`.`);
    return 0;
  }
  io.out('ID                    STATUS      UPDATED (UTC)      FLOW  TITLE');
  for (const s of all) {
    io.out(`${s.id.padEnd(21)} ${(s.ended ? 'finished' : 'unfinished').padEnd(11)} ${s.updatedAt.slice(0, 16).replace('T', ' ').padEnd(18)} ${s.flow.padEnd(5)} ${s.title}`);
  }
  return 0;
}
