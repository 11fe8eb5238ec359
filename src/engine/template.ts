import type { Facts } from './vocabulary.js';

/** `{{fact}}`, or `{{fact|words}}` for a comma-joined list given to the shell as separate words. */
const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w]*(?:\.[\w]+)*)\s*(?:\|\s*(words)\s*)?\}\}/g;

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

/**
 * Shell commands that print a fact nobody has read yet (the flow's `lookups:`), e.g. the load
 * balancer's security groups from its name. A command that needs such a fact runs the lookup
 * in `$(…)` instead of showing a placeholder, so it can be pasted as it is.
 */
export type Lookups = Readonly<Record<string, string>>;

/** Characters a shell word may hold without quoting. */
const SHELL_SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

function quoteFor(value: string, state: 'none' | 'single' | 'double'): string {
  if (state === 'single') return value.replace(/'/g, `'\\''`);
  if (state === 'double') return value.replace(/[\\"$`]/g, (c) => `\\${c}`);
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Lookups may use other lookups (the target group's ARN needs the load balancer's); this bounds the nesting. */
const MAX_LOOKUP_DEPTH = 4;

function fill(name: string, words: boolean, state: 'none' | 'single' | 'double', facts: Readonly<Facts>, lookups: Lookups, depth: number): string {
  const v = facts[name];
  if (v !== undefined && v !== '') {
    const s = String(v);
    // A list as separate words only where the shell splits words (outside quotes).
    if (words && state === 'none') return s.split(',').map((x) => x.trim()).filter(Boolean).map((x) => quoteFor(x, 'none')).join(' ');
    return quoteFor(s, state);
  }
  const lookup = lookups[name];
  // A lookup that is just another fact is an alias (the load balancer's name from --lb).
  const alias = lookup && /^\{\{\s*([\w.]+)\s*\}\}$/.exec(lookup.trim());
  if (alias && depth < MAX_LOOKUP_DEPTH) return fill(alias[1], words, state, facts, lookups, depth + 1);
  // Inside '…' nothing runs, so a lookup cannot help there.
  if (lookup && state !== 'single' && depth < MAX_LOOKUP_DEPTH) {
    const inner = fillShell(lookup, facts, lookups, depth + 1);
    return words ? `$(${inner} | tr ',' ' ')` : `$(${inner})`;
  }
  return `<${name}>`;
}

function fillShell(command: string, facts: Readonly<Facts>, lookups: Lookups, depth: number): string {
  let out = '';
  let state: 'none' | 'single' | 'double' = 'none';
  let i = 0;
  const re = new RegExp(PLACEHOLDER.source, 'g');
  for (let m = re.exec(command); m; m = re.exec(command)) {
    for (; i < m.index; i++) {
      const c = command[i];
      out += c;
      if (c === '\\' && state !== 'single' && i + 1 < m.index) out += command[++i];
      else if (c === "'" && state !== 'double') state = state === 'single' ? 'none' : 'single';
      else if (c === '"' && state !== 'single') state = state === 'double' ? 'none' : 'double';
    }
    out += fill(m[1], m[2] === 'words', state, facts, lookups, depth);
    i = m.index + m[0].length;
  }
  return out + command.slice(i);
}

/**
 * Fills {{fact}} placeholders in a command the responder will paste into a shell: each value
 * is quoted for where it stands (bare, inside '…' or inside "…"), so a health-check path such
 * as `/health$(touch x)` read from an API stays a string and never runs. A fact not known yet
 * is looked up in place when the flow says how (`lookups`).
 */
export function interpolateShell(command: string, facts: Readonly<Facts>, lookups: Lookups = {}): string {
  return fillShell(command, facts, lookups, 0);
}

/** Whether a filled command still holds a `<fact>` placeholder (it cannot be pasted as it is). */
export function hasPlaceholder(command: string): boolean {
  return /<[a-zA-Z][\w]*(?:\.[\w]+)*>/.test(command);
}
