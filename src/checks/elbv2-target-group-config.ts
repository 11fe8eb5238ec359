import { mapLimit } from '../aws/batch.js';
import type { TargetGroup } from '../aws/reader.js';
import { factList, loadBalancerArnFor, targetGroupsFor } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface TargetGroupConfigEvidence {
  listeners: { port: number; protocol: string; targetGroupArns: string[] }[];
  targetGroups: { group: TargetGroup; attributes: Record<string, string> }[];
  /** Status codes the health-check path is known to return (from target health or the responder). */
  observedHealthCodes: string[];
}

/** Does a matcher like `200`, `200-299` or `200,302` cover `code`? */
export function matcherCovers(matcher: string, code: string): boolean {
  const n = Number(code);
  return matcher.split(',').map((s) => s.trim()).some((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined || Number.isNaN(b) ? n === a : n >= a && n <= b;
  });
}

interface Issue { tg: string; text: string; cause?: string }

function review(g: TargetGroup, attrs: Record<string, string>, listeners: TargetGroupConfigEvidence['listeners'], observed: string[]): { issues: Issue[]; lines: string[] } {
  const hc = g.healthCheck;
  const issues: Issue[] = [];
  const add = (text: string, cause?: string) => issues.push({ tg: g.name, text, ...(cause ? { cause } : {}) });
  const dereg = attrs['deregistration_delay.timeout_seconds'];
  const slowStart = attrs['slow_start.duration_seconds'];
  const lines = [
    `${g.name}: ${g.protocol ?? g.targetType}${g.protocolVersion ? `/${g.protocolVersion}` : ''}:${g.port ?? '-'} (${g.targetType})`,
    `  health check ${hc.enabled ? 'on' : 'OFF'}: ${hc.protocol ?? '?'} ${hc.path ?? ''} port ${hc.port ?? 'traffic-port'}, matcher ${hc.matcher ?? '?'}, timeout ${hc.timeoutSeconds ?? '?'} s every ${hc.intervalSeconds ?? '?'} s, healthy after ${hc.healthyThreshold ?? '?'}, unhealthy after ${hc.unhealthyThreshold ?? '?'}`,
    `  deregistration delay ${dereg ?? '300 (default assumed)'} s, slow start ${slowStart ?? '0 (default assumed)'} s`,
  ];
  if (g.targetType === 'lambda') {
    // lambda-functions.md: no connection to keep alive, so the idle timeout and the keep-alive
    // race do not apply; health checks are off by default; the attribute picks the response shape.
    const multi = attrs['lambda.multi_value_headers.enabled'] === 'true';
    lines.length = 1;
    lines.push(
      `  Lambda target: the ALB invokes the function and waits until it returns or times out (the idle timeout is not applied); health checks ${hc.enabled ? 'on' : 'off (the default for Lambda)'}`,
      `  lambda.multi_value_headers.enabled = ${multi}: the function must return ${multi ? '`multiValueHeaders`' : '`headers`'} with statusCode, statusDescription, isBase64Encoded and a string body`,
    );
    return { issues, lines };
  }
  if (hc.timeoutSeconds !== undefined && hc.intervalSeconds !== undefined && hc.timeoutSeconds >= hc.intervalSeconds) {
    add(`health-check timeout ${hc.timeoutSeconds} s ≥ interval ${hc.intervalSeconds} s: checks overlap and flap; set timeout below interval (e.g. 5 s / 30 s)`, 'health-check-misconfigured');
  }
  if (!hc.enabled) add('health checks are disabled: broken targets keep getting traffic', 'health-check-misconfigured');
  if (hc.matcher) {
    const uncovered = observed.filter((c) => !matcherCovers(hc.matcher as string, c));
    if (uncovered.length) {
      add(`health-check path ${hc.path ?? '/'} returns ${uncovered.join(', ')} but the matcher is ${hc.matcher}: fix the path or set --matcher HttpCode=${hc.matcher},${uncovered.join(',')}`, 'health-check-misconfigured');
    }
  }
  if (dereg !== undefined && Number(dereg) < 10) {
    add(`deregistration delay ${dereg} s is very short: requests still running when a target leaves (deploy, scale-in) are cut off → 502; use ≥ 30 s and handle SIGTERM gracefully`, 'deregistration-delay');
  }
  if (hc.protocol === 'HTTPS' && g.protocol === 'HTTP') add('health check uses HTTPS but traffic is plain HTTP: the check tests a different listener than users hit');
  const fronting = listeners.filter((l) => l.targetGroupArns.includes(g.arn));
  if ((g.protocolVersion === 'HTTP2' || g.protocolVersion === 'GRPC') && fronting.some((l) => l.protocol !== 'HTTPS')) {
    add(`protocol version ${g.protocolVersion} behind a plain HTTP listener (${fronting.filter((l) => l.protocol !== 'HTTPS').map((l) => `${l.protocol}:${l.port}`).join(', ')}): clients get 464/502; use an HTTPS listener or HTTP1`);
  }
  if (g.protocol === 'HTTPS') lines.push('  targets speak TLS: a handshake failure shows as TargetTLSNegotiationErrorCount and 502');
  return { issues, lines };
}

function evaluate(ev: TargetGroupConfigEvidence, facts: Readonly<Facts>): CheckResult {
  const reviews = ev.targetGroups.map(({ group, attributes }) => review(group, attributes, ev.listeners, ev.observedHealthCodes));
  const issues = reviews.flatMap((r) => r.issues);
  const details = [...issues.map((i) => `${i.tg}: ${i.text}`), ...reviews.flatMap((r) => r.lines)];
  const primaryArn = facts['tg.arn'] ? String(facts['tg.arn']) : ev.targetGroups[0]?.group.arn;
  const primary = ev.targetGroups.find((t) => t.group.arn === primaryArn) ?? ev.targetGroups[0];
  const out: Facts = {};
  if (primary) {
    const hc = primary.group.healthCheck;
    out['tg.healthCheckPath'] = hc.path ?? '';
    out['tg.healthCheckPort'] = hc.port ?? 'traffic-port';
    out['tg.healthCheckProtocol'] = hc.protocol ?? '';
    out['tg.matcher'] = hc.matcher ?? '';
    out['tg.deregistrationDelaySeconds'] = Number(primary.attributes['deregistration_delay.timeout_seconds'] ?? 300);
    out['tg.protocolVersion'] = primary.group.protocolVersion ?? '';
    out['tg.slowStartSeconds'] = Number(primary.attributes['slow_start.duration_seconds'] ?? 0);
    out['tg.targetType'] = primary.group.targetType;
    if (primary.group.targetType === 'lambda') out['tg.lambdaMultiValueHeaders'] = primary.attributes['lambda.multi_value_headers.enabled'] === 'true';
  }
  const findings: Finding[] = [];
  for (const cause of [...new Set(issues.map((i) => i.cause).filter((c): c is string => Boolean(c)))]) {
    findings.push({ cause, confidence: cause === 'deregistration-delay' ? 'suspected' : 'likely', evidence: issues.filter((i) => i.cause === cause).map((i) => `${i.tg}: ${i.text}`) });
  }
  if (!issues.some((i) => i.cause === 'health-check-misconfigured') && ev.targetGroups.length) {
    findings.push({ cause: 'health-check-misconfigured', confidence: 'ruled-out', evidence: ['health-check timeout, interval and matcher look sane for every target group'] });
  }
  if (!ev.targetGroups.length) return { status: 'unknown', outcome: 'unknown', summary: 'No target groups to review', details };
  if (issues.length) {
    return { status: 'fail', outcome: 'misconfigured', facts: out, details, findings, summary: `${issues.length} target-group setting${issues.length > 1 ? 's' : ''} likely to cause 5xx: ${issues[0].tg}: ${issues[0].text.split(':')[0]}` };
  }
  return { status: 'pass', outcome: 'ok', facts: out, details, findings, summary: `${ev.targetGroups.length} target group${ev.targetGroups.length > 1 ? 's' : ''}: health checks, protocol and deregistration delay look sane` };
}

export const elbv2TargetGroupConfig: Check<TargetGroupConfigEvidence> = {
  meta: {
    id: 'elbv2.target-group-config',
    title: 'Target group settings: protocol, health check, deregistration delay, slow start',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html',
    apis: [
      'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeLoadBalancers',
    ],
    params: {
      lb: { description: 'Load balancer name or ARN when lb.arn is not known yet' },
      targetGroup: { description: 'Only this target group (name or ARN)' },
      healthCheckStatus: { description: 'Status code(s) the health-check path returns, if known (e.g. 301)' },
    },
    outcomes: ['ok', 'misconfigured'],
    strength: 'config',
    causes: ['deregistration-delay', 'health-check-misconfigured'],
    facts: ['tg.healthCheckPath', 'tg.healthCheckPort', 'tg.healthCheckProtocol', 'tg.matcher', 'tg.deregistrationDelaySeconds', 'tg.protocolVersion', 'tg.slowStartSeconds', 'tg.targetType', 'tg.lambdaMultiValueHeaders'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const groups = await targetGroupsFor(aws, ctx);
    const lbArn = ctx.facts['lb.arn'] || ctx.params.lb ? await loadBalancerArnFor(aws, ctx) : undefined;
    ctx.progress(`DescribeTargetGroupAttributes (${groups.length})`);
    const [attrs, listeners] = await Promise.all([
      mapLimit(groups, 4, (g) => aws.describeTargetGroupAttributes(g.arn)),
      lbArn ? aws.describeListeners(lbArn) : Promise.resolve([]),
    ]);
    return {
      listeners: listeners.map((l) => ({ port: l.port, protocol: l.protocol, targetGroupArns: l.defaultActions.flatMap((a) => a.targetGroupArns) })),
      targetGroups: groups.map((group, i) => ({ group, attributes: attrs[i] })),
      observedHealthCodes: [...new Set([...factList(ctx.facts['targets.healthCheckCodes']), ...factList(ctx.params.healthCheckStatus)])],
    };
  },
  evaluate: (ev, { facts }) => evaluate(ev, facts),
};
