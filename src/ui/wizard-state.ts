/** Screen-local state of the wizard (cursor, typed text, overlays). No Ink here. */
/** hypotheses: the open hypotheses after "still failing"; handover: the same with what to hand over. */
export type Overlay = 'none' | 'note' | 'help' | 'hypotheses' | 'handover';

export interface WizardUi {
  overlay: Overlay;
  cursor: number;
  text: string;
  note: string;
  error?: string;
  /** A short confirmation (a command copied), cleared by the next key. */
  notice?: string;
  /** Which command of a step `c` copies next. */
  copied?: number;
}

export type UiAction =
  | { type: 'move'; delta: number; count: number }
  | { type: 'cursor'; index: number }
  | { type: 'type'; input: string }
  | { type: 'erase' }
  | { type: 'clear' }
  | { type: 'error'; message?: string }
  | { type: 'notice'; message: string; copied?: number }
  | { type: 'overlay'; overlay: Overlay }
  /** A node comes up with an answer ready: the previous one after `b`, or a known fact. */
  | { type: 'prefill'; text?: string; cursor?: number }
  | { type: 'reset' };

export const initialUi: WizardUi = { overlay: 'none', cursor: 0, text: '', note: '' };

export function uiReducer(s: WizardUi, a: UiAction): WizardUi {
  const field = s.overlay === 'note' ? 'note' : 'text';
  switch (a.type) {
    case 'move':
      return a.count ? { ...s, cursor: (s.cursor + a.delta + a.count) % a.count, error: undefined, notice: undefined } : s;
    case 'cursor':
      return { ...s, cursor: a.index, error: undefined };
    case 'type':
      return { ...s, [field]: s[field] + a.input, error: undefined };
    case 'erase':
      return { ...s, [field]: s[field].slice(0, -1), error: undefined };
    case 'clear':
      return { ...s, [field]: '', error: undefined };
    case 'error':
      return { ...s, error: a.message, notice: undefined };
    case 'notice':
      return { ...s, notice: a.message, copied: a.copied ?? s.copied, error: undefined };
    case 'overlay':
      return { ...s, overlay: a.overlay, note: a.overlay === 'note' ? '' : s.note, error: undefined };
    case 'prefill':
      return { ...s, text: a.text ?? s.text, cursor: a.cursor ?? s.cursor };
    case 'reset':
      return { ...initialUi };
  }
}

/** One keystroke out of a chunk: terminals (and tmux) may deliver "text\r" at once. */
export type Stroke = { kind: 'char'; ch: string } | { kind: 'enter' } | { kind: 'erase' };

export function strokes(input: string): Stroke[] {
  const out: Stroke[] = [];
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') out.push({ kind: 'enter' });
    else if (ch === '\x7f' || ch === '\b') out.push({ kind: 'erase' });
    else if (ch >= ' ') out.push({ kind: 'char', ch });
  }
  return out;
}
