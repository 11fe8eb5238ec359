import { loadBalancerArnFor } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface LbAttributesEvidence {
  lbArn: string;
  attributes: Record<string, string>;
}

/** Documented defaults (reference §1.8), used when the API omits a key (moto omits several). */
export const LB_ATTRIBUTE_DEFAULTS: Record<string, string> = {
  'idle_timeout.timeout_seconds': '60',
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'routing.http.desync_mitigation_mode': 'defensive',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'client_keep_alive.seconds': '3600',
  'connection_logs.s3.enabled': 'false',
};

function evaluate(ev: LbAttributesEvidence, known: Readonly<Facts> = {}): CheckResult {
  const lambda = known['tg.targetType'] === 'lambda';
  const defaulted: string[] = [];
  const get = (key: string) => {
    if (key in ev.attributes) return ev.attributes[key];
    defaulted.push(key);
    return LB_ATTRIBUTE_DEFAULTS[key] ?? '';
  };
  const idle = Number(get('idle_timeout.timeout_seconds'));
  const logsEnabled = get('access_logs.s3.enabled') === 'true';
  const bucket = get('access_logs.s3.bucket');
  const prefix = get('access_logs.s3.prefix');
  const desync = get('routing.http.desync_mitigation_mode');
  const dropInvalid = get('routing.http.drop_invalid_header_fields.enabled') === 'true';
  const clientKeepAlive = Number(get('client_keep_alive.seconds'));
  const connectionLogs = get('connection_logs.s3.enabled') === 'true';

  const risky: string[] = [];
  if (desync === 'monitor') risky.push('desync mitigation is `monitor`: ambiguous and severe requests (request smuggling) reach the targets; set routing.http.desync_mitigation_mode=defensive');
  if (idle > 900 && !lambda) risky.push(`idle timeout ${idle} s is very long: every backend must keep idle connections open longer than that or it races the ALB (keep-alive 502s)`);
  if (logsEnabled && !bucket) risky.push('access logs are enabled without a bucket');

  const details = [
    lambda
      ? `idle_timeout.timeout_seconds = ${idle} (not applied to Lambda targets: the ALB waits until the function returns or times out)`
      : `idle_timeout.timeout_seconds = ${idle} (backends must keep idle connections open longer than this)`,
    `access_logs.s3.enabled = ${logsEnabled}${logsEnabled ? ` → s3://${bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/` : ''}`,
    `routing.http.desync_mitigation_mode = ${desync}`,
    `routing.http.drop_invalid_header_fields.enabled = ${dropInvalid}`,
    `client_keep_alive.seconds = ${clientKeepAlive} (client side only; does not affect targets)`,
    `connection_logs.s3.enabled = ${connectionLogs}`,
    ...risky.map((r) => `risky: ${r}`),
  ];
  if (defaulted.length) details.push(`Not returned by the API, so the documented default is assumed: ${defaulted.join(', ')}`);
  if (!logsEnabled) {
    details.push(`Turn access logs on for the next incident: aws elbv2 modify-load-balancer-attributes --load-balancer-arn ${ev.lbArn} --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=BUCKET`);
  }
  const facts: Facts = {
    'lb.idleTimeoutSeconds': idle,
    'lb.accessLogs.enabled': logsEnabled,
    'lb.accessLogs.bucket': bucket,
    'lb.accessLogs.prefix': prefix,
    'lb.desyncMode': desync,
    'lb.dropInvalidHeaders': dropInvalid,
    'lb.clientKeepAliveSeconds': clientKeepAlive,
    'lb.risky': risky.length > 0,
  };
  // Logs first: whether log evidence exists steers the rest of the investigation.
  if (!logsEnabled) {
    return { status: 'warn', outcome: 'logs-off', facts, details, summary: `Access logs are off (idle timeout ${idle} s${risky.length ? `; also ${risky.length} risky setting${risky.length > 1 ? 's' : ''}` : ''}): no per-request evidence for this incident` };
  }
  if (risky.length) return { status: 'warn', outcome: 'risky', facts, details, summary: risky[0] };
  return { status: 'pass', outcome: 'ok', facts, details, summary: `Idle timeout ${idle} s, access logs to s3://${bucket}${prefix ? `/${prefix}` : ''}, desync ${desync}` };
}

export const elbv2LbAttributes: Check<LbAttributesEvidence> = {
  meta: {
    id: 'elbv2.lb-attributes',
    title: 'Load balancer attributes: idle timeout, access logs, desync mitigation',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes',
    apis: ['elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeLoadBalancers'],
    params: { lb: { description: 'Load balancer name or ARN when lb.arn is not known yet' } },
    outcomes: ['ok', 'logs-off', 'risky'],
    strength: 'config',
    facts: [
      'lb.idleTimeoutSeconds', 'lb.accessLogs.enabled', 'lb.accessLogs.bucket', 'lb.accessLogs.prefix', 'lb.desyncMode',
      'lb.dropInvalidHeaders', 'lb.clientKeepAliveSeconds', 'lb.risky',
    ],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const lbArn = await loadBalancerArnFor(aws, ctx);
    ctx.progress('DescribeLoadBalancerAttributes');
    return { lbArn, attributes: await aws.describeLoadBalancerAttributes(lbArn) };
  },
  evaluate: (ev, { facts }) => evaluate(ev, facts),
};
