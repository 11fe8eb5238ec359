import { AZURE_METHODS } from '../azure/reader.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { READER_METHODS } from '../aws/reader.js';
import { getCheck } from '../checks/registry.js';
import type { Facts } from '../engine/vocabulary.js';
import type { Catalog } from '../engine/causes.js';
import type { JournalEvent } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { parseInput } from '../engine/inputs.js';
import type { LintMessage, ParsedYaml } from '../engine/load-flow.js';
import { parseScenario, type Scenario } from '../engine/scenario.js';
import { shortestPath, type ShortestPath } from '../engine/shortest-path.js';
import { interpolate } from '../engine/template.js';
import { FLOWS_DIR, FlowLoadError, loadCatalog, loadFlow } from '../flow-files.js';
import { createDrillEnv, type DrillEnv } from './drill-env.js';
import { memoRunner } from '../checks/runner.js';

export const DRILLS_DIR = join(FLOWS_DIR, 'drills');

export function scenarioFiles(dir = DRILLS_DIR): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)).sort() : [];
}

/** A drill is a file under flows/drills, or any YAML with a top-level briefing. */
export function isScenarioFile(file: string, text: string): boolean {
  return resolve(file).startsWith(`${DRILLS_DIR}/`) || /^briefing:/m.test(text);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A scenario by id (`checkout-sporadic-502`) or by path to a .yaml file. */
export function resolveScenarioFile(idOrPath: string): string {
  if (/\.ya?ml$/.test(idOrPath)) return resolve(idOrPath);
  const file = join(DRILLS_DIR, `${idOrPath}.yaml`);
  if (!existsSync(file)) {
    const known = scenarioFiles().map((f) => basename(f, '.yaml')).join(', ');
    throw new FlowLoadError([{ file, line: 1, col: 1, message: `no drill "${idOrPath}"` }], `\`badgate drill\` lists them${known ? `: ${known}` : ''}`);
  }
  return file;
}

/** The checks a scenario may answer from recorded evidence: the ones that touch the network or the host. */
export function isProbeCheck(id: string): boolean {
  if (id.startsWith('net.') || id.startsWith('local.')) return true;
  // appgw.keepalive is the keep-alive probe read against App Gateway's numbers.
  if (id === 'appgw.keepalive') return true;
  // A gateway's own probe (cloudfront.origin-tls) declares only probe APIs: its evidence is a probe's too.
  const apis = getCheck(id)?.meta.apis ?? [];
  return apis.length > 0 && apis.every((a) => a.startsWith('probe:'));
}

/** Everything that can be checked without running the flow: references, values, evidence. */
export function lintScenario(s: Scenario, parsed: ParsedYaml, file: string, catalog: Catalog, flow: Flow | undefined): LintMessage[] {
  const out: LintMessage[] = [];
  const at = (path: (string | number)[], message: string) => out.push({ file, ...parsed.locate(path), message });
  const causes = new Set(catalog.causes.map((c) => c.id));
  s.causes.forEach((c, i) => { if (!causes.has(c)) at(['causes', i], `unknown cause "${c}" (see flows/causes.yaml)`); });
  if (flow) {
    for (const [node, value] of Object.entries(s.answers)) {
      const n = flow.nodes.find((x) => x.id === node);
      if (!n) { at(['answers', node], `flow "${flow.id}" has no node "${node}"`); continue; }
      if (n.kind !== 'question' && n.kind !== 'step') { at(['answers', node], `"${node}" is a ${n.kind}, not a question or step`); continue; }
      if (n.choices) {
        if (!n.choices.some((c) => c.value === value)) at(['answers', node], `"${value}" is not one of ${node}'s choices: ${n.choices.map((c) => c.value).join(', ')}`);
      } else if (n.kind === 'question' && n.input && value.trim() !== '' && !value.includes('{{')) {
        const p = parseInput(n.input.type, value, new Date(Date.parse(s.clock)));
        if (!p.ok) at(['answers', node], `${node}: ${p.error}`);
      }
    }
  }
  s.probes.forEach((p, i) => {
    const check = getCheck(p.check);
    if (!check) { at(['probes', i, 'check'], `unknown check "${p.check}"`); return; }
    if (!isProbeCheck(p.check)) { at(['probes', i, 'check'], `${p.check} reads AWS: its answers belong in aws.calls, not in probes`); return; }
    for (const k of Object.keys(p.when ?? {})) if (!(k in check.meta.params)) at(['probes', i, 'when', k], `${p.check} has no parameter "${k}"`);
    try {
      const r = check.evaluate(structuredClone(p.evidence), { params: {}, facts: {} });
      if (r.outcome !== 'unknown' && !check.meta.outcomes.includes(r.outcome)) at(['probes', i, 'evidence'], `evidence gives outcome "${r.outcome}", not one of ${p.check}'s`);
    } catch (e) {
      at(['probes', i, 'evidence'], `${p.check} cannot read this evidence: ${(e as Error).message}`);
    }
  });
  s.azure?.calls.forEach((c, i) => {
    if (!(AZURE_METHODS as readonly string[]).includes(c.method)) at(['azure', 'calls', i, 'method'], `unknown Azure reader method "${c.method}"`);
  });
  s.aws?.calls.forEach((c, i) => {
    if (!(READER_METHODS as readonly string[]).includes(c.method)) at(['aws', 'calls', i, 'method'], `unknown AWS reader method "${c.method}"`);
  });
  return out;
}

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  flow: Flow;
}

export function loadScenario(idOrPath: string): LoadedScenario {
  const file = resolveScenarioFile(idOrPath);
  const text = safeRead(file);
  if (!text) throw new FlowLoadError([{ file, line: 1, col: 1, message: 'cannot read the file' }], 'check the path');
  const parsed = parseScenario(text, file);
  if (!parsed.scenario) throw new FlowLoadError(parsed.messages, `fix the scenario, then run \`badgate flows lint ${file}\``);
  const flow = loadFlow(parsed.scenario.flow);
  const messages = [...parsed.messages, ...lintScenario(parsed.scenario, parsed.parsed, file, loadCatalog(), flow)];
  if (messages.length) throw new FlowLoadError(messages, `fix the scenario, then run \`badgate flows lint ${file}\``);
  return { scenario: parsed.scenario, file, flow };
}

/** What a drill session starts knowing: what on-call would know from its own tools, nothing of the answer. */
export function drillStartFacts(s: Scenario, env: DrillEnv): Facts {
  return {
    'target.since': '3h',
    'aws.available': Boolean(env.env.aws),
    ...(env.env.azure ? { 'azure.available': true, 'target.subscription': env.env.azure.subscription } : {}),
    ...(env.env.aws ? { 'target.region': env.env.aws.region } : {}),
    'drill.dir': env.dir,
  };
}

/** The environment's true answers, with {{drill.dir}} filled in. */
export function pinnedAnswers(s: Scenario, env: DrillEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(s.answers).map(([k, v]) => [k, interpolate(v, { 'drill.dir': env.dir })]));
}

export function drillStartEvent(loaded: LoadedScenario, env: DrillEnv, sessionId: string, now: Date): Extract<JournalEvent, { type: 'start' }> {
  return {
    seq: 1, at: now.toISOString(), type: 'start', sessionId, flow: loaded.flow.id, flowTitle: loaded.flow.title, version: 1, start: loaded.flow.start,
    // A shipped drill is named by id; another by its path, so `resume` can find it again.
    context: { mode: 'drill', source: `drill:${resolve(loaded.file) === join(DRILLS_DIR, `${loaded.scenario.id}.yaml`) ? loaded.scenario.id : resolve(loaded.file)}`, ...(env.env.aws ? { region: env.env.aws.region } : {}) },
    facts: { 'session.timeZone': process.env.TZ?.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', ...drillStartFacts(loaded.scenario, env), 'session.id': sessionId, 'session.mode': 'drill' },
  };
}

/** The fewest moves to the hidden cause in this scenario's environment (in a scratch directory). */
export async function scenarioShortestPath(loaded: LoadedScenario): Promise<ShortestPath | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'badgate-drill-'));
  try {
    const now = new Date();
    const env = createDrillEnv(loaded.scenario, { dir, now });
    const run = memoRunner(env.runCheck);
    return await shortestPath(loaded.flow, drillStartEvent(loaded, env, 'search', now), {
      pinned: pinnedAnswers(loaded.scenario, env), causes: loaded.scenario.causes, now,
      runCheck: (node, params, s) => run(node, params, s, () => {}),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lint for `badgate flows lint`: the static checks, then that the answer can be reached. */
export async function lintScenarioFile(file: string, catalog: Catalog): Promise<LintMessage[]> {
  const text = safeRead(file);
  if (!text) return [{ file, line: 1, col: 1, message: 'cannot read the file' }];
  const parsed = parseScenario(text, file);
  if (!parsed.scenario) return parsed.messages;
  let flow: Flow | undefined;
  try {
    flow = loadFlow(parsed.scenario.flow);
  } catch (e) {
    return [...parsed.messages, { file, ...parsed.parsed.locate(['flow']), message: (e as Error).message.split('\n')[0] }];
  }
  const messages = [...parsed.messages, ...lintScenario(parsed.scenario, parsed.parsed, file, catalog, flow)];
  if (messages.length) return messages;
  const path = await scenarioShortestPath({ scenario: parsed.scenario, file, flow });
  if (!path) messages.push({ file, ...parsed.parsed.locate(['causes']), message: `no path through "${flow.id}" reaches ${parsed.scenario.causes.join(' or ')} as confirmed or likely with these answers, logs, probes and AWS answers` });
  return messages;
}
