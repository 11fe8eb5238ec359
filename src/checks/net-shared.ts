import type { CheckResult, Source } from '../engine/vocabulary.js';

/** Reads a numeric param (fractions allowed: tests scale timeouts down) within bounds. */
export function numberParam(
  params: Record<string, string>,
  name: string,
  fallback: number,
  bounds: { min: number; max: number; integer?: boolean },
): { ok: true; value: number } | { ok: false; error: string } {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return { ok: true, value: fallback };
  const value = Number(raw.trim());
  const kind = bounds.integer ? 'a whole number' : 'a number';
  if (!Number.isFinite(value) || (bounds.integer && !Number.isInteger(value)) || value < bounds.min || value > bounds.max) {
    return { ok: false, error: `${name} must be ${kind} from ${bounds.min} to ${bounds.max}, got "${raw}"` };
  }
  return { ok: true, value };
}

/** The result for a check that could not run because a param was wrong. */
export function paramProblem(error: string, nextStep: string): CheckResult {
  return { status: 'unknown', outcome: 'unknown', summary: `Not run: ${error}`, nextStep };
}

export function probeSource(api: string, params: Record<string, unknown>, at: string): Source {
  return { api, params, at };
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? s.toFixed(1) : s.toFixed(2)} s`;
}

/** Joins a list for one fact value. */
export function listFact(items: string[]): string {
  return items.join(', ');
}
