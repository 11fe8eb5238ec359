import { mapLimit } from '../aws/batch.js';
import type { TargetHealth } from '../aws/reader.js';
import { plural, table, targetGroupsFor } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface TargetHealthEvidence {
  targetGroups: {
    arn: string;
    name: string;
    port?: number;
    protocol?: string;
    targetType: string;
    healthCheckPath?: string;
    targets: TargetHealth[];
  }[];
}

/** What each reason code tells the responder, in one line (reference §1.6). */
const REASON_MEANING: Record<string, string> = {
  'Elb.RegistrationInProgress': 'registration still in progress',
  'Elb.InitialHealthChecking': 'still running its first health checks',
  'Target.ResponseCodeMismatch': 'health check got a status outside the matcher',
  'Target.Timeout': 'health check timed out (silent drop by SG/NACL, or an overloaded target)',
  'Target.FailedHealthChecks': 'connection refused/reset or malformed health-check response',
  'Elb.InternalError': 'AWS-side internal error',
  'Target.NotRegistered': 'not registered in this target group',
  'Target.NotInUse': 'group not used by a listener, or the target\'s AZ is not enabled on the LB',
  'Target.InvalidState': 'instance is stopped or terminated',
  'Target.IpUnusable': 'IP belongs to a load balancer',
  'Target.DeregistrationInProgress': 'deregistering (deregistration delay not expired)',
  'Target.HealthCheckDisabled': 'health checks are disabled for the group',
};

/** Codes the health check saw, from a ResponseCodeMismatch description: "…codes: [301]". */
export function codesFromDescription(description?: string): string[] {
  const m = /\[([0-9, ]+)\]/.exec(description ?? '');
  return m ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` → NAME (the /aws/lambda/NAME log group and metric dimension). */
export function functionNameFromArn(arn: string): string {
  const m = /:function:([^:]+)/.exec(arn);
  return m ? m[1] : arn;
}

/**
 * For a `lambda` target group the target id is the function's ARN: the facts the Lambda path of
 * the flow reads (which function, which group invokes it). The group is the resolved one when it
 * is a Lambda group, else the first Lambda group behind the load balancer.
 */
function lambdaFacts(ev: TargetHealthEvidence, facts: Readonly<Facts>): Facts {
  const lambdaGroups = ev.targetGroups.filter((g) => g.targetType === 'lambda');
  const group = lambdaGroups.find((g) => g.arn === facts['tg.arn']) ?? lambdaGroups[0];
  if (!group) return {};
  const fn = group.targets[0]?.id;
  // A Lambda group next to the resolved instance group does not turn the walk into the Lambda path.
  const primary = !facts['tg.arn'] || facts['tg.arn'] === group.arn;
  return {
    ...(primary ? { 'tg.targetType': 'lambda' } : {}),
    'lambda.targetGroupArn': group.arn,
    ...(fn ? { 'lambda.function': fn, 'lambda.name': functionNameFromArn(fn) } : {}),
  };
}

function evaluate(ev: TargetHealthEvidence, known: Readonly<Facts> = {}): CheckResult {
  const rows = ev.targetGroups.flatMap((tg) => tg.targets.map((t) => ({ tg, t })));
  const count = (state: string) => rows.filter((r) => r.t.state === state).length;
  const total = rows.length;
  const healthy = count('healthy');
  const unhealthy = count('unhealthy');
  const initial = count('initial');
  const draining = count('draining');
  const unused = count('unused');
  const unavailable = count('unavailable');
  // Lambda groups have health checks off by default: `unavailable` with Target.HealthCheckDisabled
  // is their normal state, and the ALB still sends them requests (lambda-functions.md).
  const unchecked = rows.filter((r) => r.t.state === 'unavailable' && r.t.reason === 'Target.HealthCheckDisabled').length;
  const reasons = rows.filter((r) => r.t.state !== 'healthy' && r.t.reason && r.t.reason !== 'Target.HealthCheckDisabled').map((r) => r.t.reason as string);
  const reasonCounts = (code: string) => reasons.filter((r) => r === code).length;
  const mismatchCodes = [...new Set(rows.filter((r) => r.t.reason === 'Target.ResponseCodeMismatch').flatMap((r) => codesFromDescription(r.t.description)))];

  const details: string[] = [];
  for (const tg of ev.targetGroups) {
    details.push(`${tg.name} (${tg.protocol ?? tg.targetType}:${tg.port ?? '-'}${tg.healthCheckPath ? `, health check ${tg.healthCheckPath}` : ''}): ${plural(tg.targets.length, 'target')}`);
    if (tg.targets.length) {
      details.push(...table(['target', 'port', 'az', 'state', 'reason', 'description'], tg.targets.map((t) => [
        t.id, String(t.port ?? ''), t.az ?? '', t.state, t.reason ?? '', t.description ?? (t.reason ? REASON_MEANING[t.reason] ?? '' : ''),
      ])).map((l) => `  ${l}`));
    }
  }
  for (const code of [...new Set(reasons)]) details.push(`${code}: ${REASON_MEANING[code] ?? 'see the ELB reason-code reference'}`);
  for (const tg of ev.targetGroups) {
    const codes = new Set(tg.targets.filter((t) => t.state !== 'healthy').map((t) => t.reason ?? ''));
    const port = tg.port ?? 'PORT';
    if (codes.has('Target.ResponseCodeMismatch')) {
      const seen = [...new Set(tg.targets.flatMap((t) => codesFromDescription(t.description)))];
      details.push(`Fix ${tg.name}: make ${tg.healthCheckPath ?? 'the health-check path'} answer 200 (no redirect, no auth, any Host), or accept what it returns: aws elbv2 modify-target-group --target-group-arn ${tg.arn} --matcher HttpCode=200${seen.length ? `,${seen.join(',')}` : ''}`);
    }
    if (codes.has('Target.Timeout')) details.push(`Fix ${tg.name}: check that the target's security group and subnet NACL let the load balancer in on ${port} (run ec2.network-path), then target CPU/memory and the app's response time on ${tg.healthCheckPath ?? '/'}`);
    if (codes.has('Target.FailedHealthChecks')) details.push(`Fix ${tg.name}: is the app listening on ${port}? On the target: \`ss -ltnp | grep :${port}\` and \`curl -v http://127.0.0.1:${port}${tg.healthCheckPath ?? '/'}\``);
    if (codes.has('Target.InvalidState')) details.push(`Fix ${tg.name}: start the stopped instances or deregister them: aws elbv2 deregister-targets --target-group-arn ${tg.arn} --targets Id=INSTANCE_ID`);
    if (codes.has('Target.NotInUse')) details.push(`Fix ${tg.name}: enable the target's AZ on the load balancer, or forward a listener rule to this group`);
  }

  const findings: Finding[] = [];
  const cite = (r: { tg: { name: string }; t: TargetHealth }) => `${r.tg.name}/${r.t.id}: ${r.t.state}${r.t.reason ? ` (${r.t.reason}${r.t.description ? `: ${r.t.description}` : ''})` : ''}`;
  const evidenceFor = (pred: (t: TargetHealth) => boolean) => rows.filter((r) => pred(r.t)).slice(0, 5).map(cite);
  if (reasonCounts('Target.ResponseCodeMismatch')) {
    findings.push({ cause: 'health-check-misconfigured', confidence: 'likely', evidence: [
      ...evidenceFor((t) => t.reason === 'Target.ResponseCodeMismatch'),
      ...(mismatchCodes.length ? [`health check saw ${mismatchCodes.join(', ')}: widen the matcher or point the path at a 200 page`] : []),
    ] });
  }
  if (reasonCounts('Target.Timeout')) {
    const ev2 = evidenceFor((t) => t.reason === 'Target.Timeout');
    findings.push({ cause: 'sg-blocks-lb-to-target', confidence: 'suspected', evidence: [...ev2, 'a health-check timeout is what a silent SG/NACL drop looks like'] });
    findings.push({ cause: 'target-crashed-or-overloaded', confidence: 'suspected', evidence: [...ev2, 'or the target is too busy to answer within the health-check timeout'] });
  }
  if (reasonCounts('Target.FailedHealthChecks')) {
    findings.push({ cause: 'target-not-listening', confidence: 'suspected', evidence: [...evidenceFor((t) => t.reason === 'Target.FailedHealthChecks'), 'connection refused or reset on the health-check port'] });
  }
  if (draining) {
    findings.push({ cause: 'deregistration-delay', confidence: 'suspected', evidence: evidenceFor((t) => t.state === 'draining') });
  }

  const facts = {
    'targets.total': total,
    'targets.healthy': healthy,
    'targets.unhealthy': unhealthy,
    'targets.initial': initial,
    'targets.draining': draining,
    'targets.unused': unused,
    'targets.reason': mostCommon(reasons),
    'targets.ids': [...new Set(rows.map((r) => r.t.id))].join(','),
    'targets.healthCheckCodes': mismatchCodes.join(','),
    // Instance ids or IPs of the draining targets: the access-log check matches its 502s to them.
    'targets.drainingIds': [...new Set(rows.filter((r) => r.t.state === 'draining').map((r) => r.t.id))].join(','),
    ...lambdaFacts(ev, known),
  };
  const counts = `${healthy}/${total} healthy${unhealthy ? `, ${unhealthy} unhealthy` : ''}${initial ? `, ${initial} initial` : ''}${draining ? `, ${draining} draining` : ''}${unused ? `, ${unused} unused` : ''}${unavailable - unchecked ? `, ${unavailable - unchecked} unavailable` : ''}${unchecked ? `, ${unchecked} with health checks off` : ''}`;
  const base = { details, facts, findings };

  if (total === 0) {
    return {
      ...base, status: 'fail', outcome: 'no-targets',
      summary: `No targets registered in ${plural(ev.targetGroups.length, 'target group')}: the ALB answers 503 (not 502) for these routes`,
      details: [...details, 'Register targets (or fix the Auto Scaling group / ECS service attachment). A 502 comes from somewhere else.'],
    };
  }
  if (healthy + unchecked === total) {
    const served = unchecked ? `${healthy}/${total} targets healthy, ${unchecked} with health checks off (normal for Lambda targets; they still get requests)` : `${total}/${total} targets healthy`;
    findings.push({ cause: 'all-targets-unhealthy', confidence: 'ruled-out', evidence: [served] });
    findings.push({ cause: 'no-healthy-targets-yet', confidence: 'ruled-out', evidence: [served] });
    if (unchecked) {
      return { ...base, status: 'pass', outcome: 'all-healthy', summary: `${counts}: every target gets traffic; a Lambda target's failures show in LambdaUserError and the access log's error_reason, not in its health` };
    }
    // A health check answered on the traffic port is something listening there (measured by the ALB itself).
    // A Lambda group's health check (when on) invokes the function: no port to listen on.
    const onTrafficPort = !ev.targetGroups.some((g) => g.targetType === 'lambda') && ev.targetGroups.flatMap((g) => g.targets).every((t) => !t.healthCheckPort || t.healthCheckPort === 'traffic-port' || t.healthCheckPort === String(t.port));
    if (onTrafficPort) findings.push({ cause: 'target-not-listening', confidence: 'ruled-out', evidence: [`${total}/${total} targets pass the ALB's health checks on their traffic port`] });
    return { ...base, status: 'pass', outcome: 'all-healthy', summary: `All ${plural(total, 'target')} healthy: look at keep-alive, responses and metrics next` };
  }
  if (healthy === 0 && initial > 0 && unhealthy === 0) {
    findings.push({ cause: 'no-healthy-targets-yet', confidence: 'confirmed', evidence: evidenceFor((t) => t.state === 'initial') });
    return { ...base, status: 'fail', outcome: 'initial-only', summary: `No target has passed its first health check yet (${counts})` };
  }
  if (healthy === 0 && unhealthy === 0 && draining > 0 && draining + initial === total) {
    return { ...base, status: 'fail', outcome: 'draining', summary: `Every target is draining (${counts}): requests in flight are cut when the delay ends` };
  }
  if (healthy + unchecked === 0) {
    findings.push({ cause: 'all-targets-unhealthy', confidence: 'confirmed', evidence: [counts, ...evidenceFor((t) => t.state !== 'healthy')] });
    return { ...base, status: 'fail', outcome: 'all-unhealthy', summary: `No healthy target (${counts}); most common reason ${facts['targets.reason'] || 'none given'}` };
  }
  if (unhealthy > 0 || initial > 0 || unused > 0 || unavailable - unchecked > 0) {
    return { ...base, status: 'warn', outcome: 'some-unhealthy', summary: `${counts}; most common reason ${facts['targets.reason'] || 'none given'}` };
  }
  return { ...base, status: 'warn', outcome: 'draining', summary: `${counts}: deploy or scale-in under way` };
}

export const elbv2TargetHealth: Check<TargetHealthEvidence> = {
  meta: {
    id: 'elbv2.target-health',
    title: 'Target health of every target group behind the load balancer',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
    apis: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeLoadBalancers'],
    params: {
      lb: { description: 'Load balancer name or ARN when lb.arn is not known yet' },
      targetGroup: { description: 'Only this target group (name or ARN)' },
    },
    outcomes: ['all-healthy', 'some-unhealthy', 'all-unhealthy', 'no-targets', 'initial-only', 'draining'],
    causes: ['all-targets-unhealthy', 'deregistration-delay', 'health-check-misconfigured', 'no-healthy-targets-yet', 'sg-blocks-lb-to-target', 'target-crashed-or-overloaded', 'target-not-listening'],
    facts: ['targets.total', 'targets.healthy', 'targets.unhealthy', 'targets.initial', 'targets.draining', 'targets.unused', 'targets.reason', 'targets.ids', 'targets.healthCheckCodes', 'targets.drainingIds', 'tg.targetType', 'lambda.targetGroupArn', 'lambda.function', 'lambda.name'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const groups = await targetGroupsFor(aws, ctx);
    ctx.progress(`DescribeTargetHealth (${plural(groups.length, 'target group')})`);
    const health = await mapLimit(groups, 4, (tg) => aws.describeTargetHealth(tg.arn));
    return {
      targetGroups: groups.map((tg, i) => ({
        arn: tg.arn,
        name: tg.name,
        ...(tg.port !== undefined ? { port: tg.port } : {}),
        ...(tg.protocol ? { protocol: tg.protocol } : {}),
        targetType: tg.targetType,
        ...(tg.healthCheck.path ? { healthCheckPath: tg.healthCheck.path } : {}),
        targets: health[i],
      })),
    };
  },
  evaluate: (ev, { facts }) => evaluate(ev, facts),
};
