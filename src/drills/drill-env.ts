import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { replayEnv } from '../checks/env.js';
import { AZURE_PORT } from '../azure/port-spec.js';
import { replayPort } from '../ports/recording.js';
import { isInside, liveFiles, type LogReadRequest } from '../checks/files-port.js';
import { createCheckRunner } from '../checks/runner.js';
import type { CheckEnv } from '../checks/types.js';
import type { CheckRunner } from '../engine/advance.js';
import type { Scenario, ScenarioProbe } from '../engine/scenario.js';
import type { LogObject, LogObjectStore } from '../logs/log-object-store.js';
import type { Recording } from '../ports/recording.js';

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;
const NGINX_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Keeps the text's own precision (ALB logs carry microseconds) while moving the instant. */
function shiftIso(text: string, ms: number): string {
  const t = Date.parse(text);
  const fraction = /\.(\d+)Z$/.exec(text)?.[1];
  const moved = new Date(t + ms).toISOString().slice(0, 19);
  if (!fraction) return `${moved}Z`;
  const movedMs = new Date(t + ms).getUTCMilliseconds();
  return `${moved}.${(pad(movedMs, 3) + fraction.slice(3)).slice(0, fraction.length)}Z`;
}

/** Moves every timestamp in a log line by `ms`, so a recorded incident happens "just now". */
export function shiftLogLine(line: string, ms: number): string {
  const nginx = NGINX_TIME.exec(line);
  if (nginx) {
    const [, y, mo, d, h, mi, s] = nginx.map(Number);
    const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s) + ms);
    const stamp = `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
    return stamp + line.slice(nginx[0].length);
  }
  // X-Amzn-Trace-Id carries its own epoch seconds (Root=1-5e1b4151-…); moved too, so ids and times agree.
  return line.replace(ISO_TIME, (m) => shiftIso(m, ms))
    .replace(/(Root=1-)([0-9a-f]{8})(-)/g, (_m, a: string, hex: string, b: string) => `${a}${(parseInt(hex, 16) + Math.round(ms / 1000)).toString(16).padStart(8, '0')}${b}`);
}

interface LbIdentity {
  account: string;
  name: string;
  id: string;
  bucket?: string;
  prefix?: string;
}

/** The LB and its access-log bucket, read from the recording the way the checks would. */
function lbIdentity(rec: Recording | undefined): LbIdentity | undefined {
  if (!rec) return undefined;
  for (const call of rec.calls) {
    if (call.method !== 'describeLoadBalancers' || !Array.isArray(call.result)) continue;
    const arn = (call.result[0] as { arn?: string } | undefined)?.arn;
    const m = arn ? /^arn:aws[\w-]*:elasticloadbalancing:[\w-]+:(\d{12}):loadbalancer\/app\/([^/]+)\/([^/]+)$/.exec(arn) : null;
    if (!m) continue;
    const attrs = rec.calls.find((c) => c.method === 'describeLoadBalancerAttributes')?.result as Record<string, string> | undefined;
    return { account: m[1], name: m[2], id: m[3], bucket: attrs?.['access_logs.s3.bucket'] || undefined, prefix: attrs?.['access_logs.s3.prefix'] || undefined };
  }
  return undefined;
}

const FIVE_MIN = 5 * 60_000;

/** ELB-style object keys: one file per node and 5-minute interval, as ELB writes them. */
export function accessLogObjects(lines: string[], lb: LbIdentity, region: string): Map<string, Buffer> {
  const byEnd = new Map<number, string[]>();
  for (const line of lines) {
    const t = Date.parse(/\b\d{4}-\d{2}-\d{2}T[\d:.]+Z/.exec(line)?.[0] ?? '');
    const end = Number.isNaN(t) ? 0 : Math.floor(t / FIVE_MIN) * FIVE_MIN + FIVE_MIN;
    byEnd.set(end, [...(byEnd.get(end) ?? []), line]);
  }
  const out = new Map<string, Buffer>();
  const base = lb.prefix ? `${lb.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  for (const [end, chunk] of byEnd) {
    const d = new Date(end);
    const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
    const key = `${base}AWSLogs/${lb.account}/elasticloadbalancing/${region}/${day}/${lb.account}_elasticloadbalancing_${region}_app.${lb.name}.${lb.id}_${stamp}_10.0.1.17_drill${out.size}.log.gz`;
    out.set(key, gzipSync(`${chunk.join('\n')}\n`));
  }
  return out;
}

/** An S3 bucket held in memory: what the access-log check lists and reads in a drill. */
export function memoryLogStore(bucket: string, objects: ReadonlyMap<string, Buffer>): LogObjectStore {
  return {
    bucket,
    async *list(prefix: string): AsyncIterable<LogObject> {
      for (const [key, body] of [...objects].sort(([a], [b]) => a.localeCompare(b))) if (key.startsWith(prefix)) yield { key, size: body.length };
    },
    async listPrefixes(prefix: string): Promise<string[]> {
      const next = new Set<string>();
      for (const key of objects.keys()) {
        if (!key.startsWith(prefix)) continue;
        const rest = key.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash >= 0) next.add(`${prefix}${rest.slice(0, slash + 1)}`);
      }
      return [...next].sort();
    },
    async get(key: string) {
      const body = objects.get(key);
      if (!body) throw Object.assign(new Error(`The specified key does not exist: ${key}`), { name: 'NoSuchKey' });
      return Readable.from([body]);
    },
  };
}

export interface DrillEnv {
  /** The world the trainee investigates, behind the same ports as a live run. */
  env: CheckEnv;
  /** Where the scenario's files were written (the trainee may open them too). */
  dir: string;
  files: { name: string; path: string; about: string }[];
  /** How far the scenario's times were moved to make its "now" the drill's start. */
  shiftMs: number;
  runCheck: CheckRunner;
}

function matches(p: ScenarioProbe, check: string, params: Record<string, string>): boolean {
  return p.check === check && Object.entries(p.when ?? {}).every(([k, v]) => (params[k] ?? '').includes(v));
}

/** A call the drill's world has no answer for: the check is unknown, with what to do instead. */
export class NotInDrillError extends Error {
  override readonly name = 'NotInDrillError';
  readonly nextStep = 'check the address you gave against the briefing, or take the manual route';
}

function whatWasAsked(args: unknown[]): string {
  const o = (args[0] ?? {}) as { target?: { display?: string }; host?: string; port?: number; name?: string; source?: string };
  if (typeof args[0] === 'string') return args[0];
  return o.target?.display ?? o.source ?? ([o.host ?? o.name, o.port].filter(Boolean).join(':') || 'that address');
}

/**
 * Builds the world a trainee investigates: AWS answers from the recording, the access
 * logs in the LB's bucket, the nginx error log as a file, probe results from recorded
 * evidence run through the checks' real evaluate. It is a replay of a recorded environment
 * through the one check runner; nothing here touches the network or files outside the drill.
 */
export function createDrillEnv(scenario: Scenario, opts: { dir: string; now: Date }): DrillEnv {
  const shiftMs = opts.now.getTime() - Date.parse(scenario.clock);
  mkdirSync(opts.dir, { recursive: true });
  const files: DrillEnv['files'] = [];
  const access = (scenario.logs.access ?? []).map((l) => shiftLogLine(l, shiftMs));
  const nginx = (scenario.logs.nginxError ?? []).map((l) => shiftLogLine(l, shiftMs));
  if (access.length) {
    const path = join(opts.dir, 'alb-access.log');
    writeFileSync(path, `${access.join('\n')}\n`);
    files.push({ name: 'alb-access.log', path, about: 'ALB access log lines for the last hour (also in the LB\'s access-log bucket)' });
  }
  if (scenario.config?.nginx) {
    const path = join(opts.dir, 'nginx-T.txt');
    writeFileSync(path, scenario.config.nginx);
    files.push({ name: 'nginx-T.txt', path, about: 'output of `nginx -v; nginx -T` on the proxy: its version and every config file it loaded' });
  }
  if (nginx.length) {
    const path = join(opts.dir, 'nginx-error.log');
    writeFileSync(path, `${nginx.join('\n')}\n`);
    files.push({ name: 'nginx-error.log', path, about: 'nginx error log copied from one target' });
  }

  const appgw = (scenario.logs.appgwAccess ?? []).map((l) => shiftLogLine(l, shiftMs));
  if (appgw.length) {
    const path = join(opts.dir, 'appgw-access.json');
    writeFileSync(path, `${appgw.join('\n')}\n`);
    files.push({ name: 'appgw-access.json', path, about: 'App Gateway access log (ApplicationGatewayAccessLog, JSON lines) exported from diagnostics' });
  }

  const recording = (scenario.aws ?? { version: 1, region: 'us-east-1', recordedAt: scenario.clock, calls: [] }) as Recording;
  const lb = lbIdentity(scenario.aws as Recording | undefined);
  const objects = lb && access.length ? accessLogObjects(access, lb, recording.region) : new Map<string, Buffer>();
  const openStore = (bucket: string) => memoryLogStore(bucket, bucket === lb?.bucket ? objects : new Map());
  const refuse = async (method: string, args: unknown[]): Promise<never> => {
    throw new NotInDrillError(`no answer: in this drill, ${whatWasAsked(args)} gives nothing to probe:${method}`);
  };
  // The drill's own files are real files; a path outside the drill is not part of its world.
  const drillFiles = liveFiles(() => openStore);
  const filesMiss = async (method: string, args: unknown[]): Promise<unknown> => {
    if (method === 'readText' && isInside(opts.dir, String(args[0]))) return drillFiles.readText(String(args[0]));
    const req = args[0] as LogReadRequest;
    if (method === 'readLogs' && (req.source.startsWith('s3://') || req.source === '' || isInside(opts.dir, req.source.replace(/[*?[].*$/, '')))) return drillFiles.readLogs(req);
    return refuse(method, args);
  };
  const replayed = replayEnv(recording, {
    miss: {
      net: refuse,
      // A drill never leaves the machine: a name the trainee types resolves to nothing further.
      dns: async (method, args) => (method === 'cname' ? [] : refuse(method, args)),
      files: filesMiss,
    },
    // Real time: the scenario's logs and metrics were moved so that its "now" is the drill's start.
    clock: { now: () => new Date() },
  });
  const base: CheckEnv = scenario.aws ? { ...replayed, aws: Object.assign(replayed.aws ?? {}, { logObjectStore: openStore }) as CheckEnv['aws'] } : { ...replayed, aws: undefined };
  // An App Gateway drill answers its Azure reads from the scenario, as an AWS one does from its recording.
  const env: CheckEnv = scenario.azure
    ? { ...base, azure: Object.assign(replayPort(AZURE_PORT, { calls: scenario.azure.calls.map((c) => ({ ...c, port: 'azure' })) as Recording['calls'] }), { subscription: scenario.azure.subscription }) }
    : base;
  const runCheck = createCheckRunner({
    env,
    knownEvidence: (check, params) => scenario.probes.find((p) => matches(p, check, params))?.evidence,
  });
  return { env, dir: opts.dir, files, shiftMs, runCheck };
}
