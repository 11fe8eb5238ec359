import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, JournalError, JournalLockedError, lockPathOf, readJournal } from '../../src/sessions/journal.js';
import type { NewEvent } from '../../src/engine/events.js';
import { startEvent, tempDir, writeJournal } from './helpers.js';

const JOURNAL_TS = resolve(import.meta.dirname, '../../src/sessions/journal.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A second badgate process: opens the journal, says "ready", then runs `then`. */
function holder(path: string, then: string): Promise<{ child: ChildProcess; out: () => string }> {
  const code = `import { Journal } from ${JSON.stringify(JOURNAL_TS)};
const j = Journal.open(${JSON.stringify(path)});
j.append({ type: 'note', text: 'from the child' });
process.stdout.write('ready\\n');
${then}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) ok({ child, out: () => out });
    });
    child.on('exit', (c) => { if (!out.includes('ready')) fail(new Error(`child exited ${c}: ${err}`)); });
  });
}

const exited = (c: ChildProcess) => new Promise<void>((ok) => { if (c.exitCode !== null || c.signalCode !== null) ok(); else c.on('exit', () => ok()); });

function plantLock(path: string, holder: object): void {
  mkdirSync(dirname(lockPathOf(path)), { recursive: true });
  writeFileSync(lockPathOf(path), JSON.stringify(holder));
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

describe('single writer per journal', () => {
  it('a second writer fails with who holds it, since when, and what to do', async () => {
    const path = writeJournal(tempDir(), 'busy', 2);
    const { child } = await holder(path, 'process.stdin.resume();');
    let err: unknown;
    try {
      Journal.open(path).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JournalLockedError);
    const e = err as JournalError;
    expect(e.message).toMatch(new RegExp(`^session busy is open in another badgate \\(pid ${child.pid} on this host since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)$`));
    expect(e.next).toContain(lockPathOf(path));
    // Nothing was appended by the refused writer: one start, one answer, the child's note.
    expect(readJournal(path).events.map((x) => x.seq)).toEqual([1, 2, 3]);
    child.kill('SIGTERM');
    await exited(child);
    // SIGTERM released the lock on the way out.
    expect(existsSync(lockPathOf(path))).toBe(false);
    const j = Journal.open(path);
    expect(j.append({ type: 'note', text: 'mine now' }).seq).toBe(4);
    j.close();
  });

  it('the lock goes on close and on process exit without close', async () => {
    const path = writeJournal(tempDir(), 'exit', 2);
    const j = Journal.open(path);
    expect(JSON.parse(readFileSync(lockPathOf(path), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    j.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
    const { child } = await holder(path, 'process.exit(0);');
    await exited(child);
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('the lock lives beside the sessions folder, so that folder holds only journals', () => {
    const dir = tempDir();
    const path = writeJournal(dir, 'tidy', 2);
    const j = Journal.open(path);
    expect(readdirSync(dir)).toEqual(['tidy.jsonl']);
    expect(lockPathOf(path)).toBe(join(`${dir}.locks`, 'tidy.jsonl.lock'));
    j.close();
  });

  it('two writers in one process are refused too, and create locks a new journal', () => {
    const dir = tempDir();
    const created = Journal.create(dir, 'fresh');
    const { seq: _s, at: _a, ...start } = startEvent('fresh');
    created.append(start as NewEvent);
    expect(() => Journal.open(join(dir, 'fresh.jsonl'))).toThrow(JournalLockedError);
    created.close();
    Journal.open(join(dir, 'fresh.jsonl')).close();
  });

  it('a lock left by a dead process on this host is taken over', () => {
    const path = writeJournal(tempDir(), 'stale', 2);
    plantLock(path, { pid: deadPid(), host: hostname(), since: '2026-11-21T10:00:00.000Z', token: 'old' });
    const j = Journal.open(path);
    expect(JSON.parse(readFileSync(lockPathOf(path), 'utf8')).pid).toBe(process.pid);
    j.close();
  });

  it('a lock from another host is not second-guessed', () => {
    const path = writeJournal(tempDir(), 'remote', 2);
    plantLock(path, { pid: deadPid(), host: 'elsewhere.example', since: '2026-11-21T10:00:00.000Z', token: 'x' });
    expect(() => Journal.open(path)).toThrow(/open in another badgate \(pid \d+ on host elsewhere\.example since 2026-11-21 10:00:00 UTC\) \(badgate cannot check a process on another host\)/);
  });

  it('refuses to append after close', () => {
    const path = writeJournal(tempDir(), 'closed', 2);
    const j = Journal.open(path);
    j.close();
    expect(() => j.append({ type: 'note', text: 'late' })).toThrow(JournalError);
  });
});
