// What the drill-recording scripts share: a moto state with fixed ids, and a scenario's `aws:` key made
// from a recording.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { anonymiseRecording, compactRecording, type Recording } from '../src/aws/recorded.js';
import { newAccount, startMoto, type MotoAccount } from '../test/helpers/moto-server.js';

export const DRILL_ACCOUNT = '123456789012';

/** A drill's metrics cover the hour before its clock, a point a minute. */
export const MINUTES = 60;

export function flat(v: number): number[] {
  return Array.from({ length: MINUTES }, () => v);
}

/** Series that change at minute `changeAt` (the incident): `before` until then, `after(i)` from it. */
export function changingAt(changeAt: number): (before: number, after: (i: number) => number) => number[] {
  return (before, after) => Array.from({ length: MINUTES }, (_, i) => (i < changeAt ? before : after(i)));
}

/** A fresh moto state with a fixed random seed, so the ids a briefing names come out the same on every run. */
export async function resetMoto(endpoint: string, seed: number): Promise<void> {
  for (const path of ['/moto-api/reset', `/moto-api/seed?a=${seed}`]) {
    const res = await fetch(`${endpoint}${path}`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto ${path}: HTTP ${res.status}`);
  }
}

/**
 * A scenario's `aws:` key: a version-1 recording (AWS calls only, no port field), the account and the
 * test role replaced by stand-ins, sorted so the file stays the same from run to run (replay matches by
 * method and arguments, not order).
 */
export function drillAwsKey(rec: Recording, clock: Date): { version: 1; region: string; recordedAt: string; note?: string; calls: Omit<Recording['calls'][number], 'port'>[] } {
  const text = JSON.stringify(compactRecording(anonymiseRecording(rec, DRILL_ACCOUNT)))
    .replace(/assumed-role\/it\/badgate-test/g, 'assumed-role/OnCallReadOnly/oncall')
    .replace(/(AROA[A-Z0-9]+):badgate-test/g, '$1:oncall');
  const saved = JSON.parse(text) as Recording;
  const calls = saved.calls.filter((c) => (c.port ?? 'aws') === 'aws').map(({ port: _port, ...c }) => c);
  const key = (c: { method: string; args: unknown[] }) => `${c.method}\u0000${JSON.stringify(c.args)}`;
  calls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { version: 1, region: saved.region, recordedAt: clock.toISOString(), ...(saved.note ? { note: saved.note } : {}), calls };
}

export interface DrillRun<D> {
  id: string;
  drill: D;
  /** The scenario file, to set more keys on (its `aws:` key is set from the recording returned). */
  doc: Document;
  /** The scenario's "now". */
  clock: Date;
  account: MotoAccount;
}

/**
 * Records each drill named on the command line (every one when none is): a fresh moto state with the
 * drill's seed, `record` seeds it and runs the checks through a recording reader, and the scenario's
 * `aws:` key is written from what it recorded; the rest of the file stays as written.
 */
export async function recordDrills<D>(drills: Record<string, D>, motoSeed: (drill: D) => number, record: (run: DrillRun<D>) => Promise<Recording>): Promise<void> {
  const wanted = process.argv.slice(2);
  const moto = await startMoto();
  try {
    for (const [id, drill] of Object.entries(drills).filter(([name]) => !wanted.length || wanted.includes(name))) {
      const file = join(import.meta.dirname, `../flows/drills/${id}.yaml`);
      const doc = parseDocument(readFileSync(file, 'utf8'));
      const clock = new Date(String(doc.get('clock')));
      await resetMoto(moto.endpoint, motoSeed(drill));
      const account = await newAccount(moto.endpoint, DRILL_ACCOUNT);
      const aws = drillAwsKey(await record({ id, drill, doc, clock, account }), clock);
      doc.set('aws', doc.createNode(aws));
      writeFileSync(file, doc.toString({ lineWidth: 0 }));
      console.log(`${id}: ${aws.calls.length} calls → ${file}`);
    }
  } finally {
    await moto.stop();
  }
}
