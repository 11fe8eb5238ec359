import { mapLimit } from '../aws/batch.js';
import type { Instance, InstanceStatus } from '../aws/reader.js';
import { factList, loadBalancerFor, plural, table, targetGroupsFor } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface InstancesEvidence {
  /** Availability zones enabled on the load balancer. */
  lbAzs: string[];
  requestedIds: string[];
  instances: Instance[];
  statuses: InstanceStatus[];
  /**
   * 5xx the ALB counted in the incident window (ELB 5XX + target 5XX), when the metrics check ran
   * before: a stopped instance with none of them around explains no 502.
   */
  fiveXx?: number;
}

function evaluate(ev: InstancesEvidence): CheckResult {
  if (!ev.requestedIds.length) {
    return { status: 'pass', outcome: 'ok', summary: 'No instance targets (IP or Lambda targets, or none registered): nothing to check here', facts: { 'instances.total': 0 } };
  }
  const status = new Map(ev.statuses.map((s) => [s.id, s]));
  const missing = ev.requestedIds.filter((id) => !ev.instances.some((i) => i.id === id));
  const notRunning = ev.instances.filter((i) => i.state !== 'running');
  const impaired = ev.instances.filter((i) => {
    const s = status.get(i.id);
    return i.state === 'running' && s && (s.systemStatus === 'impaired' || s.instanceStatus === 'impaired');
  });
  const lbAzs = new Set(ev.lbAzs);
  const offAz = lbAzs.size ? ev.instances.filter((i) => i.az && !lbAzs.has(i.az)) : [];
  const details = table(['instance', 'state', 'az', 'system', 'instance check', 'events', 'ip'], ev.instances.map((i) => {
    const s = status.get(i.id);
    return [i.id, i.state + (i.stateReason ? ` (${i.stateReason})` : ''), i.az ?? '', s?.systemStatus ?? '', s?.instanceStatus ?? '', (s?.events ?? []).map((e) => e.code).join(',') , i.privateIp ?? ''];
  }));
  if (missing.length) details.push(`Not found (terminated and gone?): ${missing.join(', ')}`);
  if (lbAzs.size) details.push(`Load balancer AZs: ${[...lbAzs].join(', ')}`);
  const findings: Finding[] = [];
  const facts = {
    'instances.total': ev.instances.length,
    'instances.running': ev.instances.filter((i) => i.state === 'running').length,
    'instances.stopped': notRunning.map((i) => i.id).join(','),
    'instances.impaired': impaired.map((i) => i.id).join(','),
    // id=ip pairs, so the access-log check can tell which log target an instance is.
    'instances.privateIps': ev.instances.filter((i) => i.privateIp).map((i) => `${i.id}=${i.privateIp}`).join(','),
  };
  if (notRunning.length || missing.length) {
    const gone = [...notRunning.map((i) => `${i.id} is ${i.state}`), ...missing.map((id) => `${id} not found`)];
    if (notRunning.length + missing.length === ev.requestedIds.length) {
      findings.push({ cause: 'all-targets-unhealthy', confidence: 'likely', evidence: gone });
    } else if (ev.fiveXx === 0) {
      // The ALB sends nothing to a stopped instance (unused, Target.InvalidState) while others run:
      // with no 5xx in the window it is housekeeping, not the reason for a 502.
      details.push('No 5xx in the window: the stopped instances get no traffic (unused) and cause no 502s.');
      return {
        status: 'warn', outcome: 'stopped', details, facts, findings,
        summary: `${plural(notRunning.length + missing.length, 'target instance')} not running (no traffic, no 5xx): ${gone.slice(0, 3).join('; ')}`,
      };
    } else {
      findings.push({ cause: 'target-crashed-or-overloaded', confidence: 'suspected', evidence: gone });
    }
    details.push('Fix: start the instances (aws ec2 start-instances --instance-ids …) or let the Auto Scaling group replace them; deregister ones that are gone for good.');
    return {
      status: 'fail', outcome: 'stopped', details, facts, findings,
      summary: `${plural(notRunning.length + missing.length, 'target instance')} not running: ${gone.slice(0, 3).join('; ')}`,
    };
  }
  if (impaired.length) {
    findings.push({ cause: 'target-crashed-or-overloaded', confidence: 'likely', evidence: impaired.map((i) => `${i.id}: system ${status.get(i.id)?.systemStatus}, instance ${status.get(i.id)?.instanceStatus}`) });
    details.push('Fix: a failing system check means the host is bad: stop and start the instance (not reboot) to move it; a failing instance check is the OS: read `aws ec2 get-console-output --instance-id ID`, then reboot or replace it.');
    return { status: 'fail', outcome: 'impaired', details, facts, findings, summary: `${plural(impaired.length, 'instance')} failing EC2 status checks: ${impaired.map((i) => i.id).join(', ')}` };
  }
  if (offAz.length) {
    details.push(`Fix: enable ${[...new Set(offAz.map((i) => i.az))].join(', ')} on the load balancer (aws elbv2 set-subnets with a subnet there) or move the targets into ${[...lbAzs].join(', ')}.`);
    return {
      status: 'warn', outcome: 'az-mismatch', details, facts,
      summary: `${plural(offAz.length, 'instance')} in an AZ the load balancer does not serve (${[...new Set(offAz.map((i) => i.az))].join(', ')}): they get no traffic (Target.NotInUse)`,
      findings: [{ cause: 'all-targets-unhealthy', confidence: offAz.length === ev.instances.length ? 'likely' : 'suspected', evidence: offAz.map((i) => `${i.id} in ${i.az}; LB AZs ${[...lbAzs].join(', ')}`) }],
    };
  }
  return { status: 'pass', outcome: 'ok', details, facts, summary: `All ${plural(ev.instances.length, 'instance')} running, status checks passing, in the load balancer's AZs` };
}

export const ec2Instances: Check<InstancesEvidence> = {
  meta: {
    id: 'ec2.instances',
    title: 'Target instances: state, EC2 status checks and availability zones',
    docs: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-system-instance-status-check.html',
    apis: [
      'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
      'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth',
    ],
    params: {
      lb: { description: 'Load balancer name or ARN when lb.arn is not known yet' },
      targetGroup: { description: 'Only this target group (name or ARN)' },
    },
    outcomes: ['ok', 'stopped', 'impaired', 'az-mismatch'],
    strength: 'config',
    causes: ['all-targets-unhealthy', 'target-crashed-or-overloaded'],
    facts: ['instances.total', 'instances.running', 'instances.stopped', 'instances.impaired', 'instances.privateIps'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    let ids = factList(ctx.facts['targets.ids']).filter((id) => id.startsWith('i-'));
    if (!ctx.facts['targets.ids']) {
      const groups = (await targetGroupsFor(aws, ctx)).filter((tg) => tg.targetType === 'instance');
      const health = await mapLimit(groups, 4, (tg) => aws.describeTargetHealth(tg.arn));
      ids = [...new Set(health.flat().map((t) => t.id))];
    }
    let lbAzs = factList(ctx.facts['lb.azs']);
    if (!lbAzs.length && (ctx.facts['lb.arn'] || ctx.params.lb)) lbAzs = (await loadBalancerFor(aws, ctx)).azs.map((a) => a.zone);
    if (!ids.length) return { lbAzs, requestedIds: [], instances: [], statuses: [] };
    ctx.progress(`DescribeInstances (${plural(ids.length, 'id')})`);
    const [instances, statuses] = await Promise.all([aws.describeInstances(ids), aws.describeInstanceStatus(ids)]);
    const elb5xx = ctx.facts['metrics.elb5xx'];
    const target5xx = ctx.facts['metrics.target5xx'];
    const fiveXx = typeof elb5xx === 'number' && typeof target5xx === 'number' ? elb5xx + target5xx : undefined;
    return { lbAzs, requestedIds: ids, instances, statuses, ...(fiveXx !== undefined ? { fiveXx } : {}) };
  },
  evaluate: (ev) => evaluate(ev),
};
