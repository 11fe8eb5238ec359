/** Child process of bench/log-parse.ts: analyses a file or directory and prints timing and peak RSS as JSON. */
import { analyzeInputs } from '../src/logs/run-analysis.js';
import { resolveLocalSource } from '../src/logs/local-source.js';

const source = process.argv[2];
const concurrency = Number(process.argv[3] ?? '1');
const t0 = performance.now();
const inputs = await resolveLocalSource(source);
const a = await analyzeInputs(inputs, { concurrency });
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({
  ms,
  lines: a.lines.total,
  count502: a.count502,
  malformed: a.lines.malformed,
  causes: Object.fromEntries(a.causes.map((c) => [c.cause, c.count])),
  // resourceUsage().maxRSS is in KiB on Linux.
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  errors: a.files.errors,
}) + '\n');
