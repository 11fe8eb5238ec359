import fc from 'fast-check';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/engine/events.js';
import { DamagedJournalError, Journal, JournalError, lockPathOf, readJournal } from '../../src/sessions/journal.js';
import { scanJournal } from '../../src/sessions/scan.js';
import { answerEvent, line, startEvent, tempDir } from './helpers.js';

const events: JournalEvent[] = [
  startEvent('fuzz'),
  ...Array.from({ length: 11 }, (_, i) => i % 3 === 2
    ? { seq: i + 2, at: '2026-11-21T10:01:00.000Z', type: 'note' as const, text: `note ${i} with "quotes", \\ and ünïcode ✓` }
    : answerEvent(i + 2, `answer ${i}`)),
];
const lines = events.map(line);
const clean = Buffer.from(lines.join(''));
/** Byte offset where each line ends, newline included. */
const ends = lines.reduce<number[]>((acc, l) => [...acc, (acc.at(-1) ?? 0) + Buffer.byteLength(l)], []);

const tricky = fc.constantFrom(
  Buffer.from('\n'), Buffer.from('{"seq":'), Buffer.from('"}\n'), Buffer.from([0]), Buffer.from([0xff, 0xfe]),
  Buffer.from([0xe2, 0x9c]), Buffer.from('\r\n'), Buffer.from('{"type":"start"}\n'), Buffer.from('   '),
);
const garbage = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 48 }).map((a) => Buffer.from(a)), tricky);

/** A damage to a clean journal, and the first byte it touches. */
type Damage = { bytes: Buffer; at: number; what: string };
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.nat({ max: clean.length }).map((at) => ({ bytes: clean.subarray(0, at), at, what: `truncated at ${at}` })),
  fc.tuple(fc.nat({ max: clean.length }), garbage).map(([at, g]) => ({
    bytes: Buffer.concat([clean.subarray(0, at), g, clean.subarray(at)]), at, what: `inserted ${g.toString('hex')} at ${at}`,
  })),
  fc.tuple(fc.nat({ max: clean.length - 1 }), garbage).map(([at, g]) => ({
    bytes: Buffer.concat([clean.subarray(0, at), g, clean.subarray(Math.min(clean.length, at + g.length))]), at, what: `overwrote with ${g.toString('hex')} at ${at}`,
  })),
  fc.tuple(fc.nat({ max: clean.length }), garbage).map(([at, g]) => ({
    bytes: Buffer.concat([clean.subarray(0, at), g]), at, what: `cut at ${at} and ended with ${g.toString('hex')}`,
  })),
);

const dir = tempDir('badgate-journal-fuzz-');
let n = 0;

describe('journal reader under random damage', () => {
  it('never throws anything but a JournalError, whatever the bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
      const path = join(dir, `raw-${n++}.jsonl`);
      writeFileSync(path, bytes);
      expect(() => scanJournal(bytes)).not.toThrow();
      try {
        readJournal(path);
      } catch (e) {
        expect(e).toBeInstanceOf(JournalError);
      }
    }), { numRuns: 300 });
  });

  it('keeps every complete line before the damage, and repair-then-append leaves a readable journal', () => {
    fc.assert(fc.property(damage, ({ bytes, at }) => {
      const path = join(dir, `d-${n++}.jsonl`);
      writeFileSync(path, bytes);
      const intact = events.filter((_, i) => ends[i] <= at);
      let read: JournalEvent[];
      try {
        read = readJournal(path).events;
      } catch (e) {
        expect(e).toBeInstanceOf(DamagedJournalError);
        // Only damage that reaches the start line makes a journal unreadable as a whole.
        expect(intact).toEqual([]);
        expect(() => Journal.open(path)).toThrow(DamagedJournalError);
        expect(existsSync(lockPathOf(path))).toBe(false);
        return;
      }
      const seqs = new Set(read.map((e) => e.seq));
      for (const e of intact) expect(seqs.has(e.seq)).toBe(true);
      expect(read.slice(0, intact.length)).toEqual(intact);

      const j = Journal.open(path);
      const added = j.append({ type: 'note', text: 'after repair' });
      j.close();
      const after = readJournal(path);
      expect(after.events.at(-1)).toEqual(added);
      expect(added.seq).toBe(Math.max(...read.map((e) => e.seq)) + 1);
      // Repair loses nothing that was readable, and the new line is never skipped.
      expect(after.events.slice(0, -1)).toEqual(read);
      expect(readFileSync(path, 'utf8').endsWith(`${JSON.stringify(added)}\n`)).toBe(true);
      expect(existsSync(lockPathOf(path))).toBe(false);
      // Whatever was cut off is kept beside the journal, byte for byte.
      const tail = bytes.subarray(bytes.lastIndexOf(0x0a) + 1);
      if (tail.toString('utf8').trim() && !scanJournal(bytes).torn?.event) {
        expect(readFileSync(`${path}.torn`)).toEqual(Buffer.concat([tail, Buffer.from('\n')]));
      }
      rmSync(path, { force: true });
    }), { numRuns: 400 });
  });
});
