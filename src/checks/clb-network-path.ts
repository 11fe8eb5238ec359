import { unique } from '../aws/batch.js';
import { classicLbFor, parseHealthTarget } from './clb-common.js';
import { evaluateNetworkPath, type NetworkPathEvidence } from './ec2-network-path.js';
import { plural } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { Check } from './types.js';

/**
 * The same security-group and NACL walk as for an ALB: each listener's instance port, and the
 * health-check port, from the CLB's groups and subnets to every registered instance.
 */
export const clbNetworkPath: Check<NetworkPathEvidence> = {
  meta: {
    id: 'clb.network-path',
    title: 'Security groups and network ACLs between the Classic Load Balancer and its instances',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-groups.html',
    apis: [
      'elasticloadbalancing:DescribeLoadBalancers', 'ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeNetworkAcls',
    ],
    params: { lb: { description: 'Classic Load Balancer name when clb.name is not known yet' } },
    outcomes: ['open', 'sg-blocked', 'nacl-blocked'],
    strength: 'config',
    causes: ['nacl-blocks-traffic', 'sg-blocks-lb-to-target'],
    facts: ['network.pairsChecked', 'network.blockedRule'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const clb = await classicLbFor(aws, ctx);
    const hcPort = parseHealthTarget(clb.healthCheck.target).port;
    const ports = unique(clb.listeners.map((l) => l.instancePort));
    ctx.progress(`DescribeInstances (${plural(clb.instanceIds.length, 'instance')})`);
    const instances = clb.instanceIds.length ? await aws.describeInstances(clb.instanceIds) : [];
    const sgIds = unique([...clb.securityGroups, ...instances.flatMap((i) => i.securityGroups)]);
    const subnetIds = unique([...clb.subnets, ...instances.map((i) => i.subnetId ?? '').filter(Boolean)]);
    const [securityGroups, subnets] = await Promise.all([
      sgIds.length ? aws.describeSecurityGroups(sgIds) : Promise.resolve([]),
      subnetIds.length ? aws.describeSubnets({ subnetIds }) : Promise.resolve([]),
    ]);
    ctx.progress('DescribeNetworkAcls');
    const nacls = clb.vpcId ? await aws.describeNetworkAcls({ vpcId: clb.vpcId }) : [];
    // One pseudo target group per instance port, so the shared evaluator checks each listener's port.
    const groups = ports.map((port) => ({ arn: `clb:${clb.name}:${port}`, name: `${clb.name}:${port}`, port, targetType: 'instance', ...(hcPort ? { healthCheckPort: String(hcPort) } : {}) }));
    return {
      lb: { name: clb.name, vpcId: clb.vpcId, securityGroups: clb.securityGroups, subnetIds: clb.subnets },
      targetGroups: groups,
      targets: groups.flatMap((g) => instances.map((inst) => ({
        targetGroupArn: g.arn, id: inst.id, kind: 'instance' as const, securityGroups: inst.securityGroups,
        ...(inst.privateIp && inst.state === 'running' ? { ip: inst.privateIp } : {}),
        ...(inst.subnetId ? { subnetId: inst.subnetId } : {}),
      }))),
      securityGroups,
      subnets,
      nacls: nacls.filter((n) => n.isDefault || n.subnetIds.some((s) => subnetIds.includes(s))),
      routeTables: [],
    };
  },
  evaluate: (ev) => evaluateNetworkPath(ev),
};
