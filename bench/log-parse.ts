/**
 * Benchmark: badgate's ALB log analysis against `zcat | wc -l` and `zcat | awk '$9==502'`
 * on the same gzipped file, measured in the same run. Not a test: it prints figures.
 *   node --import tsx bench/log-parse.ts [--size-mb 1024]
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAlbLog } from './alb-log-gen.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const sizeArg = args.indexOf('--size-mb');
const sizeMb = sizeArg >= 0 ? Number(args[sizeArg + 1]) : 1024;
const runsArg = args.indexOf('--runs');
// Other work on the machine makes single timings noisy; the best of a few runs is steadier.
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 1;
if (!(sizeMb > 0) || !(runs >= 1)) {
  process.stderr.write('usage: node --import tsx bench/log-parse.ts [--size-mb N] [--runs N]\n');
  process.exit(2);
}

const dataDir = path.join(here, 'data');
mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, `alb-${sizeMb}mb.log.gz`);
if (!existsSync(file)) {
  process.stdout.write(`generating ${file} (${sizeMb} MB uncompressed)…\n`);
  const t = performance.now();
  const g = await generateAlbLog(file + '.tmp', sizeMb * 1024 * 1024);
  const { renameSync } = await import('node:fs');
  renameSync(file + '.tmp', file);
  process.stdout.write(`  ${g.lines} lines in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}

function runOnce(cmd: string, argv: string[]): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t, out }) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

async function run(cmd: string, argv: string[]): Promise<{ ms: number; out: string }> {
  let best = await runOnce(cmd, argv);
  for (let i = 1; i < runs; i++) {
    const r = await runOnce(cmd, argv);
    if (r.ms < best.ms) best = r;
  }
  return best;
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const uncompressed = Number((await runOnce('sh', ['-c', `zcat ${shq(file)} | wc -c`])).out.trim());
const mb = uncompressed / 1024 / 1024;
const gzMb = statSync(file).size / 1024 / 1024;

const zcat = await run('sh', ['-c', `zcat ${shq(file)} | wc -l`]);
const awk = await run('sh', ['-c', `zcat ${shq(file)} | awk '$9==502' | wc -l`]);
const child = await run(process.execPath, ['--import', 'tsx', path.join(here, 'log-parse-child.ts'), file]);
const b = JSON.parse(child.out) as { ms: number; lines: number; count502: number; maxRssMb: number; causes: Record<string, number>; malformed: number };

const lines = Number(zcat.out.trim());
const rate = (ms: number): string => `${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s  ${((lines / (ms / 1000)) / 1e6).toFixed(2)} M lines/s  (${(ms / 1000).toFixed(2)} s)`;
const rows = [
  `runs            best of ${runs}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  `file            ${path.relative(process.cwd(), file)}: ${gzMb.toFixed(0)} MB gzipped, ${mb.toFixed(0)} MB uncompressed, ${lines} lines`,
  `zcat | wc -l    ${rate(zcat.ms)}`,
  `zcat | awk 502  ${rate(awk.ms)}   → ${awk.out.trim()} lines with $9==502`,
  `badgate         ${rate(child.ms)}   (in-process ${(b.ms / 1000).toFixed(2)} s) → ${b.count502} 502s, ${b.malformed} malformed`,
  `causes          ${JSON.stringify(b.causes)}`,
  `ratios          badgate/zcat time ${(child.ms / zcat.ms).toFixed(2)}× (goal ≤ 2), badgate/awk time ${(child.ms / awk.ms).toFixed(2)}× (goal < 1)`,
  `peak RSS        ${b.maxRssMb.toFixed(0)} MB (goal < 200 MB)`,
];
process.stdout.write(rows.join('\n') + '\n');
