// Runs the built binary (npm test builds it first) as a user would, with a clean AWS setup.
import { execFile, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'dist/cli.js');

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

function envOf(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: '', AWS_PROFILE: '', NO_COLOR: '1', ...extra };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', input, timeout: 60_000, env: envOf(env) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Async, so a server in the test's own process keeps answering while the binary talks to it. */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((ok) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: envOf(env) }, (err, out, stderr) => {
      ok({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: stderr });
    });
    child.stdin?.end();
  });
}
