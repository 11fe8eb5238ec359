/**
 * Benchmark: reading, replaying and reporting a long session journal, against a baseline
 * of JSON.parse over the same lines, measured in the same run. Not a test: it prints figures.
 *   node --import tsx bench/replay.ts [--sizes 10000,30000,100000] [--runs 3] [--fold 10000]
 * --fold N also times the old way (folding reduce over every event) for sizes up to N.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport } from '../src/commands/report.js';
import type { JournalEvent } from '../src/engine/events.js';
import { initialState, reduce, replay } from '../src/engine/session.js';
import { loadFlow } from '../src/flow-files.js';
import { readJournal } from '../src/sessions/journal.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = arg('--sizes', '10000,30000,100000').split(',').map(Number);
// Other work on the machine makes single timings noisy; the best of a few runs is steadier.
const runs = Number(arg('--runs', '3'));
const foldUpTo = Number(arg('--fold', '10000'));
if (sizes.some((n) => !(n > 1)) || !(runs >= 1)) {
  process.stderr.write('usage: node --import tsx bench/replay.ts [--sizes N,N,…] [--runs N] [--fold N]\n');
  process.exit(2);
}

// A real recorded session is the template: its answers, checks, findings and branches
// repeat with fresh sequence numbers, with a note every 7 events and a step back every 11.
const template = readFileSync(path.join(here, '../test/fixtures/journals/keepalive-race.jsonl'), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as JournalEvent);
const [start, ...body] = template;
const loop = body.filter((e) => e.type !== 'end');

function journalText(n: number): string {
  const t0 = Date.parse(start.at);
  const lines = [JSON.stringify(start)];
  for (let i = 1, k = 0; i < n; i++) {
    const at = new Date(t0 + i * 1000).toISOString();
    let e: JournalEvent;
    if (i % 11 === 0) e = { seq: i + 1, at, type: 'back', from: 'x', to: 'y' };
    else if (i % 7 === 0) e = { seq: i + 1, at, type: 'note', text: `note ${i}: saw another 502 burst`, node: 'ka-verdict' };
    else e = { ...loop[k++ % loop.length], seq: i + 1, at };
    lines.push(JSON.stringify(e));
  }
  return `${lines.join('\n')}\n`;
}

/** Best of `runs`; a run over 2 s is not repeated, since noise matters little at that length. */
function best(fn: () => void): number {
  let ms = Infinity;
  for (let r = 0; r < runs && (r === 0 || ms < 2000); r++) {
    const t = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

const flow = loadFlow('alb');
const dir = mkdtempSync(path.join(tmpdir(), 'badgate-bench-replay-'));
const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;
const ratio = (ms: number, base: number) => `${(ms / base).toFixed(1).padStart(6)}×`;
const rows = [
  `runs      best of ${runs}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  'events    JSON.parse (baseline)   read file            replay               report (markdown)    fold reduce (old replay)',
];
const perEvent: { n: number; replay: number; report: number; base: number }[] = [];
try {
  for (const n of sizes) {
    const text = journalText(n);
    const file = path.join(dir, `bench-${n}.jsonl`);
    writeFileSync(file, text);
    const lines = text.trimEnd().split('\n');
    let events: JournalEvent[] = [];
    const base = best(() => { events = lines.map((l) => JSON.parse(l) as JournalEvent); });
    const read = best(() => { events = readJournal(file).events; });
    const rep = best(() => { replay(events); });
    const report = best(() => { renderReport(events, flow, {}); });
    const fold = n <= foldUpTo
      ? best(() => { events.slice(1).reduce(reduce, initialState(events[0] as Extract<JournalEvent, { type: 'start' }>)); })
      : undefined;
    perEvent.push({ n, replay: rep, report, base });
    rows.push(`${String(n).padEnd(9)} ${fmt(base)}             ${fmt(read)} ${ratio(read, base)}  ${fmt(rep)} ${ratio(rep, base)}  ${fmt(report)} ${ratio(report, base)}  ${fold === undefined ? '(skipped; --fold N)' : `${fmt(fold)} ${ratio(fold, base)}`}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (perEvent.length > 1) {
  const [a, b] = [perEvent[0], perEvent[perEvent.length - 1]];
  const growth = (x: number, y: number) => (y / x / (b.n / a.n)).toFixed(2);
  rows.push(`scaling   ${a.n} → ${b.n} events (${(b.n / a.n).toFixed(0)}×): time grew per event by replay ${growth(a.replay, b.replay)}×, report ${growth(a.report, b.report)}×, baseline ${growth(a.base, b.base)}× (1.00 = linear)`);
}
process.stdout.write(`${rows.join('\n')}\n`);
