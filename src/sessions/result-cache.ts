import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stateDir } from './journal.js';

/**
 * Results that depend only on files (lint verdicts, the drill list) are kept under the state
 * directory, keyed by a hash of those files and of badgate's own code, so a repeated command
 * answers without loading the YAML parser, the schemas and every check (as eslint --cache does).
 * BADGATE_NO_CACHE=1 turns it off.
 */
export function contentKey(files: readonly string[], extra = ''): string {
  const h = createHash('sha256').update(extra).update(codeStamp());
  for (const f of files) {
    h.update(`\0${f}\0`);
    try {
      h.update(readFileSync(f));
    } catch (e) {
      h.update(`unreadable:${(e as NodeJS.ErrnoException).code}`);
    }
  }
  return h.digest('hex');
}

/** Sizes and times of the files beside the running code: a rebuilt badgate never reads an old verdict. */
function codeStamp(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  try {
    return readdirSync(dir).map((f) => {
      const s = statSync(join(dir, f));
      return `${f}:${s.size}:${s.mtimeMs}`;
    }).join('|');
  } catch {
    return 'unknown';
  }
}

function cacheFile(name: string): string {
  return join(stateDir(), 'cache', `${name}.json`);
}

export function readCached<T>(name: string, key: string): T | undefined {
  if (process.env.BADGATE_NO_CACHE) return undefined;
  try {
    const entry = JSON.parse(readFileSync(cacheFile(name), 'utf8')) as { key?: string; value?: T };
    return entry.key === key ? entry.value : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only state directory only costs the next run its speed. */
export function writeCached(name: string, key: string, value: unknown): void {
  if (process.env.BADGATE_NO_CACHE) return;
  const file = cacheFile(name);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, value }));
    renameSync(tmp, file);
  } catch {
    // Nothing to do: the command's answer is already on screen.
  }
}
