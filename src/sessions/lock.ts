import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
}

interface LockContent extends LockHolder {
  token: string;
}

/** Another process has the journal open for writing. */
export class LockHeldError extends Error {
  constructor(readonly lockPath: string, readonly holder: LockHolder | undefined) {
    super(`${lockPath} is held`);
  }
}

/** The lock file could not be created for a reason other than another holder. */
export class LockIoError extends Error {
  constructor(readonly lockPath: string, readonly code: string) {
    super(`cannot create ${lockPath} (${code})`);
  }
}

/**
 * A lock file whose creator crashed between creating and writing it holds no pid; after
 * this long it is treated as abandoned rather than as a writer still starting up.
 */
const UNWRITTEN_LOCK_STALE_MS = 10_000;

const held = new Map<string, string>();
let hooked = false;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockContent | 'gone' | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.since === 'string') {
      return { pid: v.pid, host: v.host, since: v.since, token: String(v.token ?? '') };
    }
  } catch {
    // An unparsable lock is judged by its age below.
  }
  return undefined;
}

function isStale(lockPath: string, holder: LockContent | undefined): boolean {
  if (holder) return holder.host === hostname() && !pidAlive(holder.pid);
  try {
    return Date.now() - statSync(lockPath).mtimeMs > UNWRITTEN_LOCK_STALE_MS;
  } catch {
    return false;
  }
}

function releaseAll(): void {
  for (const lockPath of [...held.keys()]) releaseLock(lockPath);
}

function onSignal(signal: NodeJS.Signals): void {
  // Only stand in for the default action (exit) when nobody else handles the signal.
  const alone = process.listenerCount(signal) === 1;
  releaseAll();
  unhook();
  if (alone) process.kill(process.pid, signal);
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', releaseAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unhook(): void {
  if (!hooked) return;
  hooked = false;
  process.off('exit', releaseAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Takes `lockPath` with O_EXCL. A lock left by a dead process on this host is taken over;
 * one on another host cannot be checked, so it is reported as held.
 */
export function acquireLock(lockPath: string, now: () => Date = () => new Date()): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      if (code !== 'EEXIST') throw new LockIoError(lockPath, code);
      const holder = readHolder(lockPath);
      if (holder === 'gone') continue;
      if (!isStale(lockPath, holder)) throw new LockHeldError(lockPath, holder && { pid: holder.pid, host: holder.host, since: holder.since });
      // Re-read just before removing, so a lock another process took over meanwhile survives.
      const again = readHolder(lockPath);
      if (again !== 'gone' && again?.token === holder?.token) {
        try { unlinkSync(lockPath); } catch { /* someone else removed it; retry */ }
      }
      continue;
    }
    const content: LockContent = { pid: process.pid, host: hostname(), since: now().toISOString(), token: randomBytes(8).toString('hex') };
    try {
      writeSync(fd, `${JSON.stringify(content)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    held.set(lockPath, content.token);
    hook();
    return;
  }
  throw new LockHeldError(lockPath, undefined);
}

/** Removes the lock if it is still ours. */
export function releaseLock(lockPath: string): void {
  const token = held.get(lockPath);
  if (token === undefined) return;
  held.delete(lockPath);
  const holder = readHolder(lockPath);
  if (holder && holder !== 'gone' && holder.token === token) {
    try { unlinkSync(lockPath); } catch { /* already gone */ }
  }
  if (!held.size) unhook();
}
