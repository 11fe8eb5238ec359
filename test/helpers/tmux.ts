import { execFileSync } from 'node:child_process';

/** Drives a real terminal: the built binary in a tmux session, read back with capture-pane. */
export class Tmux {
  constructor(readonly session: string) {}

  static available(): boolean {
    try {
      execFileSync('tmux', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  start(command: string, cols = 80, rows = 45): void {
    // remain-on-exit keeps the last screen readable after the program ends.
    execFileSync('tmux', ['new-session', '-d', '-s', this.session, '-x', String(cols), '-y', String(rows), command]);
    execFileSync('tmux', ['set-option', '-t', this.session, 'remain-on-exit', 'on']);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.session], { encoding: 'utf8' });
  }

  /**
   * The screen and its scrollback as a person copies it: lines the terminal soft-wrapped are
   * joined (-J), so a long command reads back as the one line the program printed.
   */
  copied(historyLines = 500): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-J', '-S', `-${historyLines}`, '-t', this.session], { encoding: 'utf8' });
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys]);
  }

  /** Types literal text (no key-name lookup), then optionally presses Enter. */
  type(text: string, enter = true): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, '-l', text]);
    if (enter) this.keys('Enter');
  }

  async waitFor(text: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof text === 'string' ? s.includes(text) : typeof text === 'function' ? text(s) : text.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`tmux: timed out waiting for ${String(text)}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  panePid(): number {
    return Number(execFileSync('tmux', ['display-message', '-p', '-t', this.session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
