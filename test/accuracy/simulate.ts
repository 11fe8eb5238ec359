// One list of requests becomes both the ALB access logs and the CloudWatch metrics, the way
// AWS derives them from the same traffic (domain-502.md §1.3 log fields, §1.12 metrics):
// a metric is the per-minute sum of what the log lines say happened, so the two never disagree.
import { gzipSync } from 'node:zlib';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { MotoAccount } from '../helpers/moto-server.js';

export interface SimRequest {
  /** When the ALB finished its response (the log's `time`). */
  at: Date;
  /** Target group ARN, or undefined when no group was chosen. */
  tgArn?: string;
  /** `ip:port` of the chosen target; undefined for Lambda targets (the log writes `-`). */
  target?: string;
  timings: [number, number, number];
  elbStatus: number;
  targetStatus: number | '-';
  path?: string;
  /** The log's `error_reason` (Lambda targets). */
  errorReason?: string;
  /** The ALB failed to open a connection to the target (TargetConnectionErrorCount). */
  connectionError?: boolean;
  /** The TLS handshake to an HTTPS target failed (TargetTLSNegotiationErrorCount). */
  tlsError?: boolean;
  /** A Lambda target's failure, as the ALB counts it. */
  lambda?: 'user' | 'internal';
}

export interface LbIds {
  account: string;
  region: string;
  lbArn: string;
  lbDns: string;
}

/** `app/name/id`, the LoadBalancer dimension and the log's `elb` field. */
export const lbDim = (lbArn: string) => lbArn.split(':loadbalancer/')[1];
export const tgDim = (tgArn: string) => tgArn.split(':').pop() as string;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (d: Date) => `${d.toISOString().slice(0, 23)}000Z`;

let traceSeq = 0;
export function logLine(r: SimRequest, ids: LbIds): string {
  const created = new Date(r.at.getTime() - Math.max(0, r.timings[1]) * 1000 - 1);
  const target = r.target ?? '-';
  const trace = `Root=1-${Math.floor(r.at.getTime() / 1000).toString(16)}-${(traceSeq++).toString(16).padStart(24, '0')}`;
  const fmt = (t: number) => (t < 0 ? '-1' : t.toFixed(3));
  const sent = r.elbStatus === 502 ? 272 : 512;
  return [
    'http', iso(r.at), lbDim(ids.lbArn), `198.51.100.${10 + (traceSeq % 200)}:${40000 + (traceSeq % 20000)}`, target,
    ...r.timings.map(fmt), String(r.elbStatus), String(r.targetStatus), '230', String(sent),
    `"GET http://${ids.lbDns}:80${r.path ?? '/'} HTTP/1.1"`, '"Mozilla/5.0"', '-', '-', r.tgArn ?? '-', `"${trace}"`, '"-"', '"-"',
    '0', iso(created), '"forward"', '"-"', `"${r.errorReason ?? '-'}"`, `"${target}"`, `"${r.targetStatus}"`, '"-"', '"-"',
    `TID_${(traceSeq * 7919).toString(16)}`, '"-"', '"-"', '"-"',
  ].join(' ');
}

/** Log objects as ELB writes them: one file per node and 5-minute window, keyed by the window's end. */
export function logObjects(requests: SimRequest[], ids: LbIds, prefix: string): Map<string, Buffer> {
  const [, name, id] = lbDim(ids.lbArn).split('/');
  const nodes = ['10.0.1.17', '10.0.2.33'];
  const files = new Map<string, string[]>();
  requests.forEach((r, i) => {
    const end = new Date(Math.floor(r.at.getTime() / 300_000) * 300_000 + 300_000);
    const node = nodes[i % nodes.length];
    const stamp = `${end.getUTCFullYear()}${pad(end.getUTCMonth() + 1)}${pad(end.getUTCDate())}T${pad(end.getUTCHours())}${pad(end.getUTCMinutes())}Z`;
    const day = `${end.getUTCFullYear()}/${pad(end.getUTCMonth() + 1)}/${pad(end.getUTCDate())}`;
    const key = `${prefix ? `${prefix}/` : ''}AWSLogs/${ids.account}/elasticloadbalancing/${ids.region}/${day}/`
      + `${ids.account}_elasticloadbalancing_${ids.region}_app.${name}.${id}_${stamp}_${node}_${(stamp.length * 1e6 + i % 2).toString(36)}.log.gz`;
    const lines = files.get(key) ?? [];
    lines.push(logLine(r, ids));
    files.set(key, lines);
  });
  return new Map([...files].map(([k, lines]) => [k, gzipSync(`${lines.join('\n')}\n`)]));
}

type Sums = Map<string, Map<number, number>>;
function add(sums: Sums, metric: string, minute: number, n = 1) {
  const m = sums.get(metric) ?? new Map<number, number>();
  m.set(minute, (m.get(minute) ?? 0) + n);
  sums.set(metric, m);
}

/** Per-minute sums of the ALB's count metrics; a metric with nothing to count in a minute has no point then. */
export function metricSums(requests: SimRequest[]): { lb: Sums; tg: Map<string, Sums> } {
  const lb: Sums = new Map();
  const tg = new Map<string, Sums>();
  for (const r of requests) {
    const minute = Math.floor(r.at.getTime() / 60_000) * 60_000;
    const names = ['RequestCount'];
    const elbMade = r.targetStatus === '-';
    if (elbMade && r.elbStatus >= 500) names.push('HTTPCode_ELB_5XX_Count');
    if (elbMade && [502, 503, 504].includes(r.elbStatus)) names.push(`HTTPCode_ELB_${r.elbStatus}_Count`);
    if (elbMade && r.elbStatus >= 400 && r.elbStatus < 500) names.push('HTTPCode_ELB_4XX_Count');
    if (typeof r.targetStatus === 'number' && !r.lambda) names.push(`HTTPCode_Target_${Math.floor(r.targetStatus / 100)}XX_Count`);
    if (r.connectionError) names.push('TargetConnectionErrorCount');
    if (r.tlsError) names.push('TargetTLSNegotiationErrorCount');
    if (r.lambda === 'user') names.push('LambdaUserError');
    if (r.lambda === 'internal') names.push('LambdaInternalError');
    for (const n of names) {
      add(lb, n, minute);
      // The ALB publishes these per target group too (TargetGroup,LoadBalancer).
      if (r.tgArn && n !== 'HTTPCode_ELB_4XX_Count') {
        const s = tg.get(r.tgArn) ?? new Map();
        add(s, n, minute);
        tg.set(r.tgArn, s);
      }
    }
  }
  return { lb, tg };
}

export interface HostCounts {
  tgArn: string;
  healthy: number;
  unhealthy: number;
}

async function putAll(cw: CloudWatchClient, data: MetricDatum[]) {
  for (let i = 0; i < data.length; i += 500) {
    await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data.slice(i, i + 500) }));
  }
}

/**
 * Writes the traffic's metrics, the per-minute host counts of each target group over the
 * window, and (when `logBucket` is set) the gzipped access logs.
 */
export async function publish(account: MotoAccount, ids: LbIds, requests: SimRequest[], opts: {
  window: { start: Date; end: Date };
  hosts: HostCounts[];
  logBucket?: string;
  logPrefix?: string;
}): Promise<void> {
  // The SDK gzips large PutMetricData bodies and moto fails to read them back.
  const cw = new CloudWatchClient({ ...account.clientConfig, disableRequestCompression: true });
  const lb = lbDim(ids.lbArn);
  const sums = metricSums(requests);
  const data: MetricDatum[] = [];
  const point = (MetricName: string, minute: number, Value: number, dims: Record<string, string>): MetricDatum => ({
    MetricName, Value, Unit: 'Count', Timestamp: new Date(minute), Dimensions: Object.entries(dims).map(([Name, V]) => ({ Name, Value: V })),
  });
  for (const [name, byMinute] of sums.lb) for (const [m, v] of byMinute) data.push(point(name, m, v, { LoadBalancer: lb }));
  for (const [tgArn, s] of sums.tg) {
    for (const [name, byMinute] of s) for (const [m, v] of byMinute) data.push(point(name, m, v, { TargetGroup: tgDim(tgArn), LoadBalancer: lb }));
  }
  const first = Math.floor(opts.window.start.getTime() / 60_000) * 60_000;
  for (let m = first; m < opts.window.end.getTime(); m += 60_000) {
    for (const h of opts.hosts) {
      const dims = { TargetGroup: tgDim(h.tgArn), LoadBalancer: lb };
      data.push(point('HealthyHostCount', m, h.healthy, dims), point('UnHealthyHostCount', m, h.unhealthy, dims));
    }
  }
  await putAll(cw, data);
  if (opts.logBucket) {
    const s3 = new S3Client({ ...account.clientConfig, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: opts.logBucket }));
    for (const [Key, Body] of logObjects(requests, ids, opts.logPrefix ?? '')) {
      await s3.send(new PutObjectCommand({ Bucket: opts.logBucket, Key, Body }));
    }
  }
}
