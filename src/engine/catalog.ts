import { CatalogSchema, causeRelations, REQUIRED_CAUSE_IDS, type Catalog } from './causes.js';
import { parseYamlWith, type LintMessage } from './load-flow.js';

export interface ParsedCatalog {
  catalog?: Catalog;
  messages: LintMessage[];
}

/** Parses flows/causes.yaml; every problem comes back as file:line:col. */
export function parseCatalog(text: string, file: string): ParsedCatalog {
  const { data: catalog, parsed, messages: invalid } = parseYamlWith(CatalogSchema, text, file);
  if (!catalog) return { messages: invalid };
  const messages: LintMessage[] = [];
  const seen = new Set<string>();
  catalog.causes.forEach((c, i) => {
    if (seen.has(c.id)) messages.push({ file, ...parsed.locate(['causes', i, 'id']), message: `duplicate cause id "${c.id}"` });
    seen.add(c.id);
  });
  catalog.causes.forEach((c, i) => {
    for (const [j, other] of (c.explains ?? []).entries()) {
      const at = { file, ...parsed.locate(['causes', i, 'explains', j]) };
      if (!seen.has(other)) messages.push({ ...at, message: `"${c.id}" explains unknown cause "${other}"` });
      else if (other === c.id) messages.push({ ...at, message: `"${c.id}" cannot explain itself` });
      else if (causeRelations(catalog).explains(other).has(c.id)) messages.push({ ...at, message: `"${c.id}" and "${other}" explain each other (a circle)` });
    }
  });
  for (const id of REQUIRED_CAUSE_IDS) {
    if (!seen.has(id)) messages.push({ file, ...parsed.locate(['causes']), message: `required cause "${id}" is missing` });
  }
  return { catalog, messages };
}
