import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEvent } from '../../src/engine/events.js';

export const tempDir = (prefix = 'badgate-journal-') => mkdtempSync(join(tmpdir(), prefix));

export function startEvent(id = 'sess-1'): JournalEvent {
  return { seq: 1, at: '2026-11-21T10:00:00.000Z', type: 'start', sessionId: id, flow: 'alb', flowTitle: 'ALB', version: 1, start: 'intake-title', context: { mode: 'manual' } };
}

export function answerEvent(seq: number, value: string): JournalEvent {
  return { seq, at: `2026-11-21T10:00:${String(seq).padStart(2, '0')}.000Z`, type: 'answer', node: 'intake-title', value, label: value, set: { 'incident.title': value }, next: 'intake-started' };
}

export const line = (e: JournalEvent) => `${JSON.stringify(e)}\n`;

/** A journal of `n` complete events (a start and answers) in `dir`, optionally followed by raw bytes. */
export function writeJournal(dir: string, id: string, n: number, tail: string | Buffer = ''): string {
  const path = join(dir, `${id}.jsonl`);
  const body = [startEvent(id), ...Array.from({ length: n - 1 }, (_, i) => answerEvent(i + 2, `answer ${i + 2}`))].map(line).join('');
  writeFileSync(path, Buffer.concat([Buffer.from(body), Buffer.from(tail)]));
  return path;
}
