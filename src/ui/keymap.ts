/**
 * Every key badgate's screens answer, in one table: the input handlers ask it which action a
 * key means, and the `?` help and the footers are written from it, so the three never disagree.
 * No Ink here: a key is described by the fields of Ink's useInput key object that it reads.
 */
export interface KeyPress {
  upArrow?: boolean;
  downArrow?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
  tab?: boolean;
}

/** Where the keys are read: each screen (or state of one) has its own set. */
export type KeyContext = 'home' | 'choices' | 'typing' | 'running' | 'mitigate' | 'hypotheses' | 'done' | 'briefing' | 'verdict';

export type KeyAction =
  | 'up' | 'down' | 'choose' | 'back' | 'note' | 'help' | 'quit' | 'copy' | 'skip-check'
  | 'later' | 'escalate' | 'continue' | 'name-cause' | 'erase' | 'clear';

export interface Binding {
  action: KeyAction;
  /** How the help and the footer write the key. */
  keys: string;
  /** What it does, for the help. */
  help: string;
  /** The footer's short word for it; left out of the footer when absent. */
  footer?: string;
  contexts: readonly KeyContext[];
  matches(input: string, key: KeyPress): boolean;
}

const plain = (ch: string) => (input: string, key: KeyPress) => input === ch && !key.ctrl && !key.meta;

export const KEYMAP: readonly Binding[] = [
  { action: 'up', keys: '↑/k', help: 'move up', contexts: ['home', 'choices', 'mitigate'], matches: (i, k) => Boolean(k.upArrow) || plain('k')(i, k) },
  { action: 'down', keys: '↓/j', help: 'move down', footer: '↑↓ move', contexts: ['home', 'choices', 'mitigate'], matches: (i, k) => Boolean(k.downArrow) || plain('j')(i, k) },
  // Typing filters the list of causes, so letters are text there.
  { action: 'up', keys: '↑', help: 'move up', contexts: ['verdict'], matches: (_i, k) => Boolean(k.upArrow) },
  { action: 'down', keys: '↓', help: 'move down', footer: '↑↓ move', contexts: ['verdict'], matches: (_i, k) => Boolean(k.downArrow) },
  { action: 'choose', keys: 'enter', help: 'answer, pick the choice (1–9 pick one directly)', footer: 'enter choose', contexts: ['home', 'choices', 'mitigate', 'verdict'], matches: (_i, k) => Boolean(k.return) },
  { action: 'choose', keys: 'enter', help: 'submit what you typed', footer: 'enter submit', contexts: ['typing'], matches: (_i, k) => Boolean(k.return) },
  { action: 'continue', keys: 'enter', help: 'go on with the next unexplored branch', footer: 'enter go on', contexts: ['hypotheses'], matches: (i, k) => Boolean(k.return) || Boolean(k.escape) || i === ' ' },
  { action: 'continue', keys: 'enter', help: 'leave: the session is finished and saved', footer: 'enter exit', contexts: ['done'], matches: (_i, k) => Boolean(k.return) },
  { action: 'continue', keys: 'enter', help: 'start the drill (its clock starts)', footer: 'enter start', contexts: ['briefing'], matches: (_i, k) => Boolean(k.return) },
  { action: 'quit', keys: 'esc', help: 'leave without choosing', contexts: ['home', 'briefing'], matches: (_i, k) => Boolean(k.escape) },
  { action: 'copy', keys: 'c', help: "copy the next command to the clipboard (OSC 52); each is printed whole above", footer: 'c copy', contexts: ['choices', 'mitigate'], matches: plain('c') },
  { action: 'escalate', keys: 'e', help: 'escalate: what to hand over, with the session summary', footer: 'e escalate', contexts: ['hypotheses'], matches: plain('e') },
  { action: 'later', keys: 'esc', help: 'not now: go on with the investigation', footer: 'esc not now', contexts: ['mitigate'], matches: (_i, k) => Boolean(k.escape) },
  { action: 'back', keys: 'b/esc', help: 'back (undo the last answer); it comes back to edit', footer: 'b back', contexts: ['choices', 'done'], matches: (i, k) => plain('b')(i, k) || Boolean(k.escape) },
  { action: 'back', keys: 'b', help: 'back: undo the answer that confirmed the cause', footer: 'b back', contexts: ['mitigate'], matches: plain('b') },
  { action: 'back', keys: 'esc', help: 'back (undo the last answer); it comes back to edit', footer: 'esc back', contexts: ['typing'], matches: (_i, k) => Boolean(k.escape) },
  { action: 'back', keys: 'esc', help: 'back to the investigation', footer: 'esc back', contexts: ['verdict'], matches: (_i, k) => Boolean(k.escape) },
  { action: 'erase', keys: 'backspace', help: 'erase a character', contexts: ['typing', 'verdict'], matches: (_i, k) => Boolean(k.backspace || k.delete) },
  { action: 'clear', keys: 'ctrl+u', help: 'clear what you typed (as in a shell)', contexts: ['typing'], matches: (i, k) => Boolean(k.ctrl) && i === 'u' },
  { action: 'skip-check', keys: 's', help: 'skip the check that is running (recorded as skipped)', footer: 's skip', contexts: ['running'], matches: plain('s') },
  { action: 'note', keys: 'n', help: 'add a note to the timeline', footer: 'n note', contexts: ['choices', 'mitigate', 'running', 'done'], matches: plain('n') },
  { action: 'note', keys: 'ctrl+n', help: 'add a note to the timeline', footer: 'ctrl+n note', contexts: ['typing'], matches: (i, k) => Boolean(k.ctrl) && i === 'n' },
  { action: 'name-cause', keys: 'a', help: 'name the root cause (ends the drill)', footer: 'a name the cause', contexts: ['choices'], matches: plain('a') },
  { action: 'help', keys: '?', help: 'this help', footer: '? help', contexts: ['home', 'choices', 'mitigate', 'running'], matches: plain('?') },
  { action: 'choose', keys: 'enter', help: 'name the cause under the cursor (type to filter the list)', contexts: ['verdict'], matches: () => false },
  { action: 'quit', keys: 'q', help: 'quit (everything is already saved)', footer: 'q quit (saved)', contexts: ['home', 'choices', 'mitigate', 'running', 'hypotheses', 'done', 'briefing'], matches: plain('q') },
  { action: 'quit', keys: 'ctrl+c', help: 'quit (everything is already saved)', footer: 'ctrl+c quit (saved)', contexts: ['typing'], matches: (i, k) => Boolean(k.ctrl) && i === 'c' },
];

/** Bindings that only some runs have (the drill's `a`). */
export interface KeyOptions {
  drill?: boolean;
}

const applies = (b: Binding, ctx: KeyContext, o: KeyOptions) => b.contexts.includes(ctx) && (b.action !== 'name-cause' || Boolean(o.drill));

/** The action a key means in this context, if any. */
export function actionFor(ctx: KeyContext, input: string, key: KeyPress, o: KeyOptions = {}): KeyAction | undefined {
  return KEYMAP.find((b) => applies(b, ctx, o) && b.matches(input, key))?.action;
}

/** The footer line of a context, from the table. */
export function footerFor(ctx: KeyContext, o: KeyOptions = {}): string {
  return KEYMAP.filter((b) => applies(b, ctx, o) && b.footer).map((b) => b.footer!).join(' · ');
}

/** The help of the given contexts: one line per key, in table order, without repeats. */
export function helpFor(contexts: readonly KeyContext[], o: KeyOptions = {}): { keys: string; help: string }[] {
  const out: { keys: string; help: string }[] = [];
  for (const b of KEYMAP) {
    if (!contexts.some((c) => applies(b, c, o))) continue;
    if (!out.some((x) => x.keys === b.keys && x.help === b.help)) out.push({ keys: b.keys, help: b.help });
  }
  return out;
}
