import { EventEmitter } from 'node:events';
import { render as inkRenderSized } from 'ink';
import { render as inkRender } from 'ink-testing-library';
import type { ReactElement } from 'react';

// eslint-disable-next-line no-control-regex -- matching ANSI escapes is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export const KEYS = { enter: '\r', up: '\x1b[A', down: '\x1b[B', escape: '\x1b', backspace: '\x7f', ctrlN: '\x0e' } as const;

/**
 * The one way UI tests render: frames without ANSI, keys written to stdin, and
 * waits for the screen to change instead of sleeping.
 */
/** A terminal of a given size for Ink (ink-testing-library's is always 100 columns, no rows). */
class SizedStdout extends EventEmitter {
  frames: string[] = [];
  constructor(readonly columns: number, readonly rows: number) { super(); }
  write = (frame: string) => { this.frames.push(frame); return true; };
  lastFrame = () => this.frames.at(-1);
}

class TestStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => { this.data = data; this.emit('readable'); this.emit('data', data); };
  read = () => { const d = this.data; this.data = null; return d; };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

function renderSized(el: ReactElement, size: { columns: number; rows: number }) {
  const stdout = new SizedStdout(size.columns, size.rows);
  const stderr = new SizedStdout(size.columns, size.rows);
  const stdin = new TestStdin();
  // The same options ink-testing-library uses, with this terminal's size.
  const instance = inkRenderSized(el, { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false });
  return { lastFrame: stdout.lastFrame, frames: stdout.frames, stdin, unmount: instance.unmount };
}

/**
 * What a terminal of `rows` lines shows of a frame: the live screen is redrawn from the header's
 * top border down; what was printed once above it scrolls away.
 */
export function liveScreen(frame: string): string[] {
  const lines = frame.split('\n');
  const top = lines.findLastIndex((l) => l.startsWith('╭'));
  return lines.slice(Math.max(0, top));
}

export function renderUi(el: ReactElement, size?: { columns: number; rows: number }) {
  const r = size ? renderSized(el, size) : inkRender(el);
  const frame = () => (r.lastFrame() ?? '').replace(ANSI, '');
  const all = () => r.frames.join('\n').replace(ANSI, '');
  async function waitFor(predicate: (frame: string) => boolean, what = 'the expected screen', timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (predicate(f)) return f;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  }
  async function press(key: string): Promise<void> {
    const before = r.frames.length;
    r.stdin.write(key);
    // Let Ink process the input and render; not every key changes the frame.
    const deadline = Date.now() + 300;
    while (r.frames.length === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
  }
  async function type(text: string): Promise<void> {
    for (const ch of text) await press(ch);
  }
  return { frame, all, waitFor, press, type, unmount: r.unmount, stdin: r.stdin };
}
