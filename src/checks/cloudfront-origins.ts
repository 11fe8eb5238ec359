import type { CacheBehavior, CloudFrontOrigin, DistributionConfig, LoadBalancer } from '../aws/reader.js';
import { requireAws } from './env.js';
import { LB_ATTRIBUTE_DEFAULTS } from './elbv2-lb-attributes.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface CloudFrontOriginsEvidence {
  distributionId: string;
  config?: DistributionConfig;
  /** ALBs whose DNS name is an origin's domain, with their idle timeout. */
  albs: { origin: string; lb: LoadBalancer; idleTimeoutSeconds: number }[];
  /** Slowest response the origin takes (seconds), from the responder or a metric, when known. */
  originSeconds?: number;
  /** The origin's own keep-alive timeout (seconds) when it is not an ALB, when known. */
  originKeepaliveSeconds?: number;
  paramError?: string;
}

// Defaults CloudFront applies when the API leaves them out (DownloadDistValuesOrigin).
const DEFAULT_READ_TIMEOUT = 30;
const DEFAULT_KEEPALIVE = 5;

/**
 * Managed origin request policies that forward the viewer's Host header
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html).
 */
const FORWARDS_HOST: Record<string, string> = {
  '216adef6-5c7f-47e4-b989-5492eafa07d3': 'AllViewer',
  '33f36d7e-f396-46d9-90e0-52428a34d9dc': 'AllViewerAndCloudFrontHeaders-2022-06',
};
/** Managed policies known not to forward Host. */
const KEEPS_ORIGIN_HOST: Record<string, string> = {
  'b689b0a8-53d0-40ab-baf2-68738e2966ac': 'AllViewerExceptHostHeader',
  '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf': 'CORS-S3Origin',
  '59781a5b-3903-41f3-afcb-af62929ccde1': 'CORS-CustomOrigin',
  'acba4595-bd28-49b8-b9fe-13317c0390fa': 'UserAgentRefererHeaders',
};

export type HostForwarding = { forwarded: 'yes' | 'no' | 'unknown'; how: string };

export function hostForwarding(b: CacheBehavior | undefined): HostForwarding {
  if (!b) return { forwarded: 'no', how: 'no behaviour sends to this origin' };
  if (b.originRequestPolicyId) {
    const yes = FORWARDS_HOST[b.originRequestPolicyId];
    if (yes) return { forwarded: 'yes', how: `origin request policy ${yes} forwards the viewer's Host` };
    const no = KEEPS_ORIGIN_HOST[b.originRequestPolicyId];
    if (no) return { forwarded: 'no', how: `origin request policy ${no} sends the origin domain as Host` };
    return { forwarded: 'unknown', how: `custom origin request policy ${b.originRequestPolicyId}: see whether its HeadersConfig lists Host (aws cloudfront get-origin-request-policy --id ${b.originRequestPolicyId})` };
  }
  const headers = b.forwardedHeaders ?? [];
  if (headers.includes('*')) return { forwarded: 'yes', how: 'legacy cache settings forward all headers (*), Host included' };
  if (headers.some((h) => h.toLowerCase() === 'host')) return { forwarded: 'yes', how: 'legacy cache settings forward the Host header' };
  return { forwarded: 'no', how: 'the origin receives its own domain as Host' };
}

const isElbName = (d: string) => /\.elb\.amazonaws\.com$/i.test(d);
const isS3Website = (d: string) => /\.s3-website[.-][a-z0-9-]+\.amazonaws\.com$/i.test(d);
const isApiOrigin = (d: string) => /\.execute-api\.[a-z0-9-]+\.amazonaws\.com$|\.lambda-url\.[a-z0-9-]+\.on\.aws$/i.test(d);
const usesHttps = (o: CloudFrontOrigin) => o.kind !== 'custom' || o.protocolPolicy !== 'http-only';

interface OriginView {
  origin: CloudFrontOrigin;
  behaviors: CacheBehavior[];
  host: HostForwarding;
  readTimeout: number;
  keepalive: number;
  alb?: { lb: LoadBalancer; idleTimeoutSeconds: number };
}

function judge(v: OriginView, ev: CloudFrontOriginsEvidence, aliases: string[]): { lines: string[]; findings: Finding[] } {
  const o = v.origin;
  const lines: string[] = [];
  const findings: Finding[] = [];
  const where = `origin ${o.id} (${o.domainName})`;
  const https = usesHttps(o);
  lines.push(`${where}: ${o.kind}${o.kind === 'custom' ? `, ${o.protocolPolicy ?? '?'} (HTTP ${o.httpPort ?? 80}, HTTPS ${o.httpsPort ?? 443}), TLS ${o.sslProtocols.join('/') || '-'}` : ''}, response timeout ${v.readTimeout} s, keep-alive ${v.keepalive} s, ${o.connectionAttempts ?? 3} × ${o.connectionTimeoutSeconds ?? 10} s connect`);
  lines.push(`  Host: ${v.host.how}${v.behaviors.length ? ` (behaviours ${v.behaviors.map((b) => b.pathPattern).join(', ')})` : ''}`);
  if (o.customHeaderNames.length) lines.push(`  custom headers to the origin: ${o.customHeaderNames.join(', ')} (values not shown)`);
  if (v.alb) lines.push(`  ${o.domainName} is the ALB ${v.alb.lb.name}: idle timeout ${v.alb.idleTimeoutSeconds} s → continue with \`badgate run alb --lb ${v.alb.lb.name}\``);

  if (o.kind === 'custom' && isS3Website(o.domainName) && o.protocolPolicy !== 'http-only') {
    findings.push({ cause: 'origin-tls-mismatch', confidence: 'likely', strength: 'config', evidence: [`${where} is an S3 website endpoint, which speaks HTTP only, but the origin protocol policy is ${o.protocolPolicy}: CloudFront's HTTPS connection fails (OriginConnectError)`] });
  }
  if (o.kind === 'custom' && https && isElbName(o.domainName) && v.host.forwarded === 'no') {
    findings.push({ cause: 'origin-tls-mismatch', confidence: 'likely', strength: 'config', evidence: [`${where} is reached over HTTPS by its *.elb.amazonaws.com name and Host is not forwarded: CloudFront checks the certificate against ${o.domainName}, which no certificate of yours covers`] });
  }
  if (v.host.forwarded === 'yes' && isApiOrigin(o.domainName)) {
    findings.push({ cause: 'host-header-or-sni-mismatch', confidence: 'likely', strength: 'config', evidence: [`${where} is an API Gateway / Lambda URL endpoint and ${v.host.how}: it serves only its own name (use AllViewerExceptHostHeader)`] });
  }
  if (v.host.forwarded === 'yes' && https && aliases.length) {
    lines.push(`  CloudFront validates the origin certificate against the viewer's Host (${aliases.join(', ')}), not ${o.domainName}`);
  }
  if (https && o.kind === 'custom' && o.sslProtocols.length && !o.sslProtocols.includes('TLSv1.2')) {
    findings.push({ cause: 'origin-tls-mismatch', confidence: 'suspected', strength: 'config', evidence: [`${where} allows only ${o.sslProtocols.join(', ')} to the origin, not TLSv1.2`] });
  }
  const originIdle = v.alb?.idleTimeoutSeconds ?? ev.originKeepaliveSeconds;
  if (o.kind === 'custom' && originIdle !== undefined) {
    if (v.keepalive >= originIdle) {
      findings.push({ cause: 'keepalive-race', confidence: 'likely', strength: 'config', evidence: [`${where}: CloudFront keeps idle origin connections ${v.keepalive} s, the origin closes them after ${originIdle} s${v.alb ? ` (ALB ${v.alb.lb.name} idle timeout)` : ''}: a reused connection can be closed under a request`] });
    } else {
      lines.push(`  keep-alive ok: CloudFront ${v.keepalive} s < origin ${originIdle} s`);
    }
  }
  if (ev.originSeconds !== undefined) {
    if (ev.originSeconds >= v.readTimeout) {
      findings.push({ cause: 'timeout-mismatch', confidence: 'likely', strength: 'answer', evidence: [`${where}: the origin takes up to ${ev.originSeconds} s, longer than CloudFront's origin response timeout of ${v.readTimeout} s (logged as OriginCommError)`] });
    } else {
      lines.push(`  response timeout ok: origin ${ev.originSeconds} s < ${v.readTimeout} s`);
    }
  }
  if (v.alb && v.alb.idleTimeoutSeconds < v.readTimeout) {
    lines.push(`  note: the ALB idle timeout (${v.alb.idleTimeoutSeconds} s) is below CloudFront's response timeout (${v.readTimeout} s): slow requests end as the ALB's 504, not CloudFront's`);
  }
  return { lines, findings };
}

function evaluate(ev: CloudFrontOriginsEvidence): CheckResult {
  if (ev.paramError || !ev.config) {
    return { status: 'unknown', outcome: 'unknown', summary: ev.paramError ?? 'no distribution config', nextStep: 'Pass the distribution id (cloudfront.resolve finds it): --distribution ID' };
  }
  const cfg = ev.config;
  const views: OriginView[] = cfg.origins.map((origin) => {
    const behaviors = cfg.behaviors.filter((b) => b.targetOriginId === origin.id);
    const alb = ev.albs.find((a) => a.origin === origin.id);
    return {
      origin,
      behaviors,
      host: hostForwarding(behaviors[0]),
      readTimeout: origin.readTimeoutSeconds ?? DEFAULT_READ_TIMEOUT,
      keepalive: origin.keepaliveTimeoutSeconds ?? DEFAULT_KEEPALIVE,
      ...(alb ? { alb } : {}),
    };
  });
  const details: string[] = [];
  const findings: Finding[] = [];
  for (const v of views) {
    const j = judge(v, ev, cfg.aliases);
    details.push(...j.lines);
    findings.push(...j.findings);
  }
  const functions = cfg.behaviors.flatMap((b) => b.functionAssociations.map((f) => `${b.pathPattern} ${f.event} ${f.arn.replace(/^.*:function\//, '')}`));
  const lambdas = cfg.behaviors.flatMap((b) => b.lambdaAssociations.map((f) => `${b.pathPattern} ${f.event} ${f.arn.replace(/^arn:aws:lambda:[^:]+:\d+:function:/, '')}`));
  if (functions.length) details.push(`CloudFront Functions: ${functions.join('; ')} (a validation error in one is a 502 from CloudFront itself)`);
  if (lambdas.length) details.push(`Lambda@Edge: ${lambdas.join('; ')} (an invalid result is a 502; its logs are in /aws/lambda/us-east-1.<function> in the Region that ran it)`);
  const errorPages = cfg.customErrorResponses.filter((e) => e.errorCode === 502);
  if (errorPages.length) details.push(`Custom error response for 502: ${errorPages.map((e) => `${e.pagePath ?? '-'} as ${e.responseCode ?? '502'}, cached ${e.minTtlSeconds ?? 10} s`).join('; ')} (it hides CloudFront's own 502 page)`);

  const primary = views.find((v) => v.behaviors.some((b) => b.pathPattern === '*')) ?? views[0];
  const facts: Facts = {};
  if (primary) {
    const o = primary.origin;
    facts['cf.origin.protocolPolicy'] = o.protocolPolicy ?? (o.kind === 's3' ? 'https-only' : '');
    facts['cf.origin.https'] = usesHttps(o);
    facts['cf.origin.httpsPort'] = o.httpsPort ?? 443;
    facts['cf.origin.readTimeoutSeconds'] = primary.readTimeout;
    facts['cf.origin.keepaliveTimeoutSeconds'] = primary.keepalive;
    facts['cf.origin.hostForwarded'] = primary.host.forwarded;
    // The name CloudFront checks the certificate against: the viewer's Host when forwarded.
    facts['cf.origin.tlsName'] = primary.host.forwarded === 'yes' && cfg.aliases[0] ? cfg.aliases[0] : o.domainName;
    facts['cf.origin.isAlb'] = Boolean(primary.alb);
    if (primary.alb) {
      facts['cf.origin.albName'] = primary.alb.lb.name;
      facts['cf.origin.idleTimeoutSeconds'] = primary.alb.idleTimeoutSeconds;
    }
  }
  facts['cf.edgeFunctions'] = functions.length + lambdas.length;
  const asserted = findings.filter((f) => f.confidence !== 'ruled-out');
  if (asserted.length) {
    return { status: 'fail', outcome: 'misconfigured', summary: asserted[0].evidence[0], details, facts, findings };
  }
  return {
    status: 'pass',
    outcome: 'ok',
    summary: `${views.length === 1 ? 'The origin' : `All ${views.length} origins`}: protocol, Host forwarding and timeouts agree${primary?.alb ? ` (origin is the ALB ${primary.alb.lb.name})` : ''}`,
    details,
    facts,
  };
}

function positive(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : Number.NaN;
}

export const cloudfrontOrigins: Check<CloudFrontOriginsEvidence> = {
  meta: {
    id: 'cloudfront.origins',
    title: 'CloudFront origins: protocol, TLS versions, Host forwarding, response and keep-alive timeouts vs the origin',
    docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html',
    apis: ['cloudfront:GetDistributionConfig', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes'],
    params: {
      distribution: { description: 'Distribution id (cloudfront.resolve sets cf.id)', required: true },
      originSeconds: { description: 'Slowest response time of the origin in seconds, when known (ALB TargetResponseTime max, app log)' },
      originKeepaliveSeconds: { description: 'Idle keep-alive timeout of a non-ALB origin in seconds, when known' },
    },
    outcomes: ['ok', 'misconfigured'],
    causes: ['origin-tls-mismatch', 'host-header-or-sni-mismatch', 'keepalive-race', 'timeout-mismatch'],
    facts: [
      'cf.origin.protocolPolicy', 'cf.origin.https', 'cf.origin.httpsPort', 'cf.origin.readTimeoutSeconds', 'cf.origin.keepaliveTimeoutSeconds',
      'cf.origin.hostForwarded', 'cf.origin.tlsName', 'cf.origin.isAlb', 'cf.origin.albName', 'cf.origin.idleTimeoutSeconds', 'cf.edgeFunctions',
    ],
    strength: 'config',
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const id = ctx.params.distribution?.trim() ?? '';
    const ev: CloudFrontOriginsEvidence = { distributionId: id, albs: [] };
    const originSeconds = positive(ctx.params.originSeconds);
    const originKeepaliveSeconds = positive(ctx.params.originKeepaliveSeconds);
    if (!id) return { ...ev, paramError: 'distribution is required' };
    if (Number.isNaN(originSeconds) || Number.isNaN(originKeepaliveSeconds)) return { ...ev, paramError: 'originSeconds and originKeepaliveSeconds must be positive numbers of seconds' };
    if (originSeconds !== undefined) ev.originSeconds = originSeconds;
    if (originKeepaliveSeconds !== undefined) ev.originKeepaliveSeconds = originKeepaliveSeconds;
    ctx.progress(`GetDistributionConfig ${id}`);
    ev.config = await aws.getDistributionConfig(id);
    const elbOrigins = ev.config.origins.filter((o) => isElbName(o.domainName));
    if (elbOrigins.length) {
      ctx.progress('DescribeLoadBalancers (ALB origins)');
      const lbs = await aws.describeLoadBalancers();
      const norm = (n: string) => n.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');
      for (const o of elbOrigins) {
        const lb = lbs.find((l) => norm(l.dnsName) === norm(o.domainName) && l.type === 'application');
        if (!lb) continue;
        const attrs = await aws.describeLoadBalancerAttributes(lb.arn);
        ev.albs.push({ origin: o.id, lb, idleTimeoutSeconds: Number(attrs['idle_timeout.timeout_seconds'] ?? LB_ATTRIBUTE_DEFAULTS['idle_timeout.timeout_seconds']) });
      }
    }
    return ev;
  },
  evaluate: (ev) => evaluate(ev),
};
