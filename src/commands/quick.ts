import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FLOWS_DIR } from '../flows-dir.js';
import { contentKey, readCached, writeCached } from '../sessions/result-cache.js';
import type { Io } from './io.js';

/**
 * The answers of `badgate flows lint` and `badgate drill` (the list) when their files have not
 * changed since the last run: printed without loading the YAML parser, the schemas or any check.
 */

interface Printed {
  out: string[];
  err: string[];
  code: number;
}

function yamlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)).sort() : [];
}

/** Every file a verdict can depend on: the given ones, and all shipped flows, the catalog and drills. */
function inputs(files: string[]): string[] {
  return [...files.map((f) => resolve(f)), ...yamlFiles(FLOWS_DIR), ...yamlFiles(join(FLOWS_DIR, 'drills'))];
}

function recorder(): { io: Io; printed: Printed } {
  const printed: Printed = { out: [], err: [], code: 0 };
  return { printed, io: { out: (s) => { printed.out.push(s); }, err: (s) => { printed.err.push(s); } } };
}

async function cachedRun(name: string, files: string[], extra: string, io: Io, run: (io: Io) => Promise<number>): Promise<number> {
  const key = contentKey(inputs(files), extra);
  const hit = readCached<Printed>(name, key);
  const printed = hit ?? await (async () => {
    const r = recorder();
    r.printed.code = await run(r.io);
    writeCached(name, key, r.printed);
    return r.printed;
  })();
  for (const s of printed.out) io.out(s);
  for (const s of printed.err) io.err(s);
  return printed.code;
}

export function flowsLintCached(files: string[], io: Io): Promise<number> {
  return cachedRun('flows-lint', files, `lint:${files.join('\0')}`, io, async (rec) => (await import('./flows.js')).flowsCommand('lint', files, rec));
}

export function drillListCached(json: boolean, io: Io): Promise<number> {
  return cachedRun('drill-list', [], `drills:${json}`, io, async (rec) => (await import('./drill.js')).listDrills(rec, json));
}
