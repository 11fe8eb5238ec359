/** Where a command writes; tests pass their own. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
};

/** One line for the user with what to do next; never a stack trace. */
export function fail(io: Io, command: string, problem: string, next?: string): number {
  io.err(`badgate${command ? ` ${command}` : ''}: ${problem}${next ? `\n  next: ${next}` : ''}`);
  return 2;
}
