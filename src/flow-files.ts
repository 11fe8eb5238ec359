import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { checkMetas } from './checks/registry.js';
import { parseCatalog } from './engine/catalog.js';
import type { Catalog } from './engine/causes.js';
import type { Flow } from './engine/flow-schema.js';
import { CONTEXT_FACTS, lintFlow } from './engine/lint-flow.js';
import { formatMessage, parseFlow, type LintMessage } from './engine/load-flow.js';

import { FLOWS_DIR } from './flows-dir.js';

export { FLOWS_DIR };
export const CATALOG_FILE = join(FLOWS_DIR, 'causes.yaml');

export class FlowLoadError extends Error {
  constructor(readonly messages: LintMessage[], hint: string) {
    super(`${messages.slice(0, 5).map(formatMessage).join('\n')}${messages.length > 5 ? `\n… and ${messages.length - 5} more` : ''}\n${hint}`);
  }
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlowLoadError([{ file, line: 1, col: 1, message: `cannot read the file (${(e as NodeJS.ErrnoException).code})` }], 'check the path');
  }
}

let catalogCache: Catalog | undefined;

export function loadCatalog(file = CATALOG_FILE): Catalog {
  if (file === CATALOG_FILE && catalogCache) return catalogCache;
  const { catalog, messages } = parseCatalog(read(file), file);
  if (!catalog || messages.length) throw new FlowLoadError(messages, 'fix the cause catalog, then run `badgate flows lint`');
  if (file === CATALOG_FILE) catalogCache = catalog;
  return catalog;
}

/** Shipped flow files (not the catalog, not drills or recordings). */
export function shippedFlowFiles(dir = FLOWS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'causes.yaml').map((f) => join(dir, f)).sort();
}

/** The ids of the shipped flows (`alb`, `cloudfront`, …): their file names. */
export function shippedFlowIds(dir = FLOWS_DIR): string[] {
  return shippedFlowFiles(dir).map((f) => basename(f, '.yaml'));
}

/** A flow by id (`alb`) or by path to a .yaml file. */
export function resolveFlowFile(idOrPath: string): string {
  if (idOrPath.endsWith('.yaml') || idOrPath.endsWith('.yml')) return resolve(idOrPath);
  const file = join(FLOWS_DIR, `${idOrPath}.yaml`);
  if (!existsSync(file)) {
    const known = shippedFlowIds().join(', ');
    throw new FlowLoadError([{ file, line: 1, col: 1, message: `no flow "${idOrPath}"` }], `known flows: ${known}`);
  }
  return file;
}

export function lintFlowText(text: string, file: string, catalog: Catalog): { flow?: Flow; messages: LintMessage[] } {
  const parsed = parseFlow(text, file);
  if (!parsed.flow) return { messages: parsed.messages };
  const messages = lintFlow(parsed.flow, parsed.parsed, file, {
    checks: checkMetas(),
    causes: new Set(catalog.causes.map((c) => c.id)),
    contextFacts: CONTEXT_FACTS,
  });
  return { flow: parsed.flow, messages };
}

/** Loads and lints a flow; any problem is a load error with file:line:col, never a runtime surprise. */
export function loadFlow(idOrPath: string): Flow {
  const file = resolveFlowFile(idOrPath);
  const { flow, messages } = lintFlowText(read(file), file, loadCatalog());
  if (!flow || messages.length) throw new FlowLoadError(messages, `fix the flow, then run \`badgate flows lint ${file}\``);
  return flow;
}
