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
