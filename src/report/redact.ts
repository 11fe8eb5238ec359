import { createMasker, redactIdentifiers } from '../engine/scrub.js';
import type { Postmortem, ReportCause } from './postmortem-model.js';

/** Fields that hold the catalog's own text (or badgate's), which names no one's system. */
const CATALOG_FIELDS = new Set(['why', 'fix', 'action']);

/** Load balancer and target group names the incident's facts and ARNs mention. */
function resourceNames(p: Postmortem, facts: string): { kind: string; value: string }[] {
  const names = new Map<string, string>();
  if (p.target.lb && !p.target.lb.startsWith('arn:')) names.set(p.target.lb, 'lb-name');
  for (const m of facts.matchAll(/loadbalancer\/(?:app|net|gwy)\/([A-Za-z0-9-]{1,32})\//g)) names.set(m[1], 'lb-name');
  for (const m of facts.matchAll(/(?<![A-Za-z0-9])(?:app|net|gwy)[/.]([A-Za-z0-9-]{1,32})[/.][0-9a-f]{16}/g)) names.set(m[1], 'lb-name');
  for (const m of facts.matchAll(/targetgroup\/([A-Za-z0-9-]{1,32})\//g)) names.set(m[1], 'tg-name');
  for (const m of facts.matchAll(/"tg\.name":"([^"]+)"/g)) names.set(m[1], 'tg-name');
  return [...names].filter(([v]) => v.length >= 3).map(([value, kind]) => ({ kind, value }));
}

/**
 * The postmortem with every identifier from the incident masked, the same one the same way
 * throughout: account ids, IPs, ARNs, sg-/i-/subnet-/vpc-/eni- ids, load balancer and target
 * group names. The catalog's text is left as written ("bound to 127.0.0.1 only" stays).
 */
export function redactPostmortem(p: Postmortem, extraNames: { kind: string; value: string }[] = []): Postmortem {
  const mask = createMasker();
  const names = [...resourceNames(p, JSON.stringify(p)), ...extraNames].sort((a, b) => b.value.length - a.value.length);
  const nameRe = names.length ? new RegExp(`(?<![A-Za-z0-9-])(?:${names.map((n) => n.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![A-Za-z0-9-])`, 'g') : undefined;
  const kindOf = new Map(names.map((n) => [n.value, n.kind]));
  const redact = (v: string) => {
    const shaped = redactIdentifiers(v, mask);
    return nameRe ? shaped.replace(nameRe, (m) => mask(kindOf.get(m)!, m)) : shaped;
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && CATALOG_FIELDS.has(key) ? v : redact(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key && CATALOG_FIELDS.has(key) ? key : undefined));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  const out = walk(p) as Postmortem;
  // Cause titles are the catalog's; a resource named like a word in one must not change it.
  const keepTitles = (red: ReportCause[], orig: ReportCause[]) => red.map((c, i) => ({ ...c, title: orig[i].title }));
  return { ...out, rootCauses: keepTitles(out.rootCauses, p.rootCauses), contributingFactors: keepTitles(out.contributingFactors, p.contributingFactors), ruledOut: keepTitles(out.ruledOut, p.ruledOut) };
}
