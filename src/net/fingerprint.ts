import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatMessage, parseYamlWith, type LintMessage } from '../engine/load-flow.js';

/** Producers of error responses badgate can recognise; the table is flows/fingerprints.yml. */
export const PRODUCERS = [
  'alb', 'cloudfront', 'apigw', 'appgw', 'nginx', 'apache', 'haproxy', 'lighttpd', 'caddy', 'varnish', 'envoy', 'cloudflare',
] as const;
export type Producer = (typeof PRODUCERS)[number];
export type GatewayKind = Producer | 'unknown';

/** Flows badgate ships for a gateway kind; the other producers have none. */
export type FlowId = 'alb' | 'cloudfront' | 'apigw' | 'appgw' | 'nginx';
const FLOW_IDS = ['alb', 'cloudfront', 'apigw', 'appgw', 'nginx'] as const;

export interface ResponseSample {
  status?: number;
  /** Any case; values joined when repeated. */
  headers: Record<string, string | string[] | undefined>;
  body?: string;
}

export interface SeenProducer {
  kind: Producer;
  evidence: string[];
  /** own: one of its own markers matched; relayed: only the marks it leaves on what passes through. */
  role: 'own' | 'relayed';
}

export interface Fingerprint {
  /** Who made the response; unknown when nothing named a maker (it may still name relays). */
  kind: GatewayKind;
  flow?: FlowId;
  /** What matched for `kind`, e.g. `Server: awselb/2.0`. */
  evidence: string[];
  /** The maker's own stock error page matched, not just a header. */
  certain: boolean;
  /** The Server header as received (repeated ones joined). */
  server?: string;
  /** What the maker's table entry says to do when it made the response ({status} filled in). */
  made?: string;
  /** Other producers seen in the same response (a CDN in front, a proxy that relayed it). */
  alsoSeen: SeenProducer[];
}

const regex = z.string().min(1).superRefine((src, ctx) => {
  try {
    new RegExp(src, 'i');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regex: ${(err as Error).message}` });
  }
});

const MarkerSchema = z
  .object({
    header: z.string().regex(/^[a-z0-9-]+$/, 'header names are lower case').optional(),
    headerPrefix: z.string().regex(/^[a-z0-9-]+$/, 'header names are lower case').optional(),
    anyHeader: z.array(z.string().regex(/^[a-z0-9-]+$/, 'header names are lower case')).min(1).optional(),
    match: regex.optional(),
    body: regex.optional(),
    emptyBody: z.literal(true).optional(),
    status: z.array(z.number().int().min(100).max(599)).min(1).optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((m) => m.header || m.headerPrefix || m.anyHeader || m.body || m.emptyBody, 'a marker needs header, headerPrefix, anyHeader, body or emptyBody')
  .refine((m) => !m.match || m.header, 'match needs header (use body for the body)');

const ProducerSchema = z
  .object({
    id: z.enum(PRODUCERS),
    name: z.string().min(1),
    flow: z.enum(FLOW_IDS).optional(),
    statuses: z.array(z.number().int().min(100).max(599)).min(1),
    own: z.array(MarkerSchema).min(1),
    relayed: z.array(MarkerSchema).default([]),
    made: z.string().min(1),
    sources: z.array(z.string().min(1)).min(1),
  })
  .strict();

const TableSchema = z.object({ producers: z.array(ProducerSchema).min(1) }).strict();

export type Marker = z.infer<typeof MarkerSchema>;
export type ProducerEntry = z.infer<typeof ProducerSchema>;

/** Parses the fingerprint table; every problem comes back as file:line:col. */
export function parseFingerprintTable(text: string, file: string): { producers?: ProducerEntry[]; messages: LintMessage[] } {
  const { data, parsed, messages } = parseYamlWith(TableSchema, text, file);
  if (!data) return { messages };
  const out: LintMessage[] = [];
  const seen = new Set<string>();
  data.producers.forEach((p, i) => {
    if (seen.has(p.id)) out.push({ file, ...parsed.locate(['producers', i, 'id']), message: `duplicate producer "${p.id}"` });
    seen.add(p.id);
  });
  return { producers: data.producers, messages: out };
}

/** flows/ beside src/ (two levels up from src/net) or beside dist/ (one up from the bundle). */
function tableFile(): string {
  const candidates = ['../../flows/fingerprints.yml', '../flows/fingerprints.yml'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((f) => existsSync(f)) ?? candidates[0];
}

let table: ProducerEntry[] | undefined;

/** The shipped table, read and checked once; a broken table throws with file:line:col lines. */
export function fingerprintTable(): ProducerEntry[] {
  if (table) return table;
  const file = tableFile();
  const { producers, messages } = parseFingerprintTable(readFileSync(file, 'utf8'), file);
  if (!producers || messages.length) throw new Error(`the fingerprint table is invalid:\n${messages.map(formatMessage).join('\n')}`);
  table = producers;
  return table;
}

function lowerHeaders(headers: ResponseSample['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(', ') : v;
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

function snippet(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 120);
}

/** Evidence lines when every condition of the marker holds, else undefined. */
function matchMarker(m: Marker, h: Record<string, string>, body: string, status: number | undefined): string[] | undefined {
  const ev: string[] = [];
  if (m.status && (status === undefined || !m.status.includes(status))) return undefined;
  if (m.header) {
    const v = h[m.header];
    if (v === undefined) return undefined;
    if (m.match && !new RegExp(m.match, 'i').test(v)) return undefined;
    ev.push(`${m.header}: ${v}`);
  }
  if (m.headerPrefix) {
    const names = Object.keys(h).filter((n) => n.startsWith(m.headerPrefix ?? ''));
    if (!names.length) return undefined;
    ev.push(names.map((n) => `${n}: ${h[n]}`).join('; '));
  }
  if (m.anyHeader) {
    const names = m.anyHeader.filter((n) => h[n] !== undefined);
    if (!names.length) return undefined;
    ev.push(names.map((n) => `${n}: ${h[n]}`).join('; '));
  }
  if (m.body) {
    const found = new RegExp(m.body, 'im').exec(body);
    if (!found) return undefined;
    ev.unshift(`body: ${snippet(found[0])}`);
  }
  if (m.emptyBody) {
    const length = h['content-length'];
    if (body.trim() || (length !== undefined && length.trim() !== '0')) return undefined;
    ev.push('empty body');
  }
  return ev;
}

/**
 * Names the producer that made a response, with the lines that say so. Rank: 0 its own
 * stock page (a marker with a body condition), 1 a header only its own responses carry,
 * 2 a mark it leaves on what it relays. The lowest rank wins; ties go to the table order.
 */
export function fingerprint(sample: ResponseSample, producers: ProducerEntry[] = fingerprintTable()): Fingerprint {
  const h = lowerHeaders(sample.headers);
  const body = sample.body ?? '';
  const status = sample.status;
  const hits: { p: ProducerEntry; rank: number; evidence: string[] }[] = [];
  for (const p of producers) {
    let rank = 3;
    const evidence: string[] = [];
    const add = (lines: string[]) => { for (const l of lines) if (!evidence.includes(l)) evidence.push(l); };
    for (const m of p.own) {
      const ev = matchMarker(m, h, body, status);
      if (!ev) continue;
      const page = Boolean(m.body || m.emptyBody);
      // A header alone says "made by" only for codes the producer itself sends.
      const r = page ? 0 : status === undefined || p.statuses.includes(status) ? 1 : 2;
      rank = Math.min(rank, r);
      add(ev);
    }
    for (const m of p.relayed) {
      const ev = matchMarker(m, h, body, status);
      if (!ev) continue;
      rank = Math.min(rank, 2);
      add(ev);
    }
    if (rank < 3) hits.push({ p, rank, evidence });
  }
  const server = h.server;
  const maker = hits.filter((x) => x.rank < 2).sort((a, b) => a.rank - b.rank)[0];
  const alsoSeen: SeenProducer[] = hits
    .filter((x) => x !== maker)
    .map((x) => ({ kind: x.p.id, evidence: x.evidence, role: x.rank < 2 ? 'own' : 'relayed' }));
  if (!maker) return { kind: 'unknown', evidence: [], certain: false, server, alsoSeen };
  return {
    kind: maker.p.id,
    flow: maker.p.flow,
    evidence: maker.evidence,
    certain: maker.rank === 0,
    server,
    made: maker.p.made.replaceAll('{status}', status !== undefined ? String(status) : 'response'),
    alsoSeen,
  };
}

/** Display name of a producer, from the table. */
export function producerName(kind: Producer): string {
  return fingerprintTable().find((p) => p.id === kind)?.name ?? kind;
}

/**
 * Reads headers as a responder pastes them: `Name: value` lines, optionally with the
 * status line, curl -v `< ` prefixes, and a body after the first blank line.
 */
export function parsePastedResponse(text: string): { status?: number; headers: Record<string, string>; body?: string } {
  // curl -v: `< ` marks response lines; `> ` (request) and `* ` (curl notes) are not ours.
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((l) => !/^[>*] /.test(l))
    .map((l) => (/^<\s*$/.test(l) ? '' : l.replace(/^< (?=\S)/, '')));
  const headers: Record<string, string> = {};
  let status: number | undefined;
  let i = 0;
  while (i < lines.length && !lines[i].trim()) i++;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) break;
    const st = /^HTTP\/[\d.]+\s+(\d{3})\b/i.exec(line.trim());
    if (st) {
      status = Number(st[1]);
      continue;
    }
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const name = m[1].toLowerCase();
    headers[name] = headers[name] === undefined ? m[2] : `${headers[name]}, ${m[2]}`;
  }
  const rest = lines.slice(i + 1).join('\n');
  return { status, headers, body: rest.trim() ? rest : undefined };
}
