import { mapLimit, unique } from '../aws/batch.js';
import type { SecurityGroup, Subnet } from '../aws/reader.js';
import { cidrRange, sgAllows, type Range } from './ec2-network-rules.js';
import { factList, loadBalancerFor, plural, targetGroupsFor } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface NlbClientPathEvidence {
  lb: { name: string; type: string; scheme: string; securityGroups: string[]; subnetIds: string[] };
  listenerPorts: number[];
  clientCidr: string;
  targetGroups: { arn: string; name: string; protocol?: string; port?: number; targetType: string; healthCheckPort?: string; preserveClientIp: boolean }[];
  targets: { targetGroupArn: string; id: string; port?: number; securityGroups: string[] }[];
  securityGroups: SecurityGroup[];
  subnets: Subnet[];
}

/**
 * The NLB keeps the client's source IP for instance targets (and when preserve_client_ip is on),
 * so the targets' groups must let the clients in, not only the load balancer; health checks come
 * from the NLB's own addresses in its subnets (NLB target-group docs, "Client IP preservation").
 */
function evaluate(ev: NlbClientPathEvidence): CheckResult {
  const sgById = new Map(ev.securityGroups.map((g) => [g.id, g]));
  const client = cidrRange(ev.clientCidr) as Range;
  const lbRanges = ev.subnets.filter((s) => ev.lb.subnetIds.includes(s.id)).map((s) => cidrRange(s.cidr)).filter((r): r is Range => Boolean(r));
  const problems: string[] = [];
  const passes: string[] = [];
  const notes: string[] = [];
  if (ev.lb.type !== 'network') notes.push(`${ev.lb.name} is a ${ev.lb.type} load balancer, not a network one: use the matching flow`);
  const lbGroups = ev.lb.securityGroups.map((id) => sgById.get(id)).filter((g): g is SecurityGroup => Boolean(g));
  if (lbGroups.length) {
    for (const port of ev.listenerPorts) {
      const ok = sgAllows(lbGroups.map((g) => ({ id: g.id, rules: g.ingress })), port, { groupIds: [], ranges: [client] }, 'ingress');
      if (ok) passes.push(`NLB ingress ${port} from ${ev.clientCidr}: ${ok}`);
      else problems.push(`NLB security groups ${ev.lb.securityGroups.join(', ')} allow no ingress on tcp ${port} from the clients (${ev.clientCidr})`);
    }
  } else notes.push('The NLB has no security groups: only the targets\' groups filter the clients.');
  let pairs = 0;
  for (const t of ev.targets) {
    const tg = ev.targetGroups.find((g) => g.arn === t.targetGroupArn);
    const port = t.port ?? tg?.port;
    if (!tg || port === undefined || !t.securityGroups.length) continue;
    const groups = t.securityGroups.map((id) => sgById.get(id)).filter((g): g is SecurityGroup => Boolean(g)).map((g) => ({ id: g.id, rules: g.ingress }));
    const hcPort = tg.healthCheckPort && tg.healthCheckPort !== 'traffic-port' ? Number(tg.healthCheckPort) : port;
    pairs++;
    // With client IP preserved the packets carry the client's address; without it, the NLB's.
    const trafficPeer = tg.preserveClientIp ? { groupIds: ev.lb.securityGroups, ranges: [client] } : { groupIds: ev.lb.securityGroups, ranges: lbRanges };
    const traffic = sgAllows(groups, port, trafficPeer, 'ingress');
    const who = tg.preserveClientIp ? `the clients (${ev.clientCidr}; client IP is preserved)` : `the NLB's subnets (${lbRanges.length ? ev.subnets.filter((s) => ev.lb.subnetIds.includes(s.id)).map((s) => s.cidr).join(', ') : '?'})`;
    if (traffic) passes.push(`${t.id}:${port} from ${who}: ${traffic}`);
    else problems.push(`target ${t.id} groups ${t.securityGroups.join(', ')} allow no ingress on tcp ${port} from ${who}`);
    const hc = sgAllows(groups, hcPort, { groupIds: ev.lb.securityGroups, ranges: lbRanges }, 'ingress');
    if (hc) passes.push(`${t.id} health checks on ${hcPort} from the NLB: ${hc}`);
    else problems.push(`target ${t.id} groups ${t.securityGroups.join(', ')} allow no health checks on tcp ${hcPort} from the NLB's subnets`);
  }
  const facts: Facts = { 'nlb.pairsChecked': pairs, 'nlb.blockedRule': problems[0] ?? '', 'nlb.preserveClientIp': ev.targetGroups.some((g) => g.preserveClientIp) };
  const details = [...problems, ...notes, ...passes.slice(0, 12).map((p) => `ok: ${p}`)];
  if (!pairs && !problems.length) return { status: 'unknown', outcome: 'unknown', summary: 'No target with security groups to check', details, facts };
  const findings: Finding[] = problems.length
    ? [{ cause: 'sg-blocks-lb-to-target', confidence: 'confirmed', evidence: problems.slice(0, 6) }]
    : [{ cause: 'sg-blocks-lb-to-target', confidence: 'ruled-out', evidence: [`security groups let the clients and the NLB's health checks reach ${plural(ev.targets.length, 'target')}`] }];
  if (problems.length) return { status: 'fail', outcome: 'blocked', summary: problems[0], details, facts, findings };
  return { status: 'pass', outcome: 'open', summary: `Clients (${ev.clientCidr}) and health checks reach ${plural(ev.targets.length, 'target')} through the security groups`, details, facts, findings };
}

export const nlbClientPath: Check<NlbClientPathEvidence> = {
  meta: {
    id: 'nlb.client-path',
    title: 'Network Load Balancer: security groups for the clients (client IP preserved) and for health checks',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation',
    apis: [
      'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth', 'ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets',
    ],
    params: {
      lb: { description: 'Load balancer name or ARN when lb.arn is not known yet' },
      clientCidr: { description: 'Where the clients come from (default 0.0.0.0/0: the internet)' },
    },
    outcomes: ['open', 'blocked'],
    strength: 'config',
    causes: ['sg-blocks-lb-to-target'],
    facts: ['nlb.pairsChecked', 'nlb.blockedRule', 'nlb.preserveClientIp'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const l = await loadBalancerFor(aws, ctx);
    const groups = (await targetGroupsFor(aws, ctx)).filter((tg) => tg.targetType === 'instance' || tg.targetType === 'ip');
    ctx.progress(`DescribeTargetGroupAttributes, DescribeTargetHealth (${plural(groups.length, 'target group')})`);
    const attrs = await mapLimit(groups, 4, (tg) => aws.describeTargetGroupAttributes(tg.arn));
    const health = await mapLimit(groups, 4, (tg) => aws.describeTargetHealth(tg.arn));
    const ids = unique(groups.flatMap((tg, i) => (tg.targetType === 'instance' ? health[i].map((t) => t.id) : [])));
    const instances = ids.length ? await aws.describeInstances(ids) : [];
    const byId = new Map(instances.map((i) => [i.id, i]));
    const subnetIds = l.azs.map((a) => a.subnetId);
    const sgIds = unique([...l.securityGroups, ...instances.flatMap((i) => i.securityGroups)]);
    const [securityGroups, subnets] = await Promise.all([
      sgIds.length ? aws.describeSecurityGroups(sgIds) : Promise.resolve([]),
      subnetIds.length ? aws.describeSubnets({ subnetIds }) : Promise.resolve([]),
    ]);
    const ports = factList(ctx.facts['lb.listenerPorts']).map(Number).filter(Number.isFinite);
    return {
      lb: { name: l.name, type: l.type, scheme: l.scheme, securityGroups: l.securityGroups, subnetIds },
      listenerPorts: ports,
      clientCidr: ctx.params.clientCidr?.trim() || '0.0.0.0/0',
      targetGroups: groups.map((tg, i) => ({
        arn: tg.arn, name: tg.name, targetType: tg.targetType,
        ...(tg.protocol ? { protocol: tg.protocol } : {}), ...(tg.port !== undefined ? { port: tg.port } : {}),
        ...(tg.healthCheck.port ? { healthCheckPort: tg.healthCheck.port } : {}),
        // Documented default: on for instance targets, off for IP targets over TCP/TLS.
        preserveClientIp: (attrs[i]['preserve_client_ip.enabled'] ?? (tg.targetType === 'instance' ? 'true' : 'false')) === 'true',
      })),
      targets: groups.flatMap((tg, i) => (tg.targetType === 'instance' ? health[i].map((t) => ({
        targetGroupArn: tg.arn, id: t.id, securityGroups: byId.get(t.id)?.securityGroups ?? [], ...(t.port !== undefined ? { port: t.port } : {}),
      })) : [])),
      securityGroups,
      subnets,
    };
  },
  evaluate: (ev) => evaluate(ev),
};
