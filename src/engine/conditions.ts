import type { Facts, FactValue } from './vocabulary.js';
import type { Condition } from './flow-schema.js';

function asNumber(v: FactValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** Evaluates a structured condition against facts; no expression strings, no eval. */
export function evaluateCondition(cond: Condition, facts: Readonly<Facts>): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluateCondition(c, facts));
  if ('any' in cond) return cond.any.some((c) => evaluateCondition(c, facts));
  if ('not' in cond) return !evaluateCondition(cond.not, facts);
  const v = facts[cond.fact];
  if (cond.exists !== undefined && (v !== undefined && v !== '') !== cond.exists) return false;
  if (cond.eq !== undefined && String(v) !== String(cond.eq)) return false;
  if (cond.ne !== undefined && String(v) === String(cond.ne)) return false;
  if (cond.in !== undefined && !cond.in.map(String).includes(String(v))) return false;
  const n = asNumber(v);
  const numeric: [number | undefined, (a: number, b: number) => boolean][] = [
    [cond.gt, (a, b) => a > b], [cond.gte, (a, b) => a >= b], [cond.lt, (a, b) => a < b], [cond.lte, (a, b) => a <= b],
  ];
  for (const [bound, cmp] of numeric) {
    if (bound !== undefined && (n === undefined || !cmp(n, bound))) return false;
  }
  return true;
}

/** Fact names a condition reads, for the linter. */
export function conditionFacts(cond: Condition): string[] {
  if ('all' in cond) return cond.all.flatMap(conditionFacts);
  if ('any' in cond) return cond.any.flatMap(conditionFacts);
  if ('not' in cond) return conditionFacts(cond.not);
  return [cond.fact];
}
