/** Colours are decoration only: every state also has a symbol, so NO_COLOR loses nothing. */
export const noColor = (): boolean => Boolean(process.env.NO_COLOR);

export function color(name: string): string | undefined {
  return noColor() ? undefined : name;
}

export const STATUS_SYMBOL = { pass: '✔', warn: '▲', fail: '✘', unknown: '?' } as const;
export const STATUS_COLOR = { pass: 'green', warn: 'yellow', fail: 'red', unknown: 'gray' } as const;
export const CONFIDENCE_SYMBOL = { confirmed: '■', likely: '●', suspected: '○', 'ruled-out': '✕' } as const;
export const CONFIDENCE_COLOR = { confirmed: 'red', likely: 'yellow', suspected: 'cyan', 'ruled-out': 'gray' } as const;

export function elapsed(fromIso: string | undefined, now: Date): string {
  if (!fromIso) return '';
  const ms = now.getTime() - new Date(fromIso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '0m00s';
  const m = Math.floor(ms / 60_000);
  const h = Math.floor(m / 60);
  return h ? `${h}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}s`;
}

export function truncate(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}
