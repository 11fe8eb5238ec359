import { render as inkRender } from 'ink-testing-library';
import type { ReactElement } from 'react';

// eslint-disable-next-line no-control-regex -- matching ANSI escapes is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export const KEYS = { enter: '\r', up: '\x1b[A', down: '\x1b[B', escape: '\x1b', backspace: '\x7f', ctrlN: '\x0e' } as const;

/**
 * The one way UI tests render: frames without ANSI, keys written to stdin, and
 * waits for the screen to change instead of sleeping.
 */
export function renderUi(el: ReactElement) {
  const r = inkRender(el);
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
