import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createReplayReader, type AwsReader, type Recording } from '../aws/index.js';
import { getCheck } from '../checks/registry.js';
import { runCheck, skippedForMissingParams } from '../checks/run-check.js';
import type { CheckResult } from '../engine/vocabulary.js';
import type { Scenario, ScenarioProbe } from '../engine/scenario.js';
import type { LogObject, LogObjectStore } from '../logs/log-object-store.js';
import type { CheckRunner } from '../run-context.js';

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
  reader?: AwsReader;
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

/**
 * Builds the world a trainee investigates: AWS answers from the recording, the access
 * logs in the LB's bucket, the nginx error log as a file, and probe results from recorded
 * evidence run through the checks' real evaluate. Nothing here touches the network.
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
  if (nginx.length) {
    const path = join(opts.dir, 'nginx-error.log');
    writeFileSync(path, `${nginx.join('\n')}\n`);
    files.push({ name: 'nginx-error.log', path, about: 'nginx error log copied from one target' });
  }

  let reader: AwsReader | undefined;
  if (scenario.aws) {
    const recording = scenario.aws as Recording;
    const replay = createReplayReader(recording);
    const lb = lbIdentity(recording);
    const objects = lb && access.length ? accessLogObjects(access, lb, recording.region) : new Map<string, Buffer>();
    reader = Object.assign(replay, {
      logObjectStore: (bucket: string) => memoryLogStore(bucket, bucket === lb?.bucket ? objects : new Map()),
    });
  }

  const runDrillCheck: CheckRunner = async (node, params, s, progress) => {
    const check = getCheck(node.run);
    if (!check) return { status: 'unknown', outcome: 'unknown', summary: `no check named ${node.run} in this badgate` };
    const skipped = skippedForMissingParams(check.meta, params);
    if (skipped) return skipped;
    const isProbe = check.meta.id.startsWith('net.') || check.meta.id.startsWith('local.');
    if (isProbe) {
      const probe = scenario.probes.find((p) => matches(p, check.meta.id, params));
      if (!probe) {
        return {
          status: 'unknown', outcome: 'unknown',
          summary: `no answer: in this drill, ${Object.entries(params).filter(([k, v]) => v && /url|target|host|port|name/i.test(k)).map(([, v]) => v).join(':') || 'that address'} gives nothing to ${check.meta.id}`,
          nextStep: 'check the address you gave against the briefing, or take the manual route',
        };
      }
      progress(check.meta.apis.join(', '));
      try {
        return { ...check.evaluate(structuredClone(probe.evidence), { params, facts: s.facts }), sources: [{ api: check.meta.apis[0] ?? check.meta.id, params, at: opts.now.toISOString() }] };
      } catch (e) {
        return { status: 'unknown', outcome: 'unknown', summary: `the drill's recorded ${check.meta.id} evidence could not be read: ${(e as Error).message}` };
      }
    }
    return runCheck(check, {
      params, facts: s.facts, aws: reader, signal: new AbortController().signal, progress,
      // Real time: the scenario's logs and metrics were moved so that its "now" is the drill's start.
      now: () => new Date(),
      // A drill never leaves the machine: a name the trainee types resolves to nothing further.
      resolveCname: async () => [],
    }, {});
  };

  return { reader, dir: opts.dir, files, shiftMs, runCheck: runDrillCheck };
}

/** Results the environment gives are deterministic, so searches may reuse them. */
export function memoRunner(run: CheckRunner): CheckRunner {
  const cache = new Map<string, Promise<CheckResult>>();
  return (node, params, s, progress) => {
    // Evaluate reads facts too, so the same parameters with other facts may give another result.
    const key = `${node.run}|${JSON.stringify(params)}|${JSON.stringify(s.facts)}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = run(node, params, s, progress);
      cache.set(key, hit);
    }
    return hit.then((r) => structuredClone(r));
  };
}
