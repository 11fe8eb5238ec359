import type { CheckMeta } from './vocabulary.js';
import { conditionFacts } from './conditions.js';
import type { Flow, FlowNode } from './flow-schema.js';
import type { LintMessage, ParsedYaml, PathKey } from './load-flow.js';
import { referencedFacts } from './template.js';
import { TIME_FACT_SUFFIXES } from './inputs.js';

export interface LintContext {
  checks: ReadonlyMap<string, CheckMeta>;
  causes: ReadonlySet<string>;
  /** Facts the run itself provides (targeting flags, session). */
  contextFacts: readonly string[];
}

/** Facts every run provides before the first node. */
export const CONTEXT_FACTS = [
  'target.lb', 'target.url', 'target.region', 'target.profile', 'target.since',
  'aws.available', 'aws.account', 'aws.arn', 'session.id', 'session.mode', 'session.timeZone',
  // `run nginx --config FILE --error-log FILE`
  'target.nginxConfig', 'target.errorLog',
  'target.subscription', 'target.resourceGroup', 'target.appgw', 'target.accessLog', 'azure.available',
  // `run cloudfront --distribution ID`
  'target.distribution',
  // `run apigw --api ID --stage S`
  'target.api', 'target.stage',
] as const;

/** Where each node sends the responder next, with the YAML path of each edge. */
export function edges(node: FlowNode): { next: string; path: PathKey }[] {
  const out: { next: string; path: PathKey }[] = [];
  switch (node.kind) {
    case 'question':
    case 'step':
      node.choices?.forEach((c, i) => { if (c.next) out.push({ next: c.next, path: ['choices', i, 'next'] }); });
      if (node.next) out.push({ next: node.next, path: ['next'] });
      break;
    case 'check':
      node.outcomes.forEach((o, i) => out.push({ next: o.next, path: ['outcomes', i, 'next'] }));
      break;
    case 'finding':
      out.push({ next: node.next, path: ['next'] });
      break;
    case 'branch':
      node.cases.forEach((c, i) => out.push({ next: c.next, path: ['cases', i, 'next'] }));
      out.push({ next: node.default, path: ['default'] });
      break;
    case 'end':
      break;
  }
  return out;
}

function declaredFacts(flow: Flow, ctx: LintContext): { exact: Set<string>; prefixes: string[] } {
  const exact = new Set<string>(ctx.contextFacts);
  for (const k of Object.keys(flow.lookups ?? {})) exact.add(k);
  const prefixes: string[] = [];
  for (const node of flow.nodes) {
    if (node.kind === 'question' && node.input) {
      exact.add(node.input.fact);
      // A time also comes in the forms commands need (see timeFacts in session.ts).
      if (node.input.type === 'timestamp') for (const suffix of TIME_FACT_SUFFIXES) exact.add(`${node.input.fact}.${suffix}`);
    }
    if (node.kind === 'question' || node.kind === 'step') {
      for (const c of node.choices ?? []) for (const k of Object.keys(c.set ?? {})) exact.add(k);
    }
    if (node.kind === 'branch') for (const c of node.cases) for (const k of Object.keys(c.set ?? {})) exact.add(k);
    if (node.kind === 'check') {
      for (const f of ctx.checks.get(node.run)?.facts ?? []) {
        if (f.endsWith('.*')) prefixes.push(f.slice(0, -1));
        else exact.add(f);
      }
    }
  }
  return { exact, prefixes };
}

/** Texts of a node that may interpolate facts, with their YAML paths. */
function templatedTexts(node: FlowNode): { text: string; path: PathKey }[] {
  const out: { text: string; path: PathKey }[] = [{ text: node.title, path: ['title'] }];
  if (node.body) out.push({ text: node.body, path: ['body'] });
  if (node.help) out.push({ text: node.help, path: ['help'] });
  if (node.kind === 'step') node.commands?.forEach((c, i) => out.push({ text: c, path: ['commands', i] }));
  if (node.kind === 'check') for (const [k, v] of Object.entries(node.with ?? {})) out.push({ text: v, path: ['with', k] });
  if (node.kind === 'finding') out.push({ text: node.evidence, path: ['evidence'] });
  if (node.kind === 'question' && node.default) out.push({ text: node.default, path: ['default'] });
  if (node.kind === 'question' || node.kind === 'step') {
    node.choices?.forEach((c, i) => { if (c.finding) out.push({ text: c.finding.evidence, path: ['choices', i, 'finding', 'evidence'] }); });
  }
  return out;
}

/**
 * Semantic checks a schema cannot express: references to nodes, checks, causes and
 * facts; reachability; every node can still reach an end; headless defaults.
 */
export function lintFlow(flow: Flow, parsed: ParsedYaml, file: string, ctx: LintContext): LintMessage[] {
  const messages: LintMessage[] = [];
  const index = new Map<string, number>();
  const at = (i: number, path: PathKey, message: string) =>
    messages.push({ file, ...parsed.locate(['nodes', i, ...path]), message });

  flow.nodes.forEach((node, i) => {
    if (index.has(node.id)) at(i, ['id'], `duplicate node id "${node.id}"`);
    else index.set(node.id, i);
  });
  if (!index.has(flow.start)) messages.push({ file, ...parsed.locate(['start']), message: `start node "${flow.start}" does not exist` });

  const facts = declaredFacts(flow, ctx);
  const known = (name: string) => facts.exact.has(name) || facts.prefixes.some((p) => name.startsWith(p));

  for (const [name, command] of Object.entries(flow.lookups ?? {})) {
    for (const f of referencedFacts(command)) {
      if (!known(f)) messages.push({ file, ...parsed.locate(['lookups', name]), message: `lookup "${name}" uses unknown fact "{{${f}}}"` });
    }
  }

  for (const [cause, m] of Object.entries(flow.mitigate?.causes ?? {})) {
    const where = { file, ...parsed.locate(['mitigate', 'causes', cause]) };
    if (!ctx.causes.has(cause)) messages.push({ ...where, message: `mitigation for unknown cause "${cause}" (not in flows/causes.yaml)` });
    for (const text of [m.emergency, m.action, ...m.commands, ...(m.fix ?? [])]) {
      for (const f of referencedFacts(text)) if (!known(f)) messages.push({ ...where, message: `mitigation for "${cause}" uses unknown fact "{{${f}}}"` });
    }
  }
  for (const text of flow.mitigate?.verify ?? []) {
    for (const f of referencedFacts(text)) if (!known(f)) messages.push({ file, ...parsed.locate(['mitigate', 'verify']), message: `verify command uses unknown fact "{{${f}}}"` });
  }

  flow.nodes.forEach((node, i) => {
    if (!flow.phases.includes(node.phase)) at(i, ['phase'], `phase "${node.phase}" is not listed in the flow's phases`);
    for (const e of edges(node)) if (!index.has(e.next)) at(i, e.path, `unknown node "${e.next}"`);
    for (const t of templatedTexts(node)) {
      for (const f of referencedFacts(t.text)) if (!known(f)) at(i, t.path, `unknown fact "{{${f}}}" (no question, choice or check sets it)`);
    }
    if (node.kind === 'question' || node.kind === 'step') {
      node.choices?.forEach((c, ci) => {
        if (c.finding && !ctx.causes.has(c.finding.cause)) at(i, ['choices', ci, 'finding', 'cause'], `unknown cause "${c.finding.cause}" (not in flows/causes.yaml)`);
      });
    }
    switch (node.kind) {
      case 'question': {
        if (!node.choices === !node.input) at(i, ['kind'], `question "${node.id}" needs either choices or an input, not both`);
        if (node.input && !node.next) at(i, ['input'], `question "${node.id}" has an input but no next`);
        node.choices?.forEach((c, ci) => { if (!c.next && !node.next) at(i, ['choices', ci], `choice "${c.value}" has no next and the node has none`); });
        if (node.default === undefined) at(i, ['id'], `question "${node.id}" has no headless default`);
        else if (node.choices && !node.choices.some((c) => c.value === node.default)) at(i, ['default'], `default "${node.default}" is not one of the choices`);
        else if (node.input && node.default === '' && !node.input.optional) at(i, ['default'], `required input "${node.id}" has an empty default`);
        break;
      }
      case 'step': {
        if (!node.choices && !node.next) at(i, ['id'], `step "${node.id}" has neither choices nor next`);
        if (node.fallback && (!node.next || node.choices?.some((c) => c.next))) at(i, ['fallback'], `fallback step "${node.id}" needs one next for all its choices (it is passed through when the check answered)`);
        if (node.askIf && (!node.next || node.choices?.some((c) => c.next))) at(i, ['askIf'], `step "${node.id}" with askIf needs one next for all its choices (it is passed through when askIf does not hold)`);
        if (node.askIf) for (const f of conditionFacts(node.askIf)) if (!known(f)) at(i, ['askIf'], `unknown fact "${f}"`);
        node.choices?.forEach((c, ci) => { if (!c.next && !node.next) at(i, ['choices', ci], `choice "${c.value}" has no next and the node has none`); });
        if (node.choices && node.default === undefined) at(i, ['id'], `step "${node.id}" has no headless default`);
        else if (node.choices && !node.choices.some((c) => c.value === node.default)) at(i, ['default'], `default "${node.default}" is not one of the choices`);
        break;
      }
      case 'check': {
        const meta = ctx.checks.get(node.run);
        if (!meta) { at(i, ['run'], `unknown check "${node.run}"`); break; }
        for (const k of Object.keys(node.with ?? {})) if (!(k in meta.params)) at(i, ['with', k], `check "${node.run}" has no parameter "${k}"`);
        for (const [k, p] of Object.entries(meta.params)) if (p.required && !(node.with && k in node.with)) at(i, ['with'], `check "${node.run}" needs parameter "${k}"`);
        const outcomes = new Set([...meta.outcomes, 'unknown']);
        node.outcomes.forEach((o, oi) => {
          for (const w of [o.when ?? []].flat()) if (!outcomes.has(w)) at(i, ['outcomes', oi, 'when'], `check "${node.run}" has no outcome "${w}" (it has: ${[...outcomes].join(', ')})`);
          if (o.when === undefined && oi !== node.outcomes.length - 1) at(i, ['outcomes', oi], 'only the last outcome may omit "when"');
        });
        if (node.outcomes[node.outcomes.length - 1].when !== undefined) at(i, ['outcomes'], 'the last outcome must omit "when" (the default)');
        break;
      }
      case 'finding':
        if (!ctx.causes.has(node.cause)) at(i, ['cause'], `unknown cause "${node.cause}" (not in flows/causes.yaml)`);
        break;
      case 'branch':
        node.cases.forEach((c, ci) => { for (const f of conditionFacts(c.if)) if (!known(f)) at(i, ['cases', ci, 'if'], `unknown fact "${f}"`); });
        break;
      case 'end':
        break;
    }
  });

  if (messages.length) return messages;
  return [...messages, ...graphMessages(flow, parsed, file, index)];
}

function graphMessages(flow: Flow, parsed: ParsedYaml, file: string, index: Map<string, number>): LintMessage[] {
  const messages: LintMessage[] = [];
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const succ = (id: string) => edges(byId.get(id)!).map((e) => e.next);

  const reachable = new Set<string>();
  const stack = [flow.start];
  while (stack.length) {
    const id = stack.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    stack.push(...succ(id));
  }
  const canEnd = new Set(flow.nodes.filter((n) => n.kind === 'end').map((n) => n.id));
  for (let changed = true; changed;) {
    changed = false;
    for (const n of flow.nodes) {
      if (!canEnd.has(n.id) && succ(n.id).some((s) => canEnd.has(s))) { canEnd.add(n.id); changed = true; }
    }
  }
  for (const n of flow.nodes) {
    const where = parsed.locate(['nodes', index.get(n.id)!, 'id']);
    if (!reachable.has(n.id)) messages.push({ file, ...where, message: `node "${n.id}" is unreachable from start "${flow.start}"` });
    else if (!canEnd.has(n.id)) messages.push({ file, ...where, message: `no end can be reached from node "${n.id}"` });
  }

  return messages;
}
