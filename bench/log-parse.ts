/**
 * Benchmark: badgate's ALB log analysis against `zcat | wc -l` and `zcat | mawk '$9==502' | wc -l`
 * on the same gzipped input, measured in the same run, for several file sizes and a
 * directory of many small files (as an S3 prefix download looks). Not a test: it prints
 * times, ratios and badgate's peak RSS; nothing asserts on them.
 *   node --import tsx bench/log-parse.ts [--sizes 10,100,1024] [--dir-files 2000] [--no-churn] [--runs N] [--jobs N]
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAlbLog } from './alb-log-gen.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback;
}

const sizes = arg('--sizes', '10,100,1024').split(',').filter(Boolean).map(Number);
const dirFiles = Number(arg('--dir-files', '2000'));
const churn = !process.argv.includes('--no-churn');
// Other work on the machine makes single timings noisy; the best of a few runs is steadier.
const runs = Number(arg('--runs', '1'));
// badgate's --jobs (worker threads); by default it picks one per core.
const jobs = arg('--jobs', '');
if (sizes.some((s) => !(s > 0)) || !(dirFiles >= 0) || !(runs >= 1) || (jobs !== '' && !(Number(jobs) >= 1))) {
  process.stderr.write('usage: node --import tsx bench/log-parse.ts [--sizes 10,100,1024] [--dir-files 2000] [--no-churn] [--runs N] [--jobs N]\n');
  process.exit(2);
}
// mawk is the fast awk most distributions ship: install it where we can (Debian, as root), else use any awk.
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
if (!has('mawk') && process.getuid?.() === 0 && has('apt-get')) {
  process.stdout.write('installing mawk (apt-get install -y mawk)…\n');
  spawnSync('apt-get', ['install', '-y', '-qq', 'mawk'], { stdio: 'inherit' });
}
const awk = has('mawk') ? 'mawk' : 'awk';
if (awk !== 'mawk') process.stdout.write('mawk is not installed: comparing with awk, which is slower than mawk\n');

const dataDir = path.join(here, 'data');
mkdirSync(dataDir, { recursive: true });

async function ensureFile(sizeMb: number): Promise<string> {
  const file = path.join(dataDir, `alb-${sizeMb}mb.log.gz`);
  if (existsSync(file)) return file;
  process.stdout.write(`generating ${path.relative(process.cwd(), file)} (${sizeMb} MB uncompressed)…\n`);
  await generateAlbLog(`${file}.tmp`, sizeMb * 1024 * 1024);
  renameSync(`${file}.tmp`, file);
  return file;
}

const DAY0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const FIVE_MIN = 300_000;

/** An ELB object name: account, region, LB, the window's end, the node's IP (each node has its own pools). */
function elbName(endMs: number, node: string, n: number): string {
  const t = new Date(endMs).toISOString();
  return `123456789012_elasticloadbalancing_us-east-1_app.shop-prod.50dc6c495c0c9188_${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 13)}${t.slice(14, 16)}Z_${node}_${n.toString(36)}.log.gz`;
}

/** Writes `files` ELB files once (kept in bench/data): nodes × consecutive 5-minute windows. */
async function ensureElbDir(name: string, files: number, nodes: number, fileBytes: number, targetsAt?: (windowStartMs: number) => string[]): Promise<string> {
  const dir = path.join(dataDir, name);
  const done = `${dir}.complete`;
  if (existsSync(done)) return dir;
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`generating ${files} files in ${path.relative(process.cwd(), dir)}…\n`);
  for (let i = 0; i < files; i++) {
    const w = Math.floor(i / nodes);
    const start = DAY0 + w * FIVE_MIN;
    const list = targetsAt?.(start);
    await generateAlbLog(path.join(dir, elbName(start + FIVE_MIN, `10.0.0.${10 + (i % nodes)}`, i)), fileBytes, { startMs: start, spanMs: FIVE_MIN, targetsAt: list ? () => list : undefined });
  }
  (await import('node:fs')).writeFileSync(done, '');
  return dir;
}

/** As AWS writes them: one file per node per 5 minutes (here 4 nodes), 24 KB each. */
function ensureDir(files: number): Promise<string> {
  return ensureElbDir(`alb-elb-dir-${files}`, files, 4, 24 * 1024);
}

/**
 * Autoscaling churn: 5,000 targets over 24 hours, each in service for 8 of them, so about
 * 1,700 at a time; 3 nodes × 288 windows. Memory must stay bounded whatever targets × hours.
 */
const CHURN_TARGETS = Array.from({ length: 5000 }, (_, i) => `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}:8080`);
function churnTargets(windowStartMs: number): string[] {
  const hour = (windowStartMs - DAY0) / 3_600_000;
  return CHURN_TARGETS.filter((_, i) => {
    const from = (i / CHURN_TARGETS.length) * 24 - 4;
    return hour >= from && hour < from + 8;
  });
}
function ensureChurn(): Promise<string> {
  return ensureElbDir('alb-churn-5000x24h', 3 * 288, 3, 700 * 1024, churnTargets);
}

function runOnce(cmd: string, argv: string[]): Promise<{ ms: number; out: string; rssKb: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    // badgate logs exits 1 when it finds 502s; /usr/bin/time prints the peak RSS (KiB) as its last stderr line.
    p.on('close', (code) => (code === 0 || code === 1 ? resolve({ ms: performance.now() - t, out, rssKb: Number(err.trim().split('\n').pop()) || 0 }) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-300)}`))));
  });
}

async function best(cmd: string, argv: string[]): Promise<{ ms: number; out: string; rssKb: number }> {
  let b = await runOnce(cmd, argv);
  for (let i = 1; i < runs; i++) {
    const r = await runOnce(cmd, argv);
    if (r.ms < b.ms) b = r;
  }
  return b;
}

interface ChildResult { ms: number; lines: number; count502: number; maxRssMb: number; causes: Record<string, number>; malformed: number }

/** `zcatArgs` is a shell fragment that writes the uncompressed input to stdout. */
/** The issue's targets: badgate's throughput as a multiple of the mawk pipeline's (null: none), and peak RSS under 200 MB everywhere. */
const RSS_TARGET_MB = 200;

async function measure(label: string, zcatArgs: string, source: string, throughputTarget: number | null = null): Promise<string[]> {
  const sh = (pipe: string): Promise<{ ms: number; out: string; rssKb: number }> => best('sh', ['-c', `${zcatArgs} | ${pipe}`, 'bench', source]);
  const bytes = Number((await runOnce('sh', ['-c', `${zcatArgs} | wc -c`, 'bench', source])).out.trim());
  const zcat = await sh('wc -l');
  const grep502 = await sh(`${awk} '$9==502' | wc -l`);
  // The built binary, as a user runs it (start-up included); /usr/bin/time gives its peak RSS.
  const bin = path.join(here, '..', 'dist', 'cli.js');
  const child = await best('/usr/bin/time', ['-f', '%M', process.execPath, bin, 'logs', source, '--json', '--top', '5', ...(jobs ? ['--jobs', jobs] : [])]);
  const report = JSON.parse(child.out) as { lines: { total: number; malformed: number }; count502: number; causes: { cause: string; count: number }[] };
  const b: ChildResult = {
    ms: child.ms, lines: report.lines.total, count502: report.count502, malformed: report.lines.malformed, maxRssMb: child.rssKb / 1024,
    causes: Object.fromEntries(report.causes.map((c) => [c.cause, c.count])),
  };
  const mb = bytes / 1024 / 1024;
  const lines = Number(zcat.out.trim());
  const rate = (ms: number): string => `${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s  ${(lines / (ms / 1000) / 1e6).toFixed(2)} M lines/s  (${(ms / 1000).toFixed(2)} s)`;
  return [
    `${label}: ${mb.toFixed(0)} MB uncompressed, ${lines} lines`,
    `  zcat | wc -l        ${rate(zcat.ms)}`,
    `  zcat | ${awk} 502   ${rate(grep502.ms)}   → ${grep502.out.trim()} lines with $9==502`,
    `  badgate logs        ${rate(child.ms)}   (built binary, start-up included) → ${b.count502} 502s, ${b.malformed} malformed`,
    `  causes              ${JSON.stringify(b.causes)}`,
    `  ratios              badgate/zcat ${(child.ms / zcat.ms).toFixed(2)}×, badgate/${awk} ${(child.ms / grep502.ms).toFixed(2)}× the time`,
    `  throughput          ${(grep502.ms / child.ms).toFixed(2)}× ${awk}'s${throughputTarget === null ? '' : ` (target ≥ ${throughputTarget.toFixed(1)}×: ${grep502.ms / child.ms >= throughputTarget ? 'met' : 'not met'})`}`,
    `  peak RSS            ${b.maxRssMb.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB: ${b.maxRssMb < RSS_TARGET_MB ? 'met' : 'not met'})`,
  ];
}

const rows = [`runs: best of ${runs}; badgate --jobs ${jobs || 'default (one per core)'}; ${availableParallelism()} cores; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`];
for (const size of sizes) {
  const file = await ensureFile(size);
  rows.push(...await measure(`${path.basename(file)} (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB gzipped)`, 'zcat "$1"', file, size >= 100 ? 1.0 : null));
  process.stdout.write(rows.splice(0).join('\n') + '\n');
}
if (dirFiles > 0) {
  const dir = await ensureDir(dirFiles);
  const n = readdirSync(dir).filter((f) => f.endsWith('.gz')).length;
  // Two cores against one pipeline (which itself runs zcat and mawk side by side).
  rows.push(...await measure(`${path.basename(dir)} (${n} files)`, 'find "$1" -name "*.gz" -exec zcat {} +', dir, 1.5));
  process.stdout.write(rows.splice(0).join('\n') + '\n');
}
if (churn) {
  const dir = await ensureChurn();
  rows.push(...await measure(`${path.basename(dir)} (5,000 targets over 24 h, ${readdirSync(dir).filter((f) => f.endsWith('.gz')).length} files)`, 'find "$1" -name "*.gz" -exec zcat {} +', dir));
}
process.stdout.write(rows.join('\n') + '\n');
