import { useRef, useState } from 'react';
import { actionFor, type KeyContext, type KeyPress } from './keymap.js';
import { strokes } from './wizard-state.js';

/** What a key did to a list of choices: moved the cursor, and/or chose the one under it. */
export interface ChoiceMove {
  cursor?: number;
  choose?: number;
}

/**
 * The one choice-list behaviour of every screen (home, wizard, drill): ↑↓/j/k move with wrap-around,
 * a digit puts the cursor on that choice, enter chooses. A chunk such as "2\r" (a paste, tmux)
 * picks and chooses. Returns undefined for a key that is not the list's.
 */
export function choiceKeys(ctx: KeyContext, input: string, key: KeyPress, cursor: number, count: number): ChoiceMove | undefined {
  if (count <= 0) return undefined;
  const a = actionFor(ctx, input, key);
  if (a === 'up') return { cursor: (cursor + count - 1) % count };
  if (a === 'down') return { cursor: (cursor + 1) % count };
  if (a === 'choose') return { choose: cursor };
  let c = cursor;
  let moved = false;
  for (const k of strokes(input)) {
    if (k.kind === 'char' && /^[1-9]$/.test(k.ch) && Number(k.ch) <= count) { c = Number(k.ch) - 1; moved = true; }
    else if (k.kind === 'enter') return { cursor: c, choose: c };
    else return moved ? { cursor: c } : undefined;
  }
  return moved ? { cursor: c } : undefined;
}

/**
 * choiceKeys with its own cursor, for screens without a reducer (home). The cursor is also kept
 * in a ref: keys can arrive before React re-renders.
 */
export function useChoiceList(count: number, ctx: KeyContext = 'home') {
  const [cursor, setState] = useState(0);
  const ref = useRef(0);
  const set = (n: number) => { ref.current = n; setState(n); };
  /** Handles a key; returns the index chosen, if one was. */
  const handle = (input: string, key: KeyPress): { handled: boolean; chosen?: number } => {
    const m = choiceKeys(ctx, input, key, ref.current, count);
    if (!m) return { handled: false };
    if (m.cursor !== undefined) set(m.cursor);
    return { handled: true, chosen: m.choose };
  };
  return { cursor, handle, current: () => ref.current };
}
