import type { ClassicLoadBalancer } from '../aws/reader.js';
import { isClassicNotFound } from './clb-common.js';
import { plural } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface ClbResolveEvidence {
  query?: string;
  lb?: ClassicLoadBalancer;
  /** Every Classic LB in the region when the name was not given or not found. */
  candidates: { name: string; dnsName: string; scheme: string }[];
}

function evaluate(ev: ClbResolveEvidence): CheckResult {
  const listing = ev.candidates.slice(0, 20).map((c) => `  ${c.name} (${c.scheme}) ${c.dnsName}`);
  if (!ev.lb) {
    if (!ev.query && ev.candidates.length > 1) {
      return { status: 'warn', outcome: 'ambiguous', summary: `${plural(ev.candidates.length, 'Classic Load Balancer')} in this region: name one (--lb)`, details: listing };
    }
    return {
      status: 'warn', outcome: 'not-found',
      summary: ev.query ? `No Classic Load Balancer named ${ev.query}` : 'No Classic Load Balancer in this region',
      details: ev.candidates.length ? ['Classic Load Balancers in this region:', ...listing] : ['Check --region: load balancers are per region. An ALB or NLB is found by `badgate run alb` / `run nlb`.'],
    };
  }
  const lb = ev.lb;
  const details = [`${lb.name}: Classic, ${lb.scheme}, ${lb.dnsName}${lb.vpcId ? `, ${lb.vpcId}` : ' (EC2-Classic, no VPC)'}`];
  for (const l of lb.listeners) details.push(`listener ${l.protocol}:${l.loadBalancerPort} → instances ${l.instanceProtocol}:${l.instancePort}`);
  details.push(`health check ${lb.healthCheck.target} every ${lb.healthCheck.intervalSeconds ?? '?'} s, timeout ${lb.healthCheck.timeoutSeconds ?? '?'} s, unhealthy after ${lb.healthCheck.unhealthyThreshold ?? '?'}`);
  details.push(`instances: ${lb.instanceIds.join(', ') || '(none registered)'}`, `security groups: ${lb.securityGroups.join(', ') || '(none)'}`, `subnets: ${lb.subnets.join(', ') || '(none)'}`);
  const notes: string[] = [];
  const http = lb.listeners.filter((l) => /^HTTPS?$/i.test(l.protocol));
  // TCP/SSL listeners pass bytes through: the CLB makes no HTTP status of its own there.
  if (lb.listeners.length && !http.length) notes.push('Only TCP/SSL listeners: this CLB makes no HTTP responses, so a 502 comes from the instance or a proxy behind it.');
  if (!lb.listeners.length) notes.push('No listeners: nothing reaches this load balancer.');
  if (!lb.instanceIds.length) notes.push('No registered instances: a CLB with none answers 503, not 502.');
  const main = http[0] ?? lb.listeners[0];
  const facts: Facts = {
    'clb.name': lb.name,
    'clb.dns': lb.dnsName,
    'clb.scheme': lb.scheme,
    'clb.vpcId': lb.vpcId,
    'clb.azs': lb.azs.join(','),
    'clb.subnets': lb.subnets.join(','),
    'clb.securityGroups': lb.securityGroups.join(','),
    'clb.instanceIds': lb.instanceIds.join(','),
    'clb.instanceCount': lb.instanceIds.length,
    'clb.listeners': lb.listeners.map((l) => `${l.protocol}:${l.loadBalancerPort}->${l.instanceProtocol}:${l.instancePort}`).join(','),
    'clb.httpListener': http.length > 0,
    'clb.healthCheckTarget': lb.healthCheck.target,
  };
  if (main) {
    facts['clb.instancePort'] = main.instancePort;
    facts['clb.instanceProtocol'] = main.instanceProtocol;
  }
  return {
    status: 'pass', outcome: 'found',
    summary: `${lb.name} (${lb.scheme} Classic): ${plural(lb.listeners.length, 'listener')}, ${plural(lb.instanceIds.length, 'instance')}, health check ${lb.healthCheck.target}`,
    details: [...details, ...notes], facts,
  };
}

export const clbResolve: Check<ClbResolveEvidence> = {
  meta: {
    id: 'clb.resolve',
    title: 'Find the Classic Load Balancer: listeners, instances, security groups, subnets, health check',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html',
    apis: ['elasticloadbalancing:DescribeLoadBalancers'],
    params: { lb: { description: 'Classic Load Balancer name; empty picks the only one in the region' } },
    outcomes: ['found', 'not-found', 'ambiguous'],
    facts: [
      'clb.name', 'clb.dns', 'clb.scheme', 'clb.vpcId', 'clb.azs', 'clb.subnets', 'clb.securityGroups', 'clb.instanceIds',
      'clb.instanceCount', 'clb.listeners', 'clb.httpListener', 'clb.healthCheckTarget', 'clb.instancePort', 'clb.instanceProtocol',
    ],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const query = ctx.params.lb?.trim() || undefined;
    ctx.progress(query ? `DescribeLoadBalancers ${query} (Classic)` : 'DescribeLoadBalancers (Classic, all)');
    if (query) {
      try {
        const [lb] = await aws.describeClassicLoadBalancers([query]);
        if (lb) return { query, lb, candidates: [] };
      } catch (err) {
        if (!isClassicNotFound(err)) throw err;
      }
    }
    const all = await aws.describeClassicLoadBalancers();
    const candidates = all.map((l) => ({ name: l.name, dnsName: l.dnsName, scheme: l.scheme }));
    // A DNS name given as --lb still finds its LB.
    const byDns = query ? all.find((l) => l.dnsName.toLowerCase() === query.toLowerCase()) : undefined;
    if (byDns) return { query, lb: byDns, candidates };
    if (!query && all.length === 1) return { lb: all[0], candidates };
    return { ...(query ? { query } : {}), candidates };
  },
  evaluate: (ev) => evaluate(ev),
};
