import type { ClassicInstanceState } from '../aws/reader.js';
import { classicLbFor, classicNameFor, parseHealthTarget } from './clb-common.js';
import { plural, table } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface ClbInstanceHealthEvidence {
  name: string;
  healthCheckTarget: string;
  states: ClassicInstanceState[];
}

// Descriptions AWS documents for InstanceState (API_InstanceState); matched loosely, the wording varies.
const FAILED_CHECKS = /failed at least the UnhealthyThreshold|not passed the configured HealthyThreshold/i;
const NOT_RUNNING = /(pending|stopped|terminated|stopping|shutting-down) state/i;

function evaluate(ev: ClbInstanceHealthEvidence): CheckResult {
  const out = ev.states.filter((s) => s.state === 'OutOfService');
  const inService = ev.states.filter((s) => s.state === 'InService');
  const hc = parseHealthTarget(ev.healthCheckTarget);
  const details = table(['instance', 'state', 'reason', 'description'], ev.states.map((s) => [s.instanceId, s.state, s.reasonCode ?? '-', s.description ?? '-']));
  const facts: Facts = {
    'clb.inService': inService.length,
    'clb.outOfService': out.length,
    'clb.unhealthyIds': out.map((s) => s.instanceId).join(','),
  };
  if (!ev.states.length) {
    return {
      status: 'fail', outcome: 'no-instances', facts, details: ['A Classic LB with no registered instance answers 503 to every request.'],
      summary: `${ev.name} has no registered instances`,
      findings: [{ cause: 'all-targets-unhealthy', confidence: 'confirmed', evidence: [`DescribeInstanceHealth ${ev.name}: no instances registered`] }],
    };
  }
  const evidence = out.map((s) => `${s.instanceId} OutOfService (${s.reasonCode ?? 'N/A'}): ${s.description ?? 'no description'}`);
  const findings: Finding[] = [];
  const failing = out.filter((s) => FAILED_CHECKS.test(s.description ?? ''));
  const stopped = out.filter((s) => NOT_RUNNING.test(s.description ?? ''));
  if (out.length === ev.states.length) {
    findings.push({ cause: 'all-targets-unhealthy', confidence: 'confirmed', evidence: [...evidence, 'with no InService instance a CLB answers 503 (it does not fail open); a 502 seen by clients then comes from a hop in front'] });
  }
  if (failing.length) {
    details.push(`Failing ${ev.healthCheckTarget}: from an instance, \`curl -sv http://localhost:${hc.port ?? 80}${hc.path ?? '/'}\` must answer 200 within the timeout; the LB's security group must reach port ${hc.port ?? '?'}.`);
    findings.push({ cause: 'health-check-misconfigured', confidence: 'suspected', evidence: failing.map((s) => `${s.instanceId}: ${s.description}`) });
  }
  if (stopped.length) findings.push({ cause: 'target-crashed-or-overloaded', confidence: 'confirmed', evidence: stopped.map((s) => `${s.instanceId}: ${s.description}`) });
  if (!out.length) {
    return { status: 'pass', outcome: 'healthy', facts, details, summary: `All ${plural(inService.length, 'instance')} InService (${ev.healthCheckTarget})`,
      findings: [{ cause: 'all-targets-unhealthy', confidence: 'ruled-out', evidence: [`${inService.length}/${ev.states.length} InService`] }] };
  }
  const outcome = out.length === ev.states.length ? 'all-unhealthy' : 'some-unhealthy';
  return {
    status: 'fail', outcome, facts, details, findings,
    summary: `${out.length}/${ev.states.length} instances OutOfService: ${evidence[0]}`,
  };
}

export const clbInstanceHealth: Check<ClbInstanceHealthEvidence> = {
  meta: {
    id: 'clb.instance-health',
    title: 'Classic Load Balancer instance health (InService / OutOfService, reason and description)',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/ts-elb-healthcheck.html',
    apis: ['elasticloadbalancing:DescribeInstanceHealth', 'elasticloadbalancing:DescribeLoadBalancers'],
    params: { lb: { description: 'Classic Load Balancer name when clb.name is not known yet' } },
    outcomes: ['healthy', 'some-unhealthy', 'all-unhealthy', 'no-instances'],
    strength: 'measured',
    causes: ['all-targets-unhealthy', 'health-check-misconfigured', 'target-crashed-or-overloaded'],
    facts: ['clb.inService', 'clb.outOfService', 'clb.unhealthyIds'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const name = classicNameFor(ctx);
    const healthCheckTarget = ctx.facts['clb.healthCheckTarget'] ? String(ctx.facts['clb.healthCheckTarget']) : (await classicLbFor(aws, ctx)).healthCheck.target;
    ctx.progress(`DescribeInstanceHealth ${name}`);
    return { name, healthCheckTarget, states: await aws.describeInstanceHealth(name) };
  },
  evaluate: (ev) => evaluate(ev),
};
