// Installs dependencies when node_modules is missing or older than the lock file,
// so `npm test` works on a fresh clone without a separate install step.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import process from 'node:process';

const installed = 'node_modules/.package-lock.json';
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  // `npm install` rather than `npm ci`: lock files written without registry URLs
  // (omit-lockfile-registry-resolved) leave out other platforms' optional packages,
  // which `npm ci` then rejects as out of sync.
  process.stderr.write('Installing dependencies (npm install)…\n');
  execSync('npm install --no-audit --no-fund --loglevel=error', { stdio: 'inherit' });
}
