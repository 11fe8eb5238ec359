import type { BlockContent, Heading, List, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, Code } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import stringWidth from 'string-width';

/**
 * Small builders for an mdast tree; to-markdown does the escaping of user text. Text is kept on
 * one line (a line break inside a text node comes out as `&#xA;`), and strong text carries no
 * edge spaces (they come out as `&#x20;`).
 */
const oneLine = (value: string) => value.replace(/\s*\n\s*/g, ' ');
export const text = (value: string): PhrasingContent => ({ type: 'text', value: oneLine(value) });
export const strong = (value: string): PhrasingContent => ({ type: 'strong', children: [text(value.trim())] });
export const inlineCode = (value: string): PhrasingContent => ({ type: 'inlineCode', value: oneLine(value) });
export const link = (url: string, label: string): PhrasingContent => ({ type: 'link', url, children: [text(label)] });

/** Text whose `backticked` parts become inline code, as the catalog writes commands. */
export function rich(value: string): PhrasingContent[] {
  return value.split('`').map((part, i) => (i % 2 ? inlineCode(part) : text(part))).filter((n) => !('value' in n) || n.value !== '');
}

/** A command worth copying: a shell line long enough that it belongs in a code block. */
const COMMAND = /^(?:sudo |aws |curl |kubectl |badgate |zcat |grep |tcpdump |ss |netstat |openssl |dig |journalctl |systemctl |nginx |docker |az |gcloud |for |tail |awk |ps |lsof |ulimit |sysctl )/;
export function isCommand(code: string): boolean {
  return code.length >= 40 && COMMAND.test(code.trim());
}

/** A line of a config or code sample inside catalog prose: indented, or shaped like a statement. */
const CODE_LINE = /^\s{2,}\S|;\s*(?:\/\/.*)?$|^\s*[{}]\s*$/;

/**
 * Catalog prose as blocks: a paragraph per blank-line-separated part, code and config lines
 * (indented, or ending in `;`) as a code block, and long shell commands taken out of the
 * sentence into a fenced block after it (short ones stay inline).
 */
export function prose(value: string, lead?: string): RootContent[] {
  const out: RootContent[] = [];
  let first = true;
  const sentence = (part: string) => {
    const commands: string[] = [];
    const children: PhrasingContent[] = [];
    if (lead && first) children.push(strong(lead), text(' '));
    first = false;
    part.split('`').forEach((piece, i) => {
      if (!(i % 2)) {
        if (piece) children.push(text(piece));
        return;
      }
      if (isCommand(piece)) {
        commands.push(oneLine(piece));
        children.push(text(`(command ${commands.length} below)`));
      } else children.push(inlineCode(piece));
    });
    out.push(paragraph(...children));
    if (commands.length) out.push(code('sh', commands.join('\n')));
  };
  for (const part of value.trim().split(/\n\s*\n/)) {
    const lines = part.split('\n');
    let prosePart: string[] = [];
    let codePart: string[] = [];
    const flush = () => {
      if (prosePart.length) sentence(prosePart.join(' '));
      if (codePart.length) out.push(code('', dedent(codePart)));
      prosePart = [];
      codePart = [];
    };
    for (const line of lines) {
      const isCode = lines.length > 1 && CODE_LINE.test(line);
      if (isCode && prosePart.length && !codePart.length) {
        sentence(prosePart.join(' '));
        prosePart = [];
      }
      if (!isCode && codePart.length) flush();
      (isCode ? codePart : prosePart).push(line);
    }
    flush();
  }
  return out;
}

function dedent(lines: string[]): string {
  const pad = Math.min(...lines.map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(pad)).join('\n');
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
  const cell = (c: string | PhrasingContent[]): TableCell => ({ type: 'tableCell', children: typeof c === 'string' ? [text(c)] : c });
  return {
    type: 'table', align: header.map(() => null),
    children: [header, ...rows].map((r) => ({ type: 'tableRow', children: r.map(cell) })),
  };
}

export function code(lang: string, value: string): Code {
  return { type: 'code', lang: lang || null, value };
}

/** Markdown text; table columns are padded by display width, so Japanese text aligns too. */
export function render(children: RootContent[]): string {
  const root: Root = { type: 'root', children };
  return toMarkdown(root, { extensions: [gfmToMarkdown({ stringLength: stringWidth })], bullet: '-', rule: '-' });
}
