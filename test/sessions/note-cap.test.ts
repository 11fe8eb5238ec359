import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capNote, Journal, MAX_NOTE_BYTES, readJournal } from '../../src/sessions/journal.js';
import { tempDir, writeJournal } from './helpers.js';

describe('note size cap', () => {
  it('cuts a huge note at entry and says so in the note', () => {
    const path = writeJournal(tempDir(), 'big', 2);
    const j = Journal.open(path);
    const e = j.append({ type: 'note', text: 'x'.repeat(5 * 1024 * 1024) });
    j.append({ type: 'answer', node: 'intake-started', value: 'now', label: 'now', note: 'y'.repeat(200_000), next: 'z' });
    j.close();
    expect(e.type === 'note' && e.text).toMatch(/^x{65000,}\n\[note cut: it was 5\.0 MB and badgate keeps notes up to 64 KiB; save long output to a file and note its path\]$/);
    expect(e.type === 'note' && Buffer.byteLength(e.text)).toBe(MAX_NOTE_BYTES);
    expect(statSync(path).size).toBeLessThan(3 * MAX_NOTE_BYTES);
    const [, , note, answer] = readJournal(path).events;
    expect(note.type === 'note' && note.text.startsWith('x'.repeat(1000))).toBe(true);
    expect(answer.type === 'answer' && answer.note).toMatch(/\[note cut: it was 0\.2 MB/);
  });

  it('caps a huge note already in an older journal when it is read, leaving the file as it is', () => {
    const note = { seq: 3, at: '2026-11-21T10:00:03.000Z', type: 'note', text: 'z'.repeat(1024 * 1024) };
    const path = writeJournal(tempDir(), 'old', 2, `${JSON.stringify(note)}\n`);
    const size = statSync(path).size;
    const [, , read] = readJournal(path).events;
    expect(read.type === 'note' && read.text).toMatch(/^z{65000,}\n\[note cut: it was 1\.0 MB/);
    const j = Journal.open(path);
    expect(j.events[2].type === 'note' && j.events[2].text.length).toBeLessThan(MAX_NOTE_BYTES + 200);
    j.close();
    expect(statSync(path).size).toBe(size);
  });

  it('keeps notes up to the cap as they are and never splits a character', () => {
    expect(capNote('short')).toBe('short');
    const exact = 'a'.repeat(MAX_NOTE_BYTES);
    expect(capNote(exact)).toBe(exact);
    for (const lead of ['', 'a']) {
      const cut = capNote(`${lead}${'é'.repeat(MAX_NOTE_BYTES)}`);
      const kept = cut.slice(0, cut.indexOf('\n[note cut'));
      expect(kept).toMatch(new RegExp(`^${lead}é{32000,}$`));
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_NOTE_BYTES);
      expect(capNote(cut)).toBe(cut);
    }
  });
});
