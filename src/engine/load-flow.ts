import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { FlowSchema, type Flow } from './flow-schema.js';

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

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
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

/** YAML text checked against a schema; every problem comes back as file:line:col. */
export function parseYamlWith<T>(schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, text: string, file: string): ParsedFile<T> {
  const parsed = parseYaml(text);
  const syntax = yamlErrors(parsed, file);
  if (syntax.length) return { parsed, messages: syntax };
  const raw: unknown = parsed.doc.toJS();
  const result = schema.safeParse(raw);
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
