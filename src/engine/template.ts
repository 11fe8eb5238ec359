import type { Facts } from './vocabulary.js';

const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w]*(?:\.[\w]+)*)\s*\}\}/g;

/** Fact names a text refers to, for the linter. */
export function referencedFacts(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * Fills {{fact}} placeholders. An unknown fact stays visible as <fact> so a copied
 * command fails loudly instead of running with an empty argument.
 */
export function interpolate(text: string, facts: Readonly<Facts>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const v = facts[name];
    return v === undefined || v === '' ? `<${name}>` : String(v);
  });
}

/** Characters a shell word may hold without quoting. */
const SHELL_SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

function quoteFor(value: string, state: 'none' | 'single' | 'double'): string {
  if (state === 'single') return value.replace(/'/g, `'\\''`);
  if (state === 'double') return value.replace(/[\\"$`]/g, (c) => `\\${c}`);
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Fills {{fact}} placeholders in a command the responder will paste into a shell: each value
 * is quoted for where it stands (bare, inside '…' or inside "…"), so a health-check path such
 * as `/health$(touch x)` read from an API stays a string and never runs.
 */
export function interpolateShell(command: string, facts: Readonly<Facts>): string {
  let out = '';
  let state: 'none' | 'single' | 'double' = 'none';
  let i = 0;
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(command); m; m = PLACEHOLDER.exec(command)) {
    for (; i < m.index; i++) {
      const c = command[i];
      out += c;
      if (c === '\\' && state !== 'single' && i + 1 < m.index) out += command[++i];
      else if (c === "'" && state !== 'double') state = state === 'single' ? 'none' : 'single';
      else if (c === '"' && state !== 'single') state = state === 'double' ? 'none' : 'double';
    }
    const v = facts[m[1]];
    out += v === undefined || v === '' ? `<${m[1]}>` : quoteFor(String(v), state);
    i = m.index + m[0].length;
  }
  PLACEHOLDER.lastIndex = 0;
  return out + command.slice(i);
}
