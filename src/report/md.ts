import type { BlockContent, Heading, List, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, Code } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';

/** Small builders for an mdast tree; to-markdown does the escaping of user text. */
export const text = (value: string): PhrasingContent => ({ type: 'text', value });
export const strong = (value: string): PhrasingContent => ({ type: 'strong', children: [text(value)] });
export const inlineCode = (value: string): PhrasingContent => ({ type: 'inlineCode', value });
export const link = (url: string, label: string): PhrasingContent => ({ type: 'link', url, children: [text(label)] });

/** Text whose `backticked` parts become inline code, as the catalog writes commands. */
export function rich(value: string): PhrasingContent[] {
  return value.split('`').map((part, i) => (i % 2 ? inlineCode(part) : text(part))).filter((n) => !('value' in n) || n.value !== '');
}

export function heading(depth: 1 | 2 | 3, value: string): Heading {
  return { type: 'heading', depth, children: [text(value)] };
}

export function paragraph(...children: (PhrasingContent | string)[]): Paragraph {
  return { type: 'paragraph', children: children.map((c) => (typeof c === 'string' ? text(c) : c)) };
}

export function list(items: (BlockContent | string | PhrasingContent[])[], ordered = false): List {
  return {
    type: 'list', ordered, spread: false,
    children: items.map((item) => ({
      type: 'listItem', spread: false,
      children: [typeof item === 'string' ? paragraph(item) : Array.isArray(item) ? paragraph(...item) : item],
    })),
  };
}

export function table(header: string[], rows: (string | PhrasingContent[])[][]): Table {
  const cell = (c: string | PhrasingContent[]): TableCell => ({ type: 'tableCell', children: typeof c === 'string' ? [text(c.replace(/\n/g, ' '))] : c });
  return {
    type: 'table', align: header.map(() => null),
    children: [header, ...rows].map((r) => ({ type: 'tableRow', children: r.map(cell) })),
  };
}

export function code(lang: string, value: string): Code {
  return { type: 'code', lang, value };
}

export function render(children: RootContent[]): string {
  const root: Root = { type: 'root', children };
  return toMarkdown(root, { extensions: [gfmToMarkdown()], bullet: '-', rule: '-' });
}
