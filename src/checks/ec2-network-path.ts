import { mapLimit, unique } from '../aws/batch.js';
import type { AwsReader, NetworkAcl, NetworkInterface, RouteTable, SecurityGroup, Subnet } from '../aws/reader.js';
import { factList, loadBalancerFor, plural, targetGroupsFor } from './elbv2-common.js';
import { EPHEMERAL, cidrRange, naclDecision, routeFor, routeTableFor, sgAllows, type Range } from './ec2-network-rules.js';
import { requireAws } from './env.js';
import type { CheckResult, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface NetworkPathEvidence {
  lb: { name: string; vpcId: string; securityGroups: string[]; subnetIds: string[] };
  targetGroups: { arn: string; name: string; port?: number; targetType: string; healthCheckPort?: string }[];
  targets: { targetGroupArn: string; id: string; port?: number; ip?: string; subnetId?: string; securityGroups: string[]; kind: 'instance' | 'ip' }[];
  securityGroups: SecurityGroup[];
  subnets: Subnet[];
  nacls: NetworkAcl[];
  routeTables: RouteTable[];
  /** Why the IP targets' ENIs could not be read (permission, recording without them). */
  eniError?: string;
}

interface Problem { kind: 'sg' | 'nacl' | 'route'; text: string }

export function evaluateNetworkPath(ev: NetworkPathEvidence): CheckResult {
  const sgById = new Map(ev.securityGroups.map((g) => [g.id, g]));
  const subnetById = new Map(ev.subnets.map((s) => [s.id, s]));
  const aclFor = (subnetId: string) => ev.nacls.find((a) => a.subnetIds.includes(subnetId)) ?? ev.nacls.find((a) => a.isDefault && a.vpcId === ev.lb.vpcId);
  const lbSubnets = ev.lb.subnetIds.map((id) => subnetById.get(id)).filter((s): s is Subnet => Boolean(s));
  const lbRanges = lbSubnets.map((s) => cidrRange(s.cidr)).filter((r): r is Range => Boolean(r));
  const lbGroups = ev.lb.securityGroups.map((id) => sgById.get(id)).filter((g): g is SecurityGroup => Boolean(g));

  const problems = new Map<string, Problem & { targets: string[] }>();
  const passes = new Set<string>();
  const note = (p: Problem, target: string) => {
    const entry = problems.get(p.text) ?? { ...p, targets: [] };
    if (!entry.targets.includes(target)) entry.targets.push(target);
    problems.set(p.text, entry);
  };
  const notes: string[] = [];
  let checkedPairs = 0;

  for (const t of ev.targets) {
    const tg = ev.targetGroups.find((g) => g.arn === t.targetGroupArn);
    if (!tg || !t.ip) continue;
    const trafficPort = t.port ?? tg.port;
    if (trafficPort === undefined) continue;
    const hcPort = tg.healthCheckPort && tg.healthCheckPort !== 'traffic-port' ? Number(tg.healthCheckPort) : trafficPort;
    const ports = unique([trafficPort, hcPort]);
    const label = `${t.id}:${trafficPort}`;
    const targetRange = cidrRange(`${t.ip}/32`) as Range;
    for (const port of ports) {
      const what = port === trafficPort ? `port ${port}` : `health-check port ${port}`;
      checkedPairs++;
      // Security groups are stateful: checking the forward direction covers the reply.
      if (lbGroups.length) {
        const egress = sgAllows(lbGroups.map((g) => ({ id: g.id, rules: g.egress })), port, { groupIds: t.securityGroups, ranges: [targetRange] }, 'egress');
        if (egress) passes.add(`LB egress ${what}: ${egress}`);
        else note({ kind: 'sg', text: `LB security groups ${ev.lb.securityGroups.join(', ')} have no egress rule to ${what} on the targets (add: egress tcp ${port} to ${t.securityGroups[0] ?? t.ip})` }, label);
      }
      if (t.kind === 'instance' || t.securityGroups.length) {
        const targetGroups = t.securityGroups.map((id) => sgById.get(id)).filter((g): g is SecurityGroup => Boolean(g));
        const ingress = sgAllows(targetGroups.map((g) => ({ id: g.id, rules: g.ingress })), port, { groupIds: ev.lb.securityGroups, ranges: lbRanges }, 'ingress');
        if (ingress) passes.add(`target ingress ${what}: ${ingress}`);
        else note({ kind: 'sg', text: `target security groups ${t.securityGroups.join(', ') || '(none)'} allow no ingress on tcp ${port} from the LB (${ev.lb.securityGroups.join(', ') || lbSubnets.map((s) => s.cidr).join(', ')}): add \`aws ec2 authorize-security-group-ingress --group-id ${t.securityGroups[0] ?? 'sg-…'} --protocol tcp --port ${port} --source-group ${ev.lb.securityGroups[0] ?? 'sg-…'}\`` }, label);
      }
      // NACLs are stateless and do not apply inside one subnet.
      for (const lbSubnet of lbSubnets) {
        if (!t.subnetId || lbSubnet.id === t.subnetId) continue;
        const lbAcl = aclFor(lbSubnet.id);
        const tAcl = aclFor(t.subnetId);
        const lbRange = cidrRange(lbSubnet.cidr) as Range;
        const legs: [NetworkAcl | undefined, boolean, Range, Range, string][] = [
          [lbAcl, true, targetRange, { start: port, end: port }, `LB subnet ${lbSubnet.id} → target ${what}`],
          [tAcl, false, lbRange, { start: port, end: port }, `target subnet ${t.subnetId} ← LB subnet ${lbSubnet.cidr} on ${what}`],
          [tAcl, true, lbRange, EPHEMERAL, `target subnet ${t.subnetId} → LB subnet ${lbSubnet.cidr} replies on ephemeral 1024-65535`],
          [lbAcl, false, targetRange, EPHEMERAL, `LB subnet ${lbSubnet.id} ← target replies on ephemeral 1024-65535`],
        ];
        for (const [acl, egress, peer, range, leg] of legs) {
          if (!acl) continue;
          const d = naclDecision(acl, egress, peer, range);
          if (d.allowed) passes.add(`${leg}: ${d.rule}`);
          else note({ kind: 'nacl', text: `${leg} blocked by ${d.rule}` }, label);
        }
      }
    }
    if (t.kind === 'ip') {
      for (const lbSubnet of lbSubnets) {
        const table = routeTableFor(ev.routeTables, lbSubnet.id, ev.lb.vpcId);
        const route = table && routeFor(table, t.ip);
        if (!table) notes.push(`No route table found for LB subnet ${lbSubnet.id}`);
        else if (!route || route.state === 'blackhole') {
          note({ kind: 'route', text: `route table ${table.id} (LB subnet ${lbSubnet.id}) has ${route ? `a blackhole route ${route.destination}` : 'no route'} to target IP ${t.ip}: add a route via the peering/transit gateway` }, label);
        } else passes.add(`route ${table.id}: ${route.destination} → ${route.target} covers ${t.ip}`);
      }
    }
  }
  const skippedIp = ev.targets.filter((t) => t.kind === 'ip' && !t.securityGroups.length).length;
  if (skippedIp) notes.push(`${plural(skippedIp, 'IP target')} without a network interface in the VPC${ev.eniError ? ` (${ev.eniError})` : ''}: their security groups are not checked (only LB egress, NACLs and routes)`);
  const unresolved = ev.targets.filter((t) => !t.ip).map((t) => t.id);
  if (unresolved.length) notes.push(`No address for ${unresolved.slice(0, 5).join(', ')}${unresolved.length > 5 ? ' …' : ''} (stopped, terminated or outside the VPC): not checked`);

  const byKind = (k: Problem['kind']) => [...problems.values()].filter((p) => p.kind === k);
  const lines = (ps: (Problem & { targets: string[] })[]) => ps.map((p) => `${p.text} [${p.targets.slice(0, 4).join(', ')}${p.targets.length > 4 ? `, +${p.targets.length - 4}` : ''}]`);
  const allowed = [...passes].slice(0, 12).map((p) => `ok: ${p}`);
  const details = [...lines([...problems.values()]), ...notes, ...allowed];
  const facts = { 'network.pairsChecked': checkedPairs, 'network.blockedRule': [...problems.values()][0]?.text ?? '' };

  const sg = byKind('sg');
  const nacl = byKind('nacl');
  const route = byKind('route');
  const findings: Finding[] = [];
  if (sg.length) findings.push({ cause: 'sg-blocks-lb-to-target', confidence: 'confirmed', evidence: lines(sg) });
  if (nacl.length) findings.push({ cause: 'nacl-blocks-traffic', confidence: 'confirmed', evidence: lines(nacl) });
  // A target whose own groups were not read cannot rule the cause out.
  if (!sg.length && checkedPairs && !skippedIp) findings.push({ cause: 'sg-blocks-lb-to-target', confidence: 'ruled-out', evidence: [`security groups allow the LB to reach ${plural(ev.targets.length, 'target')} on every traffic and health-check port`] });
  if (!nacl.length && checkedPairs) findings.push({ cause: 'nacl-blocks-traffic', confidence: 'ruled-out', evidence: ['NACLs allow both directions, including ephemeral return ports'] });
  if (!checkedPairs) {
    return { status: 'unknown', outcome: 'unknown', summary: 'No target with a known address to check the path to', details: notes, facts };
  }
  const base = { details, facts, findings };
  if (sg.length) return { ...base, status: 'fail', outcome: 'sg-blocked', summary: `Security group blocks the LB → target path: ${sg[0].text.split(':')[0]}` };
  if (nacl.length) return { ...base, status: 'fail', outcome: 'nacl-blocked', summary: `Network ACL blocks traffic: ${nacl[0].text}` };
  if (route.length) return { ...base, status: 'fail', outcome: 'route-missing', summary: route[0].text };
  if (skippedIp) return { ...base, status: 'warn', outcome: 'open', summary: `LB → ${plural(ev.targets.length, 'target')}: NACLs, routes and the LB's egress allow traffic; the security groups of ${plural(skippedIp, 'IP target')} were not read (ec2:DescribeNetworkInterfaces)` };
  const hasIp = ev.targets.some((t) => t.kind === 'ip');
  return { ...base, status: 'pass', outcome: 'open', summary: `LB → ${plural(ev.targets.length, 'target')}: security groups, NACLs${hasIp ? ' and routes' : ''} allow traffic and health checks both ways` };
}

/**
 * IP targets carry no security groups in the target-health answer: their ENIs do. An ENI read
 * that fails (no ec2:DescribeNetworkInterfaces, a recording made before it was read) leaves the
 * rest of the path check standing.
 */
async function interfacesFor(aws: AwsReader, ips: string[], vpcId: string, progress: (m: string) => void): Promise<{ enis: NetworkInterface[]; eniError?: string }> {
  if (!ips.length) return { enis: [] };
  progress(`DescribeNetworkInterfaces (${plural(ips.length, 'IP target')})`);
  try {
    return { enis: await aws.describeNetworkInterfaces({ privateIps: ips, vpcId }) };
  } catch (err) {
    return { enis: [], eniError: `ec2:DescribeNetworkInterfaces failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

export const ec2NetworkPath: Check<NetworkPathEvidence> = {
  meta: {
    id: 'ec2.network-path',
    title: 'Security groups, network ACLs and routes between the load balancer and its targets',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html',
    apis: [
      'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth',
      'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeNetworkAcls', 'ec2:DescribeRouteTables',
    ],
    params: {
      lb: { description: 'Load balancer name or ARN when lb.arn is not known yet' },
      targetGroup: { description: 'Only this target group (name or ARN)' },
    },
    outcomes: ['open', 'sg-blocked', 'nacl-blocked', 'route-missing'],
    strength: 'config',
    causes: ['nacl-blocks-traffic', 'sg-blocks-lb-to-target'],
    facts: ['network.pairsChecked', 'network.blockedRule'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const f = ctx.facts;
    const lb = f['lb.subnets'] && f['lb.vpcId']
      ? { name: String(f['lb.name'] ?? ''), vpcId: String(f['lb.vpcId']), securityGroups: factList(f['lb.securityGroups']), subnetIds: factList(f['lb.subnets']) }
      : await loadBalancerFor(aws, ctx).then((l) => ({ name: l.name, vpcId: l.vpcId, securityGroups: l.securityGroups, subnetIds: l.azs.map((a) => a.subnetId) }));
    const groups = (await targetGroupsFor(aws, ctx)).filter((tg) => tg.targetType === 'instance' || tg.targetType === 'ip');
    ctx.progress(`DescribeTargetHealth (${plural(groups.length, 'target group')})`);
    const health = await mapLimit(groups, 4, (tg) => aws.describeTargetHealth(tg.arn));
    const instanceIds = unique(groups.flatMap((tg, i) => (tg.targetType === 'instance' ? health[i].map((t) => t.id) : [])));
    const hasIp = groups.some((tg) => tg.targetType === 'ip');
    ctx.progress(`DescribeInstances (${plural(instanceIds.length, 'instance')})`);
    const instances = instanceIds.length ? await aws.describeInstances(instanceIds) : [];
    const byId = new Map(instances.map((i) => [i.id, i]));
    const ipTargets = unique(groups.flatMap((tg, i) => (tg.targetType === 'ip' ? health[i].map((t) => t.id) : [])));
    const { enis, eniError } = await interfacesFor(aws, ipTargets, lb.vpcId, ctx.progress);
    const eniByIp = new Map(enis.flatMap((n) => n.privateIps.map((ip) => [ip, n] as const)));
    const sgIds = unique([...lb.securityGroups, ...instances.flatMap((i) => i.securityGroups), ...enis.flatMap((n) => n.securityGroups)]);
    // IP targets need the VPC's subnets to find theirs; instances name their own.
    const subnetScope = hasIp ? { vpcId: lb.vpcId } : { subnetIds: unique([...lb.subnetIds, ...instances.map((i) => i.subnetId ?? '').filter(Boolean)]) };
    const [securityGroups, subnets] = await Promise.all([
      sgIds.length ? aws.describeSecurityGroups(sgIds) : Promise.resolve([]),
      aws.describeSubnets(subnetScope),
    ]);
    const targets: NetworkPathEvidence['targets'] = groups.flatMap((tg, i) => health[i].map((t) => {
      if (tg.targetType === 'instance') {
        const inst = byId.get(t.id);
        return {
          targetGroupArn: tg.arn, id: t.id, kind: 'instance' as const, securityGroups: inst?.securityGroups ?? [],
          ...(t.port !== undefined ? { port: t.port } : {}),
          ...(inst?.privateIp && inst.state === 'running' ? { ip: inst.privateIp } : {}),
          ...(inst?.subnetId ? { subnetId: inst.subnetId } : {}),
        };
      }
      const eni = eniByIp.get(t.id);
      const addr = cidrRange(`${t.id}/32`);
      const subnet = addr && subnets.find((s) => { const r = cidrRange(s.cidr); return r && r.start <= addr.start && addr.start <= r.end; });
      const subnetId = eni?.subnetId ?? (subnet ? subnet.id : undefined);
      return {
        targetGroupArn: tg.arn, id: t.id, kind: 'ip' as const, securityGroups: eni?.securityGroups ?? [], ip: t.id,
        ...(t.port !== undefined ? { port: t.port } : {}),
        ...(subnetId ? { subnetId } : {}),
      };
    }));
    const usedSubnets = unique([...lb.subnetIds, ...targets.map((t) => t.subnetId ?? '').filter(Boolean)]);
    ctx.progress('DescribeNetworkAcls');
    const [nacls, routeTables] = await Promise.all([
      aws.describeNetworkAcls({ vpcId: lb.vpcId }),
      hasIp ? aws.describeRouteTables({ vpcId: lb.vpcId }) : Promise.resolve([]),
    ]);
    return {
      lb,
      targetGroups: groups.map((tg) => ({
        arn: tg.arn, name: tg.name, targetType: tg.targetType,
        ...(tg.port !== undefined ? { port: tg.port } : {}),
        ...(tg.healthCheck.port ? { healthCheckPort: tg.healthCheck.port } : {}),
      })),
      targets,
      securityGroups,
      subnets: subnets.filter((s) => usedSubnets.includes(s.id) || hasIp),
      nacls: nacls.filter((n) => n.isDefault || n.subnetIds.some((s) => usedSubnets.includes(s))),
      routeTables,
      ...(eniError ? { eniError } : {}),
    };
  },
  evaluate: (ev) => evaluateNetworkPath(ev),
};
