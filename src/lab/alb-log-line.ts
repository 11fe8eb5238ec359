/**
 * One ALB access-log line (reference §1.3 field layout) for the lab proxy, so that
 * `badgate logs` reads the lab's log exactly as it reads a real ALB's.
 */
import { randomBytes } from 'node:crypto';

/** What the proxy knows about one request when it has answered it. */
export interface AlbLogEntry {
  /** When the request arrived (request_creation_time). */
  receivedAt: Date;
  /** When the proxy finished its response to the client (time). */
  answeredAt: Date;
  client: string;
  target: string;
  /** Seconds; -1 when the request could not be dispatched or got no response. */
  requestProcessing: number;
  targetProcessing: number;
  responseProcessing: number;
  elbStatus: number;
  /** null when the target sent no response (logged as `-`). */
  targetStatus: number | null;
  receivedBytes: number;
  sentBytes: number;
  method: string;
  /** As the client sent it: `http://host:port/path?query`. */
  url: string;
  httpVersion: string;
  userAgent: string;
  traceId: string;
}

export interface AlbIdentity {
  /** `app/<name>/<id>`, field 3. */
  elb: string;
  targetGroupArn: string;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A made-up load balancer and target group: the account id is the one AWS uses in its docs. */
export function labIdentity(name = 'badgate-lab'): AlbIdentity {
  const id = hex(8);
  return {
    elb: `app/${name}/${id}`,
    targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}-backend/${hex(8)}`,
  };
}

/** The `X-Amzn-Trace-Id` an ALB adds: `Root=1-<epoch seconds hex>-<24 hex>`. */
export function newTraceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16).padStart(8, '0')}-${hex(12)}`;
}

/** ALB times carry microseconds. */
function isoMicro(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

function seconds(n: number): string {
  return n < 0 ? '-1' : n.toFixed(3);
}

/** Quoted fields escape quotes and backslashes the way the ALB does. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function formatAlbLine(e: AlbLogEntry, id: AlbIdentity): string {
  const target = e.target || '-';
  const targetStatus = e.targetStatus === null ? '-' : String(e.targetStatus);
  return [
    'http',
    isoMicro(e.answeredAt),
    id.elb,
    e.client,
    target,
    seconds(e.requestProcessing),
    seconds(e.targetProcessing),
    seconds(e.responseProcessing),
    String(e.elbStatus),
    targetStatus,
    String(e.receivedBytes),
    String(e.sentBytes),
    quote(`${e.method} ${e.url} HTTP/${e.httpVersion}`),
    quote(e.userAgent || '-'),
    '-', // ssl_cipher: plain HTTP listener
    '-', // ssl_protocol
    id.targetGroupArn,
    quote(e.traceId),
    quote('-'), // domain_name: no SNI without TLS
    quote('-'), // chosen_cert_arn
    '0', // matched_rule_priority: the default action
    isoMicro(e.receivedAt),
    quote('forward'),
    quote('-'), // redirect_url
    quote('-'), // error_reason: not filled in for instance/IP-target 502s (reference §1.3)
    quote(target),
    quote(targetStatus),
    quote('-'), // classification
    quote('-'), // classification_reason
    `TID_${hex(16)}`,
  ].join(' ');
}
