// Records the AWS side of the drill scenarios in flows/drills/ from moto, into each file's
// `aws:` key (the rest of the file, comments included, stays as written):
//   node --import tsx scripts/record-drills.ts [scenario-id …]
//
// Per scenario: a fresh moto state with a fixed random seed (so ids, ARNs and therefore the
// ids quoted in the hand-written access logs stay the same on every run), the ALB set up by
// seedAlb, CloudWatch metrics derived from the scenario's own access-log lines (so the
// metrics and the logs tell the same story) plus what logs cannot show (connection and TLS
// errors, healthy/unhealthy host counts), then the AWS checks through a recording reader,
// with and without the load balancer's name, exactly as scripts/record-example.ts does.
// The recording is stamped with the scenario's clock, so re-running changes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { isSeq, parseDocument } from 'yaml';
import { anonymiseRecording, compactRecording, createRecordingReader, newRecording, type Recording } from '../src/aws/recorded.js';
import { lbDimension, tgDimension } from '../src/checks/elbv2-common.js';
import { parseAccessLine } from '../src/logs/access-record.js';
import type { AccessRecord } from '../src/logs/types.js';
import { newAccount, startMoto, type MotoAccount, type MotoServer } from '../test/helpers/moto-server.js';
import { CHECK_ORDER, runAwsChecks } from '../test/helpers/moto-check-run.js';
import { seedAlb, type SeedAlbConfig, type SeededAlb } from '../test/helpers/seed-alb.js';

const DRILLS_DIR = join(import.meta.dirname, '../flows/drills');
const ACCOUNT = '123456789012';
const MINUTES = 60;

type Series = Record<string, number[]>;

interface DrillAws {
  /** What the recording shows, for its `note`. */
  note: string;
  seed: SeedAlbConfig;
  /** Metrics a log line adds besides request and status counts (e.g. TargetConnectionErrorCount). */
  perLine?: (r: AccessRecord) => string[];
  /** Further per-minute series over the hour before the clock (60 points, oldest first), LB level. */
  lbMetrics?: Series;
  /** The same for the first target group (TargetGroup + LoadBalancer dimensions). */
  tgMetrics?: Series;
  /** Check params, as the flow would pass them. */
  params?: Record<string, Record<string, string>>;
  /** Creation time of the load balancer shown in DescribeLoadBalancers. */
  lbCreatedAt: string;
  /** Targets the access log names that have left the group since (replaced instances). */
  retiredTargets?: string[];
}

/** A step series: `before` until minute `at` (0 = an hour before the clock), then `after`. */
const step = (at: number, before: number, after: number): number[] => Array.from({ length: MINUTES }, (_, i) => (i < at ? before : after));
const flat = (v: number): number[] => step(0, v, v);
/** search: every request after the listener switch at minute 56 is an ALB-made 502. */
const afterSwitch = Array.from({ length: MINUTES }, (_, i) => (i < 56 ? 0 : i === 56 ? 21 : 41 + (i % 3)));
const lbMade5xx = (r: AccessRecord): boolean => r.targetStatusCode === null && (r.elbStatusCode ?? 0) >= 500;

const DRILLS: Record<string, DrillAws> = {
  'shop-sporadic-502': {
    note: 'Three healthy Node.js (Express) targets on :3000 behind an HTTPS listener, ALB idle timeout 60 s; a low trickle of ALB-made 502s and no connection errors.',
    seed: {
      name: 'shop', privateIps: ['10.0.21.37', '10.0.38.112', '10.0.24.201'], port: 3000,
      https: { domain: 'shop.example.com' },
      healthCheck: { path: '/health', matcher: '200' },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-shop-alb-logs', 'access_logs.s3.prefix': 'prod', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '30' },
    },
    tgMetrics: { HealthyHostCount: flat(3), UnHealthyHostCount: flat(0) },
    lbCreatedAt: '2025-06-02T08:14:51.000Z',
  },
  'orders-api-gateway-errors': {
    note: 'A security-group change replaced the ALB → app rule on :8080 with a VPN-only rule: health checks time out, both targets unhealthy, the ALB fails open and its connection attempts time out (504).',
    seed: {
      name: 'orders', privateIps: ['10.0.19.84', '10.0.41.9'], port: 8080, allowLbToTarget: false,
      extraAppIngress: [{ port: 8080, cidr: '10.0.100.0/22', description: 'orders-api from the VPN (CHG-2231)' }],
      https: { domain: 'api.example.com' },
      healthCheck: { path: '/healthz', matcher: '200' },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-orders-alb-logs', 'access_logs.s3.prefix': 'orders-api', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '60' },
      health: { 0: 'unhealthy|Target.Timeout|Request timed out', 1: 'unhealthy|Target.Timeout|Request timed out' },
    },
    perLine: (r) => (lbMade5xx(r) && r.target !== '-' ? ['TargetConnectionErrorCount'] : []),
    tgMetrics: { HealthyHostCount: step(23, 2, 0), UnHealthyHostCount: step(23, 0, 2) },
    lbCreatedAt: '2024-09-17T13:02:40.000Z',
  },
  'inventory-total-outage': {
    note: 'Three FastAPI targets on :8000 whose new start command binds 127.0.0.1 only: the ALB is refused (RST), every target fails its health checks, and every request is an ALB-made 502.',
    seed: {
      name: 'inventory', privateIps: ['10.0.22.15', '10.0.35.60', '10.0.27.140'], port: 8000,
      https: { domain: 'inventory.example.com' },
      healthCheck: { path: '/healthz', matcher: '200' },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-inventory-alb-logs', 'access_logs.s3.prefix': 'inventory', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '60' },
      health: { 0: 'unhealthy|Target.FailedHealthChecks|Health checks failed', 1: 'unhealthy|Target.FailedHealthChecks|Health checks failed', 2: 'unhealthy|Target.FailedHealthChecks|Health checks failed' },
    },
    perLine: (r) => (lbMade5xx(r) && r.target !== '-' ? ['TargetConnectionErrorCount'] : []),
    tgMetrics: { HealthyHostCount: step(34, 3, 0), UnHealthyHostCount: step(34, 0, 3) },
    lbCreatedAt: '2025-02-11T16:40:09.000Z',
  },
  'billing-intermittent-502': {
    note: 'nginx + Django targets on :80 whose /health now answers 301 (trailing-slash redirect): two unhealthy with Target.ResponseCodeMismatch, one replacement still registering; the Auto Scaling group keeps replacing them.',
    seed: {
      name: 'billing', privateIps: ['10.0.17.23', '10.0.33.180', '10.0.29.77'], port: 80,
      https: { domain: 'billing.example.com' },
      healthCheck: { path: '/health', matcher: '200' },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-billing-alb-logs', 'access_logs.s3.prefix': 'billing', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '300' },
      health: {
        0: 'unhealthy|Target.ResponseCodeMismatch|Health checks failed with these codes: [301]',
        1: 'unhealthy|Target.ResponseCodeMismatch|Health checks failed with these codes: [301]',
        2: 'initial|Elb.RegistrationInProgress|Target registration is in progress',
      },
    },
    // Unhealthy from 10:05; during each wave of replacements the new instances are still registering.
    tgMetrics: { HealthyHostCount: step(25, 3, 0), UnHealthyHostCount: Array.from({ length: MINUTES }, (_, i) => (i < 25 ? 0 : [29, 36, 43, 51].includes(i) ? 0 : i >= 58 ? 2 : 3)) },
    retiredTargets: ['10.0.20.11', '10.0.36.142', '10.0.25.90', '10.0.18.77', '10.0.41.203', '10.0.27.14', '10.0.22.190', '10.0.37.66', '10.0.31.5', '10.0.19.144', '10.0.44.28', '10.0.24.99', '10.0.26.51'].map((ip) => `${ip}:80`),
    lbCreatedAt: '2024-04-23T09:51:33.000Z',
  },
  'search-502-after-release': {
    note: 'The listener was switched to a new target group (search-green) whose three targets have not passed a health check yet (initial); access logs are off.',
    seed: {
      name: 'search', tgName: 'search-green', privateIps: ['10.0.23.90', '10.0.40.14', '10.0.30.201'], port: 8080,
      https: { domain: 'search.example.com' },
      healthCheck: { path: '/ready', matcher: '200', intervalSeconds: 30, timeoutSeconds: 5 },
      healthCheckExtra: { healthyThreshold: 10, unhealthyThreshold: 2 },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'false', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '120' },
      health: {
        0: 'initial|Elb.InitialHealthChecking|Initial health checks in progress',
        1: 'initial|Elb.InitialHealthChecking|Initial health checks in progress',
        2: 'initial|Elb.RegistrationInProgress|Target registration is in progress',
      },
    },
    // No access logs: the hour comes from the metrics alone. The switch was at 09:30:30 (minute 56).
    lbMetrics: {
      RequestCount: Array.from({ length: MINUTES }, (_, i) => 38 + ((i * 7) % 9)),
      HTTPCode_Target_2XX_Count: Array.from({ length: MINUTES }, (_, i) => (i < 56 ? 37 + ((i * 7) % 9) : i === 56 ? 20 : 0)),
      HTTPCode_ELB_502_Count: afterSwitch,
      HTTPCode_ELB_5XX_Count: afterSwitch,
    },
    tgMetrics: { RequestCount: afterSwitch, HealthyHostCount: flat(0), UnHealthyHostCount: flat(0) },
    lbCreatedAt: '2023-11-08T10:27:14.000Z',
  },
  'catalog-502-during-deploys': {
    note: 'A deploy is replacing the catalog targets (Fastify on :8080): the two old ones are draining, four new ones are healthy; deregistration delay 300 s.',
    seed: {
      name: 'catalog', privateIps: ['10.0.20.45', '10.0.36.7', '10.0.26.118', '10.0.45.66', '10.0.18.250', '10.0.39.31'], port: 8080,
      https: { domain: 'catalog.example.com' },
      healthCheck: { path: '/health', matcher: '200', intervalSeconds: 10 },
      healthCheckExtra: { healthyThreshold: 3 },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-catalog-alb-logs', 'access_logs.s3.prefix': 'catalog', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '300' },
      health: {
        0: 'draining|Target.DeregistrationInProgress|Target deregistration is in progress',
        1: 'draining|Target.DeregistrationInProgress|Target deregistration is in progress',
      },
    },
    // 4 healthy; the first new pair joins at 03:05 (minute 50), the first old pair leaves at 03:07,
    // the second new pair joins at 03:11, the second old pair starts draining at 03:13.
    tgMetrics: {
      HealthyHostCount: Array.from({ length: MINUTES }, (_, i) => ((i >= 50 && i < 52) || (i >= 56 && i < 58) ? 6 : 4)),
      UnHealthyHostCount: flat(0),
    },
    retiredTargets: ['10.0.25.12:8080', '10.0.42.99:8080'],
    lbCreatedAt: '2024-01-30T11:05:47.000Z',
  },
  'payments-api-502': {
    note: 'An HTTPS target group on :8443 (health checks over HTTP on :8081 stay green) whose targets now speak plain HTTP on :8443: every TLS handshake from the ALB fails.',
    seed: {
      name: 'payments', privateIps: ['10.0.28.61', '10.0.43.120'], port: 8443, tgProtocol: 'HTTPS',
      https: { domain: 'payments.example.com' },
      healthCheck: { path: '/healthz', matcher: '200' },
      healthCheckExtra: { protocol: 'HTTP', port: '8081' },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-payments-alb-logs', 'access_logs.s3.prefix': 'payments', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '60' },
    },
    perLine: (r) => (lbMade5xx(r) && r.target !== '-' ? ['TargetTLSNegotiationErrorCount'] : []),
    tgMetrics: { HealthyHostCount: flat(2), UnHealthyHostCount: flat(0) },
    lbCreatedAt: '2024-06-19T07:33:02.000Z',
  },
  'portal-502-errors': {
    note: 'Three healthy nginx targets on :80 (the health check is answered by nginx itself); on one of them the app behind nginx is down, so that target answers 502 itself.',
    seed: {
      name: 'portal', privateIps: ['10.0.19.200', '10.0.34.17', '10.0.30.88'], port: 80,
      https: { domain: 'portal.example.com' },
      healthCheck: { path: '/nginx-health', matcher: '200' },
      lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': 'example-portal-alb-logs', 'access_logs.s3.prefix': 'portal', 'routing.http.desync_mitigation_mode': 'defensive' },
      tgAttributes: { 'deregistration_delay.timeout_seconds': '60' },
    },
    tgMetrics: { HealthyHostCount: flat(3), UnHealthyHostCount: flat(0) },
    lbCreatedAt: '2025-08-05T12:20:18.000Z',
  },
};

/** Stable small number per scenario id, for moto's random seed. */
function seedFor(id: string): number {
  let h = 7;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h;
}

/** Per-minute counts from the access log: what CloudWatch would hold for the same hour. */
function metricsFromLogs(lines: string[], clock: Date, drill: DrillAws): { lb: Series; tg: Series; problems: string[] } {
  const start = clock.getTime() - MINUTES * 60_000;
  const lb: Series = {};
  const tg: Series = {};
  const problems: string[] = [];
  const add = (s: Series, name: string, minute: number) => {
    (s[name] ??= new Array<number>(MINUTES).fill(0))[minute]++;
  };
  lines.forEach((line, i) => {
    const parsed = parseAccessLine(line);
    if (!parsed.ok) {
      problems.push(`logs.access[${i}]: ${parsed.reason}`);
      return;
    }
    const r = parsed.record;
    const minute = Math.floor((Date.parse(r.time) - start) / 60_000);
    if (minute < 0 || minute >= MINUTES) {
      problems.push(`logs.access[${i}]: ${r.time} is outside the hour before the clock`);
      return;
    }
    const names: string[] = [];
    // RequestCount counts requests for which a target was chosen.
    if (r.target !== '-') names.push('RequestCount');
    if (r.targetStatusCode !== null) names.push(`HTTPCode_Target_${String(r.targetStatusCode)[0]}XX_Count`);
    else if (r.elbStatusCode !== null && r.elbStatusCode >= 400) {
      names.push(`HTTPCode_ELB_${String(r.elbStatusCode)[0]}XX_Count`);
      if ([500, 502, 503, 504].includes(r.elbStatusCode)) names.push(`HTTPCode_ELB_${r.elbStatusCode}_Count`);
    }
    names.push(...(drill.perLine?.(r) ?? []));
    for (const n of names) {
      add(lb, n, minute);
      // ELB-generated codes exist per load balancer (and AZ) only, not per target group.
      if (!n.startsWith('HTTPCode_ELB_')) add(tg, n, minute);
    }
  });
  return { lb, tg, problems };
}

function merge(a: Series, b: Series = {}): Series {
  const out: Series = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [...v]]));
  for (const [k, v] of Object.entries(b)) {
    const base = out[k] ?? new Array<number>(MINUTES).fill(0);
    out[k] = base.map((x, i) => x + (v[i] ?? 0));
  }
  return out;
}

/** Count metrics are only published for minutes with a non-zero value; host counts every minute. */
async function putMetrics(account: MotoAccount, dims: Record<string, string>, series: Series, clock: Date): Promise<void> {
  // The SDK gzips large PutMetricData bodies and moto 5.2 fails to read them back (HTTP 500).
  const cw = new CloudWatchClient({ ...account.clientConfig, disableRequestCompression: true });
  const start = clock.getTime() - MINUTES * 60_000;
  const data: MetricDatum[] = [];
  for (const [MetricName, values] of Object.entries(series)) {
    const gauge = /HostCount$/.test(MetricName);
    values.forEach((Value, i) => {
      if (!gauge && Value === 0) return;
      data.push({ MetricName, Value, Unit: 'Count', Timestamp: new Date(start + i * 60_000), Dimensions: Object.entries(dims).map(([Name, V]) => ({ Name, Value: V })) });
    });
  }
  for (let i = 0; i < data.length; i += 500) {
    await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data.slice(i, i + 500) }));
  }
}

/** Ten digits from the id, for a DNS name shaped like a real ALB's (`name-1234567890.region.elb…`). */
function dnsDigits(id: string): string {
  let h = 1_000_000_007;
  for (const c of id) h = (h * 131 + c.charCodeAt(0)) % 9_000_000_000;
  return String(1_000_000_000 + h).slice(0, 10);
}

/** Makes the recording read like one from a real account: stable times, an on-call identity, real-looking DNS. */
function polish(rec: Recording, clock: string, drill: DrillAws, seeded: SeededAlb, id: string): Recording {
  const motoDns = seeded.lbDns;
  const dns = motoDns.replace(/^(.*)-\d+(\.[a-z0-9-]+\.elb\.amazonaws\.com)$/, `$1-${dnsDigits(id)}$2`);
  // moto names listener rules after a Python object id (a memory address); real rule ARNs end in
  // 16 hex digits. One stable id per listener (these setups have only the default rule).
  const text = JSON.stringify(rec)
    .replace(/(listener-rule\/app\/[^/"]+\/[0-9a-f]+\/([0-9a-f]+))\/\d+/g, (_, head: string, listener: string) => `${head}/${stableHex(`${listener}/default`)}`)
    .split(motoDns).join(dns)
    .replace(/"createdAt":"[^"]*"/g, `"createdAt":"${drill.lbCreatedAt}"`)
    .replace(/assumed-role\/it\/badgate-test/g, 'assumed-role/OnCallReadOnly/oncall')
    .replace(/(AROA[A-Z0-9]+):badgate-test/g, '$1:oncall');
  const polished = JSON.parse(text) as Recording;
  // Checks fan out concurrently, so calls arrive in any order; replay matches by method and
  // arguments, so sort them to keep the file the same from run to run.
  const key = (c: Recording['calls'][number]) => `${c.method}\u0000${JSON.stringify(c.args)}`;
  polished.calls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { ...polished, recordedAt: clock };
}

function stableHex(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const c of text) {
    a = Math.imul(a ^ c.charCodeAt(0), 0x01000193) >>> 0;
    b = Math.imul(b ^ c.charCodeAt(0), 0x5bd1e995) >>> 0;
  }
  return (a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')).slice(0, 16);
}

/**
 * The access logs quote the load balancer and target group by id; if moto ever hands out
 * other ids, point the lines at the recorded ones. Returns the lines and what does not fit.
 */
function relinkLogs(lines: string[], seeded: SeededAlb): string[] {
  const lb = lbDimension(seeded.lbArn);
  const tg = tgDimension(seeded.tgArns[0]).replace(/^targetgroup\//, '');
  const [lbName] = lb.split('/').slice(1);
  const [tgName] = tg.split('/');
  return lines.map((l) => l
    .replace(new RegExp(`app/${lbName}/[0-9a-f]{16}`, 'g'), lb)
    .replace(new RegExp(`targetgroup/${tgName}/[0-9a-f]{16}`, 'g'), `targetgroup/${tg}`)
    .replace(/(arn:aws:elasticloadbalancing:[a-z0-9-]+:)\d{12}/g, `$1${ACCOUNT}`));
}

async function resetMoto(moto: MotoServer, seed: number): Promise<void> {
  for (const [path, body] of [['/moto-api/reset', ''], [`/moto-api/seed?a=${seed}`, '']] as const) {
    const res = await fetch(`${moto.endpoint}${path}`, { method: 'POST', body });
    if (!res.ok) throw new Error(`moto ${path}: HTTP ${res.status}`);
  }
}

async function record(id: string, drill: DrillAws, moto: MotoServer): Promise<string> {
  const file = join(DRILLS_DIR, `${id}.yaml`);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const clockText = String(doc.get('clock'));
  const clock = new Date(clockText);
  if (Number.isNaN(clock.getTime())) throw new Error(`${file}: clock "${clockText}" is not an ISO time`);

  // Fixed seed after a reset, and again after the account exists: same ids on every run.
  await resetMoto(moto, seedFor(id));
  const account = await newAccount(moto.endpoint, ACCOUNT);
  await resetSeed(moto, seedFor(id));
  const seeded = await seedAlb(account, drill.seed);

  const logsNode = doc.getIn(['logs', 'access']);
  const rawLines = isSeq(logsNode) ? (logsNode.toJSON() as string[]) : [];
  const lines = relinkLogs(rawLines, seeded);
  if (lines.some((l, i) => l !== rawLines[i])) doc.setIn(['logs', 'access'], doc.createNode(lines));
  const fromLogs = metricsFromLogs(lines, clock, drill);
  const lbDim = lbDimension(seeded.lbArn);
  await putMetrics(account, { LoadBalancer: lbDim }, merge(fromLogs.lb, drill.lbMetrics), clock);
  await putMetrics(account, { TargetGroup: tgDimension(seeded.tgArns[0]), LoadBalancer: lbDim }, merge(fromLogs.tg, drill.tgMetrics), clock);

  const rec = newRecording(account.reader().region, `${drill.note} Recorded from moto by scripts/record-drills.ts.`);
  const reader = createRecordingReader(account.reader(), rec);
  const run = await runAwsChecks(reader, drill.params, clock);
  await runAwsChecks(reader, { ...drill.params, 'elbv2.resolve': { lb: seeded.lbName } }, clock);
  const saved = polish(compactRecording(anonymiseRecording(rec, ACCOUNT)), clockText, drill, seeded, id);

  const problems = [...fromLogs.problems, ...checkTargets(lines, drill, saved)];
  doc.set('aws', doc.createNode(saved));
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  const outcomes = CHECK_ORDER.map((c) => `  ${c.padEnd(26)} ${run.results[c].outcome.padEnd(16)} ${run.results[c].summary}`);
  return [`${id}: ${saved.calls.length} distinct calls, ${lines.length} access-log lines → ${file}`, ...outcomes, ...problems.map((p) => `  ! ${p}`)].join('\n');
}

async function resetSeed(moto: MotoServer, seed: number): Promise<void> {
  const res = await fetch(`${moto.endpoint}/moto-api/seed?a=${seed}`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto seed: HTTP ${res.status}`);
}

/** Every target an access-log line names must be one of the recorded instances, on the group's port. */
function checkTargets(lines: string[], drill: DrillAws, rec: Recording): string[] {
  const instances = rec.calls.filter((c) => c.method === 'describeInstances').flatMap((c) => (c.result as { privateIp?: string }[] | undefined) ?? []);
  const known = new Set(instances.map((i) => `${i.privateIp}:${drill.seed.port ?? 8080}`));
  const retired = new Set(drill.retiredTargets ?? []);
  const unknown = new Set<string>();
  for (const l of lines) {
    const p = parseAccessLine(l);
    if (p.ok && p.record.target !== '-' && !known.has(p.record.target) && !retired.has(p.record.target)) unknown.add(p.record.target);
  }
  return [...unknown].map((t) => `access log names target ${t}, which is not a registered instance (fine for targets that left the group earlier)`);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const ids = wanted.length ? wanted : Object.keys(DRILLS);
  const moto = await startMoto();
  try {
    // moto's first EC2 calls in a process draw extra random numbers; one throwaway ALB
    // first, so every scenario below starts from the same state however many run.
    await seedAlb(await newAccount(moto.endpoint, '999999999999'), { name: 'warmup', instancesPerGroup: 1 });
    for (const id of ids) {
      const drill = DRILLS[id];
      if (!drill) throw new Error(`unknown drill ${id}; known: ${Object.keys(DRILLS).join(', ')}`);
      console.log(await record(id, drill, moto));
    }
  } catch (err) {
    console.error(moto.stderr().split('\n').filter((l) => !/HTTP\/1\.1" 200/.test(l)).slice(-30).join('\n'));
    throw err;
  } finally {
    await moto.stop();
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// moto iterates sets of strings in places; a fixed hash seed keeps its random draws in the same order.
process.env.PYTHONHASHSEED ??= '0';
await main();

