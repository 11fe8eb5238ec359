import type { ClassicLbAttributes } from '../aws/reader.js';
import { classicNameFor } from './clb-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface ClbAttributesEvidence {
  name: string;
  attributes: ClassicLbAttributes;
}

// Documented defaults (config-idle-timeout, config-conn-drain): used when the API leaves a field out.
const DEFAULT_IDLE = 60;

function evaluate(ev: ClbAttributesEvidence): CheckResult {
  const a = ev.attributes;
  const idle = a.idleTimeoutSeconds ?? DEFAULT_IDLE;
  const logs = a.accessLog?.enabled === true;
  const bucket = a.accessLog?.bucket ?? '';
  const prefix = a.accessLog?.prefix ?? '';
  const desync = a.additional['elb.http.desyncmitigationmode'] ?? 'defensive';
  const risky: string[] = [];
  if (idle > 900) risky.push(`idle timeout ${idle} s is very long: every backend must keep idle connections open longer than that`);
  if (desync === 'monitor') risky.push('desync mitigation is `monitor`: ambiguous requests reach the instances');
  if (logs && !bucket) risky.push('access logs are enabled without a bucket');
  const details = [
    `ConnectionSettings.IdleTimeout = ${idle} s${a.idleTimeoutSeconds === undefined ? ' (not returned: the default)' : ''}: instances must keep idle connections open longer (AWS: backend keep-alive > idle timeout). On a CLB the race shows as 504, not 502.`,
    `AccessLog.Enabled = ${logs}${logs ? ` → s3://${bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/ every ${a.accessLog?.emitIntervalMinutes ?? 60} min` : ''}`,
    `ConnectionDraining = ${a.connectionDraining ? `${a.connectionDraining.enabled}${a.connectionDraining.timeoutSeconds !== undefined ? ` (${a.connectionDraining.timeoutSeconds} s)` : ''}` : 'not returned'}`,
    `CrossZoneLoadBalancing = ${a.crossZone ?? 'not returned'}`,
    `elb.http.desyncmitigationmode = ${desync}`,
    ...risky.map((r) => `risky: ${r}`),
  ];
  if (!logs) details.push(`Turn access logs on for the next incident: aws elb modify-load-balancer-attributes --load-balancer-name ${ev.name} --load-balancer-attributes '{"AccessLog":{"Enabled":true,"S3BucketName":"BUCKET","EmitInterval":5}}'`);
  const facts: Facts = {
    'clb.idleTimeoutSeconds': idle,
    'clb.accessLogs.enabled': logs,
    'clb.accessLogs.bucket': bucket,
    'clb.accessLogs.prefix': prefix,
    'clb.connectionDraining': a.connectionDraining?.enabled ?? false,
    'clb.desyncMode': desync,
  };
  if (!logs) return { status: 'warn', outcome: 'logs-off', facts, details, summary: `Access logs are off (idle timeout ${idle} s): no per-request evidence for this incident` };
  if (risky.length) return { status: 'warn', outcome: 'risky', facts, details, summary: risky[0] };
  return { status: 'pass', outcome: 'ok', facts, details, summary: `Idle timeout ${idle} s, access logs to s3://${bucket}${prefix ? `/${prefix}` : ''}` };
}

export const clbAttributes: Check<ClbAttributesEvidence> = {
  meta: {
    id: 'clb.attributes',
    title: 'Classic Load Balancer attributes: idle timeout, access logs, connection draining',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-idle-timeout.html',
    apis: ['elasticloadbalancing:DescribeLoadBalancerAttributes'],
    params: { lb: { description: 'Classic Load Balancer name when clb.name is not known yet' } },
    outcomes: ['ok', 'logs-off', 'risky'],
    strength: 'config',
    facts: ['clb.idleTimeoutSeconds', 'clb.accessLogs.enabled', 'clb.accessLogs.bucket', 'clb.accessLogs.prefix', 'clb.connectionDraining', 'clb.desyncMode'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const name = classicNameFor(ctx);
    ctx.progress(`DescribeLoadBalancerAttributes ${name}`);
    return { name, attributes: await aws.describeClassicLoadBalancerAttributes(name) };
  },
  evaluate: (ev) => evaluate(ev),
};
