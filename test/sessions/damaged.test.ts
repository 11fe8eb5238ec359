import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DamagedJournalError, findSession, Journal, listSessions, readJournal, scanSessions } from '../../src/sessions/journal.js';
import { answerEvent, line, tempDir, writeJournal } from './helpers.js';

function damagedDir(): string {
  const dir = tempDir();
  writeJournal(dir, 'good', 3);
  writeFileSync(join(dir, 'empty.jsonl'), '');
  writeFileSync(join(dir, 'blank.jsonl'), '\n\n  \n');
  writeFileSync(join(dir, 'binary.jsonl'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0a, 0xff, 0xfe, 0x00]));
  writeFileSync(join(dir, 'startless.jsonl'), line(answerEvent(7, 'x')) + line(answerEvent(8, 'y')));
  writeFileSync(join(dir, 'text.jsonl'), 'hello\nworld\n');
  // A folder where a journal should be: readdir lists it, reading it fails (EISDIR).
  mkdirSync(join(dir, 'folder.jsonl'));
  return dir;
}

describe('damaged journals', () => {
  it('are listed with what is wrong with each, not dropped', () => {
    const { sessions, damaged } = scanSessions(damagedDir());
    expect(sessions.map((s) => s.id)).toEqual(['good']);
    const why = Object.fromEntries(damaged.map((d) => [d.id, [d.kind, d.reason]]));
    expect(why).toEqual({
      empty: ['empty', 'the file is empty (0 bytes)'],
      blank: ['empty', 'the file holds only blank lines'],
      binary: ['binary', 'the file holds binary data, not JSON lines (9 bytes)'],
      startless: ['no-start', 'its beginning is missing: the first event is "answer" (seq 7), not "start"'],
      text: ['no-start', 'none of its 2 lines is a badgate event'],
      folder: ['unreadable', 'cannot read it (EISDIR)'],
    });
    for (const d of damaged) expect(d.damaged).toBe(true);
  });

  it('listSessions still returns only sessions that can be resumed', () => {
    expect(listSessions(damagedDir()).map((s) => s.id)).toEqual(['good']);
  });

  it('finding one by id or prefix says it is damaged and why', () => {
    const dir = damagedDir();
    expect(() => findSession(dir, 'empty')).toThrow(DamagedJournalError);
    expect(() => findSession(dir, 'empty')).toThrow('session empty is damaged: the file is empty (0 bytes)');
    expect(() => findSession(dir, 'startl')).toThrow(/session startless is damaged: its beginning is missing/);
    expect(() => findSession(dir, 'nope')).toThrow('no session "nope"; run `badgate sessions` to list them');
    expect(findSession(dir, 'go').id).toBe('good');
  });

  it('reading or opening one throws the typed error with a next step', () => {
    const dir = damagedDir();
    for (const id of ['empty', 'binary', 'startless', 'folder']) {
      const path = join(dir, `${id}.jsonl`);
      expect(() => readJournal(path)).toThrow(DamagedJournalError);
      let err: DamagedJournalError | undefined;
      try { Journal.open(path); } catch (e) { err = e as DamagedJournalError; }
      expect(err).toBeInstanceOf(DamagedJournalError);
      expect(err!.next).toContain(path);
    }
    // A failed open does not leave its lock behind.
    writeJournal(dir, 'empty', 2);
    Journal.open(join(dir, 'empty.jsonl')).close();
  });

  it('skips unreadable lines in the middle and says which and why', () => {
    const dir = tempDir();
    const path = writeJournal(dir, 'mid', 2, `{"seq":3,"at":"x","type":"answer"}\nnot json\n${line(answerEvent(5, 'z'))}`);
    const r = readJournal(path);
    expect(r.events.map((e) => e.seq)).toEqual([1, 2, 5]);
    expect(r.skippedLines).toEqual([{ line: 3, reason: 'answer event without "node"' }, { line: 4, reason: 'not valid JSON' }]);
  });
});
