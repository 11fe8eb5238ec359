import type { Facts } from '../engine/vocabulary.js';
import type { SessionContext } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { Journal, newSessionId, sessionsDir } from '../sessions/journal.js';

/** The terminal's time zone (TZ, else the system's), in which typed times are read. */
export function terminalZone(): string {
  return process.env.TZ?.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Opens a new journal and writes its start event with what the run already knows. */
export function startSession(flow: Flow, context: SessionContext, facts: Facts, now = new Date()): Journal {
  const id = newSessionId(now);
  const journal = Journal.create(sessionsDir(), id);
  journal.append({
    type: 'start', sessionId: id, flow: flow.id, flowTitle: flow.title, version: 1, start: flow.start, context,
    facts: { 'session.timeZone': terminalZone(), ...facts, 'session.id': id, 'session.mode': context.mode },
  });
  return journal;
}
