import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../../src/sessions/journal.js';
import { answerEvent, line, tempDir, writeJournal } from './helpers.js';

describe('a journal whose last line was cut mid-write', () => {
  const torn = line(answerEvent(4, 'cut')).slice(0, 37);

  it('is repaired on open: the next answer lands on its own line and survives', () => {
    const path = writeJournal(tempDir(), 's1', 3, torn);
    const j = Journal.open(path);
    const e = j.append({ type: 'answer', node: 'intake-started', value: 'now', label: 'now', next: 'x' });
    j.close();
    expect(e.seq).toBe(4);
    const back = readJournal(path);
    expect(back.events.map((x) => x.seq)).toEqual([1, 2, 3, 4]);
    expect(back.events[3]).toMatchObject({ type: 'answer', value: 'now' });
    expect(back.skipped).toEqual([]);
    expect(j.warnings).toHaveLength(1);
    expect(j.warnings[0]).toMatch(/last line of session s1 was cut off mid-write \(37 bytes.*kept them in .*s1\.jsonl\.torn/);
  });

  it('keeps the torn bytes in <journal>.torn and warns only once', () => {
    const path = writeJournal(tempDir(), 's2', 2, torn);
    Journal.open(path).close();
    expect(readFileSync(`${path}.torn`, 'utf8')).toBe(`${torn}\n`);
    const again = Journal.open(path);
    expect(again.warnings).toEqual([]);
    again.close();
  });

  it('keeps a whole last event that only lacks its newline, without a warning', () => {
    const whole = line(answerEvent(3, 'whole')).trimEnd();
    const path = writeJournal(tempDir(), 's3', 2, whole);
    const j = Journal.open(path);
    expect(j.warnings).toEqual([]);
    expect(j.events.map((x) => x.seq)).toEqual([1, 2, 3]);
    j.append({ type: 'note', text: 'after' });
    j.close();
    expect(existsSync(`${path}.torn`)).toBe(false);
    expect(readJournal(path).events.map((x) => x.type)).toEqual(['start', 'answer', 'answer', 'note']);
  });

  it('reading without opening for writing changes nothing and reports the torn line as skipped', () => {
    const path = writeJournal(tempDir(), 's4', 3, torn);
    const before = readFileSync(path);
    const r = readJournal(path);
    expect(r.skipped).toEqual([4]);
    expect(r.skippedLines[0].reason).toMatch(/cut off mid-write/);
    expect(readFileSync(path)).toEqual(before);
  });
});
