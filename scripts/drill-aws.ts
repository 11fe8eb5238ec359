// What the drill-recording scripts share: a moto state with fixed ids, and a scenario's `aws:` key made
// from a recording.
import { anonymiseRecording, compactRecording, type Recording } from '../src/aws/recorded.js';

export const DRILL_ACCOUNT = '123456789012';

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
