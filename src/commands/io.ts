import { BadgateError } from '../engine/errors.js';
import { sanitizeText } from '../engine/sanitize.js';

/** Where a command writes; tests pass their own. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

/** The terminal boundary of every command's text: control sequences from data never reach it. */
export const processIo: Io = {
  out: (s) => process.stdout.write(lineOf(s)),
  err: (s) => process.stderr.write(lineOf(s)),
};

function lineOf(s: string): string {
  const clean = sanitizeText(s);
  return clean.endsWith('\n') ? clean : `${clean}\n`;
}

/**
 * How the user runs badgate right now, for hints they can paste: `npm start --` inside the
 * repo (badgate is not on PATH there), `badgate` when installed, else the script's path.
 */
export function selfCommand(env: NodeJS.ProcessEnv = process.env, argv1 = process.argv[1] ?? ''): string {
  if (env.npm_lifecycle_event === 'start') return 'npm start --';
  if (/(^|\/)badgate$/.test(argv1)) return 'badgate';
  return argv1 ? `node ${argv1.replace(`${process.cwd()}/`, '')}` : 'badgate';
}

/** One line for the user with what to do next; never a stack trace. */
export function fail(io: Io, command: string, problem: string, next?: string): number {
  io.err(`badgate${command ? ` ${command}` : ''}: ${problem}${next ? `\n  next: ${next}` : ''}`);
  return 2;
}

/**
 * The one handler for errors a user can act on: commands throw BadgateError; this prints it
 * (as `{error:{message,nextStep}}` on stdout for --json, so scripts can read it) and returns
 * its exit code. Anything else is a bug and goes back up.
 */
export function reportError(err: unknown, io: Io, opts: { command: string; json?: boolean }): number {
  if (!(err instanceof BadgateError)) throw err;
  if (opts.json) io.out(JSON.stringify({ error: { message: err.message, ...(err.nextStep ? { nextStep: err.nextStep } : {}) } }, null, 2));
  fail(io, opts.command, err.message, err.nextStep);
  return err.exitCode;
}
