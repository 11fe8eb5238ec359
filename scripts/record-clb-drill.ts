// Records the AWS side of the Classic Load Balancer drill (flows/drills/legacy-api-502-after-upgrade.yaml)
// from moto into the file's `aws:` key; the rest of the file stays as written:
//   node --import tsx scripts/record-clb-drill.ts
// A fresh moto state with a fixed random seed keeps ids stable; the checks of the clb flow run
// through a recording reader, with and without the load balancer's name, as the flow runs them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { anonymiseRecording, compactRecording, createRecordingReader, newRecording, type Recording } from '../src/aws/recorded.js';
import { getCheck } from '../src/checks/registry.js';
import type { Facts } from '../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../test/helpers/check-context.js';
import { newAccount, startMoto } from '../test/helpers/moto-server.js';
import { seedClb, seedClbMetrics } from '../test/helpers/seed-clb.js';

const FILE = join(import.meta.dirname, '../flows/drills/legacy-api-502-after-upgrade.yaml');
const CHECKS = ['sts.whoami', 'clb.resolve', 'cloudwatch.clb-metrics', 'clb.instance-health', 'clb.network-path', 'clb.attributes'];
const MINUTES = 60;

const doc = parseDocument(readFileSync(FILE, 'utf8'));
const clock = new Date(String(doc.get('clock')));
const moto = await startMoto();
try {
  for (const path of ['/moto-api/reset', '/moto-api/seed?a=17']) {
    const res = await fetch(`${moto.endpoint}${path}`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto ${path}: HTTP ${res.status}`);
  }
  const account = await newAccount(moto.endpoint, '123456789012');
  const seeded = await seedClb(account, { name: 'legacy-api', instances: 3, port: 8080 });
  // Since the 09:20 deploy (minute 40): a steady share of CLB-made 5xx, nothing from the instances.
  const series = (before: number, after: (i: number) => number) => Array.from({ length: MINUTES }, (_, i) => (i < 40 ? before : after(i)));
  await seedClbMetrics(account, seeded.name, {
    RequestCount: series(310, (i) => 300 + (i % 7)),
    HTTPCode_ELB_5XX: series(0, (i) => 14 + (i % 4)),
    HTTPCode_Backend_5XX: series(0, () => 0),
    BackendConnectionErrors: series(0, () => 0),
    SurgeQueueLength: series(0, () => 0),
  }, clock);
  const rec = newRecording(account.reader().region, 'Three InService instances on :8080 behind the Classic Load Balancer legacy-api (HTTP:80), idle timeout 60 s, access logs on; CLB-made 5xx since minute 40 with no backend 5xx or connection errors. Recorded from moto by scripts/record-clb-drill.ts.');
  const reader = createRecordingReader(account.reader(), rec);
  for (const lb of ['', seeded.name]) {
    const facts: Facts = lb ? { 'target.lb': lb } : {};
    for (const id of CHECKS) {
      const params: Record<string, string> = id === 'clb.resolve' ? { lb } : id === 'cloudwatch.clb-metrics' ? { since: '3h' } : {};
      const r = await runCheckResult(getCheck(id)!, testContext({ params, facts: { ...facts }, aws: reader, now: () => clock }));
      console.log(`${id}: ${r.outcome} · ${r.summary}`);
      Object.assign(facts, r.facts ?? {});
    }
  }
  // A scenario's `aws:` key is a version-1 recording: AWS calls only, no port field.
  const text = JSON.stringify(compactRecording(anonymiseRecording(rec, '123456789012')))
    .replace(/assumed-role\/it\/badgate-test/g, 'assumed-role/OnCallReadOnly/oncall')
    .replace(/(AROA[A-Z0-9]+):badgate-test/g, '$1:oncall');
  const saved = JSON.parse(text) as Recording;
  const calls = saved.calls.filter((c) => (c.port ?? 'aws') === 'aws').map(({ port: _port, ...c }) => c);
  // Replay matches by method and arguments: sorted, the file stays the same from run to run.
  const key = (c: { method: string; args: unknown[] }) => `${c.method}\u0000${JSON.stringify(c.args)}`;
  calls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  doc.set('aws', doc.createNode({ version: 1, region: saved.region, recordedAt: clock.toISOString(), note: saved.note, calls }));
  writeFileSync(FILE, doc.toString({ lineWidth: 0 }));
} finally {
  await moto.stop();
}
