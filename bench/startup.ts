/**
 * Benchmark: how long the built binary takes to start, against `node -e 0` measured in the
 * same run (the floor no Node program can beat). Not a test: it prints medians and ratios.
 *   npm run build && node --import tsx bench/startup.ts [--runs 9]
 * Targets: --help, `drill` (the list) and `flows lint` under 2x `node -e 0` (the last two
 * answer from the result cache when their files have not changed; the first, cold run is
 * printed apart); the interactive home screen's first frame under 5x, read through a
 * pseudo-terminal (util-linux `script`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'dist/cli.js');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 9;
if (!existsSync(bin) || !(runs >= 1)) {
  process.stderr.write('usage: npm run build && node --import tsx bench/startup.ts [--runs N]\n');
  process.exit(2);
}
const env = { ...process.env, BADGATE_STATE_DIR: mkdtempSync(path.join(tmpdir(), 'badgate-bench-')), NO_COLOR: '1', CI: '' };

function once(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

/** Time until the home screen's first frame shows, through a pseudo-terminal. */
function firstFrame(): Promise<number> {
  return new Promise((ok, fail) => {
    const t = performance.now();
    const child = spawn('script', ['-qfec', `${process.execPath} ${bin}`, '/dev/null'], { cwd: root, env: { ...env, TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' }, stdio: ['pipe', 'pipe', 'ignore'] });
    let seen = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error('no home screen within 20 s')); }, 20_000);
    child.stdout.on('data', (b: Buffer) => {
      seen += b.toString();
      if (/investigation/i.test(seen)) {
        const ms = performance.now() - t;
        clearTimeout(timer);
        child.kill('SIGKILL');
        ok(ms);
      }
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(f: () => number | Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await f());
  return median(xs);
}

// Interleaved would be fairer against drift; medians over several runs are steady enough here.
const cold = { drill: once([bin, 'drill']), lint: once([bin, 'flows', 'lint']) };
const base = await measure(() => once(['-e', '0']));
const rows: [string, number, number][] = [];
for (const [name, args, target] of [
  ['badgate --help', [bin, '--help'], 2],
  ['badgate drill (list)', [bin, 'drill'], 2],
  ['badgate flows lint', [bin, 'flows', 'lint'], 2],
] as const) {
  rows.push([name, await measure(() => once([...args])), target]);
}
rows.push(['home screen, first frame', await measure(firstFrame), 5]);

process.stdout.write(`node -e 0 (baseline): ${base.toFixed(0)} ms (median of ${runs})\n\n`);
process.stdout.write(`${'command'.padEnd(28)}${'median'.padStart(9)}${'ratio'.padStart(8)}  target\n`);
for (const [name, ms, target] of rows) {
  const ratio = ms / base;
  process.stdout.write(`${name.padEnd(28)}${`${ms.toFixed(0)} ms`.padStart(9)}${`${ratio.toFixed(2)}x`.padStart(8)}  < ${target}x ${ratio < target ? 'ok' : 'MISSED'}\n`);
}
process.stdout.write(`\ncold (first run, cache empty): drill ${cold.drill.toFixed(0)} ms (${(cold.drill / base).toFixed(1)}x), flows lint ${cold.lint.toFixed(0)} ms (${(cold.lint / base).toFixed(1)}x)\n`);
