import { existsSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { stringify } from 'yaml';
import { anonymiseRecording, loadRecording, type Recording } from '../aws/recorded.js';
import type { Scenario } from '../engine/scenario.js';
import { replay } from '../engine/session.js';
import { formatMessage } from '../engine/load-flow.js';
import { loadCatalog } from '../flow-files.js';
import { findSession, readJournal, sessionsDir } from '../sessions/journal.js';
import type { Io } from './io.js';
import { BadgateError } from '../engine/errors.js';
import { lintScenarioFile } from '../drills/scenarios.js';

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|0\.|255\.)/;

/**
 * Names and public addresses that identify the company, mapped to stand-ins. The same
 * mapping is applied to every string, so what checks ask and what the recording answers
 * still match on replay. Private addresses stay: the network checks compute CIDR
 * containment on them, and they say nothing outside the VPC.
 */
export function redactionMap(rec: Recording): Map<string, string> {
  const map = new Map<string, string>();
  const add = (from: string | undefined, to: string) => { if (from && from.length > 2 && !map.has(from)) map.set(from, to); };
  for (const call of rec.calls) {
    const results = Array.isArray(call.result) ? call.result : [call.result];
    for (const r of results) {
      if (!r || typeof r !== 'object') continue;
      const o = r as Record<string, unknown>;
      if (call.method === 'describeLoadBalancers') {
        const i = [...map.values()].filter((v) => v.startsWith('lb-')).length + 1;
        add(o.dnsName as string, `lb-${i}-0123456789.${rec.region}.elb.amazonaws.com`);
        add(o.name as string, `lb-${i}`);
      }
      if (call.method === 'describeTargetGroups') add(o.name as string, `tg-${[...map.values()].filter((v) => v.startsWith('tg-')).length + 1}`);
    }
  }
  let n = 0;
  const text = JSON.stringify(rec);
  for (const ip of new Set(text.match(IPV4) ?? [])) if (!PRIVATE.test(ip)) add(ip, `203.0.113.${++n % 250}`);
  return map;
}

export function applyMap(text: string, map: ReadonlyMap<string, string>): string {
  // Longest first, so "shop-alb-logs" is not half-replaced by "shop".
  const keys = [...map.keys()].sort((a, b) => b.length - a.length);
  if (!keys.length) return text;
  const re = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return text.replace(re, (m) => map.get(m) ?? m);
}

export interface ImportFlags {
  cause?: string;
  session?: string;
  out?: string;
  /** Keep account ids, addresses and names as recorded (masked by default). */
  keepNames?: boolean;
}

/** `badgate drill import FILE --cause ID`: a recorded incident becomes a drill scenario. */
export async function importCommand(file: string | undefined, flags: ImportFlags, io: Io): Promise<number> {
  const usage = '`badgate drill import rec.json --cause keepalive-race [--session ID] [--out drill.yaml]` (record with `badgate run alb --record rec.json`)';
  if (!file) throw new BadgateError('which recording?', usage);
  const catalog = loadCatalog();
  if (!flags.cause) throw new BadgateError('--cause is required: the root cause the drill hides', `one of: ${catalog.causes.map((c) => c.id).join(', ')}`);
  if (!catalog.causes.some((c) => c.id === flags.cause)) throw new BadgateError(`unknown cause "${flags.cause}"`, `one of: ${catalog.causes.map((c) => c.id).join(', ')}`);
  let rec: Recording;
  try {
    rec = await loadRecording(file);
  } catch (e) {
    throw new BadgateError(`cannot read ${file}: ${(e as Error).message}`, usage);
  }
  let answers: Record<string, string> = {};
  let title = `Incident recorded ${rec.recordedAt.slice(0, 10)}`;
  let briefing = 'Edit this: what the pager said, the service and its URL, when it started, what changed.';
  if (flags.session) {
    try {
      const s = replay(readJournal(findSession(sessionsDir(), flags.session).path).events);
      answers = Object.fromEntries(s.answers.map((a) => [a.node, a.value]));
      if (typeof s.facts['incident.title'] === 'string') title = s.facts['incident.title'];
      const url = s.facts['incident.url'];
      briefing = [`The pager: ${title}.`, url ? `The service: ${url}` : '', s.facts['incident.startedAt'] ? `It started around ${s.facts['incident.startedAt']}.` : ''].filter(Boolean).join('\n');
    } catch (e) {
      throw new BadgateError((e as Error).message, '`badgate sessions` lists the sessions');
    }
  }
  const redact = !flags.keepNames;
  const map = redact ? redactionMap(rec) : new Map<string, string>();
  const recording = redact ? anonymiseRecording(rec) : rec;
  const id = flags.out ? basename(flags.out).replace(/\.ya?ml$/, '') : `imported-${rec.recordedAt.slice(0, 10)}-${flags.cause}`;
  const scenario: Scenario = {
    id, title, difficulty: 'medium', trains: 'a real incident from this team, replayed', flow: 'alb', briefing,
    causes: [flags.cause],
    facilitator: 'Edit this: the story of the real incident, what the responders missed at first, the hints to give, the fix.',
    clock: new Date(Date.parse(rec.recordedAt)).toISOString().replace(/\.\d+Z$/, 'Z'),
    answers, logs: {}, probes: [],
    aws: recording as Scenario['aws'],
  };
  const text = applyMap(stringify(scenario, { lineWidth: 0 }), map);
  const out = resolve(flags.out ?? `${id}.yaml`);
  if (existsSync(out)) throw new BadgateError(`${out} already exists`, 'pass another --out, or remove it');
  try {
    writeFileSync(out, `# Made by \`badgate drill import\`${redact ? '; account ids, public addresses and LB/target group names are replaced' : ''}.\n${text}`);
  } catch (e) {
    throw new BadgateError(`cannot write ${out} (${(e as NodeJS.ErrnoException).code})`, 'pass --out with a writable path');
  }
  io.out(`Wrote ${out}${redact ? ` (${map.size} names and addresses replaced, account ids masked)` : ''}`);
  const problems = await lintScenarioFile(out, catalog);
  for (const p of problems) io.err(formatMessage(p));
  io.err(problems.length
    ? 'next: add answers, logs or probes until the answer can be reached, then `badgate flows lint` it'
    : `next: edit the briefing and the facilitator notes, then \`badgate drill ${out}\``);
  return 0;
}
