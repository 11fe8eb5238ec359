import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCatalog } from '../engine/catalog.js';
import { FlowSchema } from '../engine/flow-schema.js';
import { formatMessage, type LintMessage } from '../engine/load-flow.js';
import { CATALOG_FILE, lintFlowText, shippedFlowFiles } from '../flow-files.js';
import { checkMetas } from '../checks/registry.js';
import { isScenarioFile, lintScenarioFile, scenarioFiles } from '../drills/scenarios.js';
import type { Io } from './io.js';
import { BadgateError } from '../engine/errors.js';

/** The JSON schema editors use to complete flow files; generated from the zod schema. */
export function flowJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(FlowSchema, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`;
}

export async function lintFiles(files: string[]): Promise<LintMessage[]> {
  const catalogText = readFileSync(CATALOG_FILE, 'utf8');
  const { catalog, messages } = parseCatalog(catalogText, CATALOG_FILE);
  const out: LintMessage[] = [...messages];
  // A check's findings may only name catalog causes; checked here so a new check cannot drift.
  const known = new Set(catalog?.causes.map((c) => c.id));
  for (const meta of checkMetas().values()) {
    for (const cause of meta.causes ?? []) {
      if (catalog && !known.has(cause)) out.push({ file: CATALOG_FILE, line: 1, col: 1, message: `check ${meta.id} may name cause "${cause}", which the catalog does not have` });
    }
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      out.push({ file, line: 1, col: 1, message: `cannot read (${(e as NodeJS.ErrnoException).code})` });
      continue;
    }
    if (file === CATALOG_FILE || file.endsWith('/causes.yaml')) {
      out.push(...parseCatalog(text, file).messages);
      continue;
    }
    if (isScenarioFile(file, text)) {
      out.push(...await lintScenarioFile(file, catalog ?? { causes: [] }));
      continue;
    }
    out.push(...lintFlowText(text, file, catalog ?? { causes: [] }).messages);
  }
  return out;
}

export async function flowsCommand(sub: string | undefined, files: string[], io: Io): Promise<number> {
  if (sub === 'schema') {
    io.out(flowJsonSchema());
    return 0;
  }
  if (sub !== 'lint') throw new BadgateError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand', '`badgate flows lint [files]` or `badgate flows schema`');
  const targets = files.length ? files : [...shippedFlowFiles(), CATALOG_FILE, ...scenarioFiles()];
  const messages = await lintFiles(targets);
  for (const m of messages) io.out(formatMessage(m));
  if (messages.length) {
    io.err(`${messages.length} problem${messages.length === 1 ? '' : 's'} in ${new Set(messages.map((m) => m.file)).size} file(s)`);
    return 1;
  }
  io.err(`${targets.length} file(s) clean`);
  return 0;
}
