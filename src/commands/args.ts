import { parseArgs } from 'node:util';
import { BadgateError } from '../engine/errors.js';

/**
 * The command line, parsed with Node's own parseArgs: it loads in no time (a flag library
 * cost 40 ms at every start, most of the start-up budget), and every mistake becomes one
 * BadgateError with the flag the user probably meant.
 */
const FLAGS = {
  lb: 'string', url: 'string', profile: 'string', region: 'string', since: 'string', replay: 'string', record: 'string',
  answer: 'strings', json: 'boolean', report: 'string', redact: 'boolean', reevaluate: 'boolean', out: 'string',
  keepalive: 'boolean', count: 'number', 'idle-timeout': 'number', until: 'string', top: 'number', athena: 'boolean',
  facilitator: 'boolean', cause: 'string', session: 'string', 'keep-names': 'boolean', scale: 'number',
  'keepalive-timeout': 'number', duration: 'string', 'max-requests': 'number', help: 'boolean', version: 'boolean',
  'aws-timeout': 'number', with: 'string', 'no-limit': 'boolean', sni: 'string', 'ca-file': 'string', jobs: 'number',
  format: 'string',
  config: 'string', 'error-log': 'string', 'print-commands': 'boolean',
  subscription: 'string', 'resource-group': 'string', name: 'string', 'access-log': 'string',
  distribution: 'string',
  api: 'string', stage: 'string',
} as const;

type Kind = (typeof FLAGS)[keyof typeof FLAGS];
type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
type Value<K extends Kind> = K extends 'string' ? string : K extends 'strings' ? string[] : K extends 'number' ? number : boolean;
export type Flags = { -readonly [N in keyof typeof FLAGS as Camel<N & string>]?: Value<(typeof FLAGS)[N]> };

export interface CommandLine {
  command: string | undefined;
  args: string[];
  flags: Flags;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Edit distance, for "did you mean --lb?". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length];
}

export function closestFlag(given: string): string | undefined {
  const name = given.replace(/^-+/, '').split('=')[0];
  const [best] = Object.keys(FLAGS).map((f) => [f, distance(name, f)] as const).sort((x, y) => x[1] - y[1]);
  return best && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? `--${best[0]}` : undefined;
}

export function parseCommandLine(argv: string[]): CommandLine {
  const options = Object.fromEntries(Object.entries(FLAGS).map(([name, kind]) => [name, {
    type: kind === 'boolean' ? 'boolean' as const : 'string' as const,
    ...(kind === 'strings' ? { multiple: true } : {}),
    ...(name === 'help' ? { short: 'h' } : {}),
  }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const err = e as { code?: string; message: string };
    const flag = /'(-[^ ']+)/.exec(err.message)?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const near = closestFlag(flag);
      throw new BadgateError(`unknown flag ${flag}${near ? ` (did you mean ${near}?)` : ''}`, '`badgate --help` lists the flags');
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new BadgateError(`${flag.split(' ')[0]} needs a value`, `e.g. ${flag.split(' ')[0]} VALUE (see \`badgate --help\`)`);
    throw new BadgateError(err.message.split('.')[0], '`badgate --help` lists the flags');
  }
  const flags: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    const kind = FLAGS[name as keyof typeof FLAGS];
    if (kind === 'number') {
      const n = Number(value);
      if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) throw new BadgateError(`--${name} needs a number, not "${String(value)}"`, `e.g. --${name} 10`);
      flags[camel(name)] = n;
    } else {
      flags[camel(name)] = value;
    }
  }
  const [command, ...args] = parsed.positionals;
  return { command, args, flags: flags as Flags };
}
