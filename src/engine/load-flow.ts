import { LineCounter, parseDocument, isNode, isScalar, visit, type Document } from 'yaml';
import { FlowSchema, type Flow } from './flow-schema.js';
import { sanitizeDeep } from './sanitize.js';

export interface LintMessage {
  file: string;
  line: number;
  col: number;
  message: string;
}

export type PathKey = (string | number)[];

export interface ParsedYaml {
  doc: Document;
  /** Line/column of the YAML node at `path`, or of its nearest existing parent. */
  locate(path: PathKey): { line: number; col: number };
  /** Line/column of a character offset. */
  position(offset: number): { line: number; col: number };
}

/** Bigger than any flow, catalog or scenario needs; a larger file is refused before it is parsed. */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;
/** Aliases a document may expand (the "billion laughs" bomb expands millions). */
export const MAX_YAML_ALIASES = 100;

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check is quadratic in a map's size; keys are checked below instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const locate = (path: PathKey) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, col: pos.col };
      }
    }
    return { line: 1, col: 1 };
  };
  return { doc, locate, position: (offset: number) => lineCounter.linePos(offset) };
}

export function formatMessage(m: LintMessage): string {
  return `${m.file}:${m.line}:${m.col} ${m.message}`;
}

/** YAML syntax errors as lint messages; empty when the text parsed. */
export function yamlErrors(parsed: ParsedYaml, file: string): LintMessage[] {
  return parsed.doc.errors.map((e) => ({ file, ...parsed.position(e.pos[0]), message: e.message.split('\n')[0] }));
}

/** Zod issues as lint messages pointing at the offending YAML node. */
export function schemaErrors(issues: { path: PropertyKey[]; message: string }[], parsed: ParsedYaml, file: string, data: unknown): LintMessage[] {
  return issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const where = path.length ? ` at ${describePath(path, data)}` : '';
    return { file, ...parsed.locate(path), message: `${issue.message}${where}` };
  });
}

/** `nodes[3].outcomes[0].next` reads better as `node "x" outcomes[0].next`. */
function describePath(path: PathKey, data: unknown): string {
  if (path[0] === 'nodes' && typeof path[1] === 'number') {
    const nodes = (data as { nodes?: { id?: unknown }[] } | undefined)?.nodes;
    const nodeId = nodes?.[path[1]]?.id;
    const rest = path.slice(2).map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
    return `node ${typeof nodeId === 'string' ? `"${nodeId}"` : `#${path[1]}`}${rest ? ` ${rest}` : ''}`;
  }
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

export interface ParsedFile<T> {
  data?: T;
  parsed: ParsedYaml;
  messages: LintMessage[];
}

/** Repeated keys in any map, found in one pass per map. */
function duplicateKeys(parsed: ParsedYaml, file: string): LintMessage[] {
  const out: LintMessage[] = [];
  visit(parsed.doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
        if (seen.has(k)) out.push({ file, ...(isNode(pair.key) && pair.key.range ? parsed.position(pair.key.range[0]) : { line: 1, col: 1 }), message: `duplicate key "${k}"` });
        seen.add(k);
      }
    },
  });
  return out;
}

function tooLarge(text: string, file: string): LintMessage[] {
  const bytes = Buffer.byteLength(text);
  return bytes > MAX_YAML_BYTES ? [{ file, line: 1, col: 1, message: `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_YAML_BYTES / 1024 / 1024} MB a flow, catalog or scenario may be` }] : [];
}

/** YAML text checked against a schema; every problem comes back as file:line:col. */
export function parseYamlWith<T>(schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, text: string, file: string): ParsedFile<T> {
  const big = tooLarge(text, file);
  if (big.length) return { parsed: parseYaml(''), messages: big };
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    if (e instanceof RangeError) return { parsed: parseYaml(''), messages: [{ file, line: 1, col: 1, message: 'the YAML is nested too deeply to read' }] };
    throw e;
  }
  const syntax = [...yamlErrors(parsed, file), ...duplicateKeys(parsed, file)];
  if (syntax.length) return { parsed, messages: syntax };
  let raw: unknown;
  try {
    raw = parsed.doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    const m = (e as Error).message ?? '';
    if (/alias/i.test(m)) return { parsed, messages: [{ file, line: 1, col: 1, message: `the YAML expands more than ${MAX_YAML_ALIASES} aliases (an alias bomb?): ${m.split('\n')[0]}` }] };
    if (e instanceof RangeError) return { parsed, messages: [{ file, line: 1, col: 1, message: 'the YAML is nested too deeply to read' }] };
    throw e;
  }
  // Flow, catalog and scenario text is shown on the terminal: no control sequences from a file.
  const result = schema.safeParse(sanitizeDeep(raw));
  if (!result.success) return { parsed, messages: schemaErrors(result.error.issues, parsed, file, raw) };
  return { data: result.data, parsed, messages: [] };
}

export interface ParsedFlow {
  flow?: Flow;
  parsed: ParsedYaml;
  messages: LintMessage[];
}

/** Parses and schema-checks one flow file's text. Semantic checks are in lint-flow.ts. */
export function parseFlow(text: string, file: string): ParsedFlow {
  const { data, parsed, messages } = parseYamlWith(FlowSchema, text, file);
  return { flow: data, parsed, messages };
}
