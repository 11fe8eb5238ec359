/**
 * A small reader for nginx configuration: a plain nginx.conf, or the output of `nginx -T`,
 * which prints every file it loaded after a `# configuration file <path>:` line and leaves
 * the `include` directives in place. Includes are resolved against the files in the dump,
 * so the tree is the one nginx built. Pure: no file system, no dependencies.
 */

export interface Directive {
  name: string;
  args: string[];
  file: string;
  line: number;
  /** The block's directives, for `http { … }`, `server { … }`, `location … { … }`. */
  block?: Directive[];
}

export interface NginxConfigText {
  /** `nginx version: nginx/1.22.1` (from `nginx -v` or `nginx -V` pasted with the dump), if present. */
  version?: string;
  /** Every file of the dump, in order; one `(config)` entry for a plain config. */
  files: string[];
  directives: Directive[];
  /** Include patterns that matched no file of the dump (a plain config never has its includes). */
  unresolvedIncludes: { pattern: string; file: string; line: number }[];
  /** Syntax problems, each with file and line; what could be read is still returned. */
  problems: string[];
}

const HEADER = /^# configuration file (.+):$/;
const VERSION = /nginx version: (?:[\w-]+\/)?(\d+\.\d+\.\d+)/;
const PLAIN = '(config)';
/** What `nginx -t`/`-T` writes to stderr, which `2>&1` mixes into the dump. */
const NGINX_STDERR = /^nginx: (?:(?:the )?configuration file .* (?:syntax is ok|test is successful|test failed)|\[(?:emerg|alert|crit|error|warn|notice|info)\] .*)$/;

type Token = { kind: 'word'; text: string; line: number } | { kind: ';' | '{' | '}'; line: number };

/** Splits one file into words and the three punctuation marks, as ngx_conf_read_token does. */
function tokenize(text: string, file: string, problems: string[]): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';' || c === '{' || c === '}') { out.push({ kind: c, line }); i++; continue; }
    const start = line;
    let word = '';
    if (c === '"' || c === "'") {
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i];
        if (d === '\\' && i + 1 < text.length) {
          // nginx unescapes \" \' \\ \t \r \n inside quotes; other escapes stay as written.
          const e = text[i + 1];
          word += e === c || e === '\\' ? e : e === 't' ? '\t' : e === 'r' ? '\r' : e === 'n' ? '\n' : `\\${e}`;
          i += 2;
          continue;
        }
        if (d === c) { closed = true; i++; break; }
        if (d === '\n') line++;
        word += d;
        i++;
      }
      if (!closed) problems.push(`${file}:${start}: unterminated quote`);
      out.push({ kind: 'word', text: word, line: start });
      continue;
    }
    while (i < text.length) {
      const d = text[i];
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '{') break;
      // `}` ends a word only outside a `${var}`.
      if (d === '}' && !/\$\{[^}]*$/.test(word)) break;
      if (d === '\\' && i + 1 < text.length) { word += text.slice(i, i + 2); i += 2; continue; }
      word += d;
      i++;
    }
    out.push({ kind: 'word', text: word, line: start });
  }
  return out;
}

function parseTokens(tokens: Token[], file: string, problems: string[]): Directive[] {
  let i = 0;
  const block = (depth: number): Directive[] => {
    const list: Directive[] = [];
    let words: { text: string; line: number }[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t.kind === 'word') { words.push({ text: t.text, line: t.line }); continue; }
      if (t.kind === '}') {
        if (words.length) problems.push(`${file}:${words[0].line}: "${words[0].text}" is missing its ";"`);
        if (depth === 0) { problems.push(`${file}:${t.line}: unexpected "}"`); words = []; continue; }
        return list;
      }
      if (!words.length) {
        if (t.kind === '{') problems.push(`${file}:${t.line}: a block with no name`);
        continue;
      }
      const [name, ...args] = words;
      const d: Directive = { name: name.text, args: args.map((a) => a.text), file, line: name.line };
      words = [];
      if (t.kind === '{') d.block = block(depth + 1);
      list.push(d);
    }
    if (words.length) problems.push(`${file}:${words[0].line}: "${words[0].text}" is missing its ";"`);
    if (depth > 0) problems.push(`${file}: a block is not closed (missing "}")`);
    return list;
  };
  return block(0);
}

/** The files of a `nginx -T` dump, or the whole text as one plain config. */
function splitFiles(text: string): { name: string; body: string }[] {
  const lines = text.split('\n');
  const files: { name: string; lines: string[] }[] = [];
  let current: { name: string; lines: string[] } | undefined;
  for (const l of lines) {
    const h = HEADER.exec(l.replace(/\r$/, ''));
    if (h) {
      current = { name: h[1], lines: [] };
      files.push(current);
      continue;
    }
    if (current) current.lines.push(l);
  }
  if (!files.length) {
    // A plain config, perhaps with `nginx -v` or `nginx -t` lines pasted above it.
    return [{ name: PLAIN, body: lines.map((l) => (/^nginx version: /.test(l) || NGINX_STDERR.test(l) ? '' : l)).join('\n') }];
  }
  // -T ends each file with one extra newline; trailing `nginx:` lines (stderr mixed in) are not config.
  return files.map((f) => ({ name: f.name, body: f.lines.map((l) => (NGINX_STDERR.test(l) ? '' : l)).join('\n') }));
}

function dirname(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

/** A shell glob (as nginx passes to glob(3)) as a regular expression on full paths. */
function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Reads a config: `nginx -T` output (with its `# configuration file` headers) or a plain
 * nginx.conf. Includes are replaced by the directives of the files they name.
 */
export function parseNginxConfig(text: string): NginxConfigText {
  const problems: string[] = [];
  const version = VERSION.exec(text)?.[1];
  const files = splitFiles(text);
  const parsed = new Map(files.map((f) => [f.name, parseTokens(tokenize(f.body, f.name, problems), f.name, problems)]));
  const unresolvedIncludes: NginxConfigText['unresolvedIncludes'] = [];
  const main = files[0].name;
  // nginx resolves relative include paths against the directory of nginx.conf (its conf prefix).
  const base = main === PLAIN ? '' : dirname(main);
  const expand = (list: Directive[], seen: string[]): Directive[] => list.flatMap((d): Directive[] => {
    if (d.name === 'include' && d.args.length === 1 && !d.block) {
      const pattern = d.args[0].startsWith('/') || !base ? d.args[0] : `${base}/${d.args[0]}`;
      const re = globRegExp(pattern);
      const hits = files.map((f) => f.name).filter((n) => n !== PLAIN && re.test(n) && !seen.includes(n)).sort();
      // A glob that matches nothing is fine for nginx; only a plain path that is missing, or a plain config, leaves a gap.
      if (!hits.length) {
        if (main === PLAIN || !/[*?[]/.test(d.args[0])) unresolvedIncludes.push({ pattern: d.args[0], file: d.file, line: d.line });
        return [];
      }
      return hits.flatMap((h) => expand(parsed.get(h) ?? [], [...seen, h]));
    }
    return d.block ? [{ ...d, block: expand(d.block, seen) }] : [d];
  });
  const directives = expand(parsed.get(main) ?? [], [main]);
  return { ...(version ? { version } : {}), files: files.map((f) => f.name), directives, unresolvedIncludes, problems };
}

/** nginx time values: `60`, `60s`, `1m30s`, `500ms`, `1h` → seconds. */
export function nginxSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  let total = 0;
  let rest = v;
  while (rest.length) {
    const m = /^\s*(\d+)(ms|s|m|h|d|w|M|y)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}
