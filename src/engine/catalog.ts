import { CatalogSchema, REQUIRED_CAUSE_IDS, type Catalog } from './causes.js';
import { parseYaml, schemaErrors, yamlErrors, type LintMessage } from './load-flow.js';

export interface ParsedCatalog {
  catalog?: Catalog;
  messages: LintMessage[];
}

/** Parses flows/causes.yaml; every problem comes back as file:line:col. */
export function parseCatalog(text: string, file: string): ParsedCatalog {
  const parsed = parseYaml(text);
  const syntax = yamlErrors(parsed, file);
  if (syntax.length) return { messages: syntax };
  const data: unknown = parsed.doc.toJS();
  const result = CatalogSchema.safeParse(data);
  if (!result.success) return { messages: schemaErrors(result.error.issues, parsed, file, data) };
  const messages: LintMessage[] = [];
  const seen = new Set<string>();
  result.data.causes.forEach((c, i) => {
    if (seen.has(c.id)) messages.push({ file, ...parsed.locate(['causes', i, 'id']), message: `duplicate cause id "${c.id}"` });
    seen.add(c.id);
  });
  for (const id of REQUIRED_CAUSE_IDS) {
    if (!seen.has(id)) messages.push({ file, ...parsed.locate(['causes']), message: `required cause "${id}" is missing` });
  }
  return { catalog: result.data, messages };
}
