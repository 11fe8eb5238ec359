import { mapLimit } from '../aws/batch.js';
import type { Action, AwsReader, Listener, LoadBalancer, Rule, TargetGroup } from '../aws/reader.js';
import { isLbArn, plural, table } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import { cnameChain, hostOf } from './host-names.js';

export interface ResolveEvidence {
  query?: string;
  /** The host and every name its CNAME chain passed through, when `lb` was a URL/hostname. */
  hostnames: string[];
  /** Load balancers offered to the responder when the choice was not unique. */
  candidates: LoadBalancer[];
  lb?: LoadBalancer;
  listeners: Listener[];
  /** Rules per listener ARN. */
  rules: Record<string, Rule[]>;
  targetGroups: TargetGroup[];
  /** The flow's kind of LB (`type` param); absent means application. */
  kind?: LbKind;
  /** Taken because it is the only LB of the flow's kind in the region, not because a name matched. */
  pickedOnly?: boolean;
}

export interface LoadBalancerChoice {
  name: string;
  arn: string;
  type: string;
  scheme: string;
  state: string;
  dnsName: string;
}

/** Every load balancer in the region, for a picker. */
export async function listLoadBalancers(reader: AwsReader): Promise<LoadBalancerChoice[]> {
  const all = await reader.describeLoadBalancers();
  return all.map((lb) => ({ name: lb.name, arn: lb.arn, type: lb.type, scheme: lb.scheme, state: lb.state, dnsName: lb.dnsName }));
}

function normalizeDns(name: string): string {
  return name.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');
}

/** What the flow is about: `application` (the default) or `network`; it decides what "the only one" means. */
export type LbKind = 'application' | 'network';

const KIND_NAME: Record<LbKind, string> = { application: 'Application Load Balancer', network: 'Network Load Balancer' };

function lbKind(value: string | undefined): LbKind {
  return value?.trim().toLowerCase() === 'network' ? 'network' : 'application';
}

/** The LB whose DNS name is one of the host's names (the host itself or a CNAME on its chain). */
function byDnsName(all: LoadBalancer[], hostnames: string[]): LoadBalancer | undefined {
  const names = new Set(hostnames.map(normalizeDns));
  return all.find((l) => names.has(normalizeDns(l.dnsName)));
}

async function findLoadBalancer(aws: AwsReader, query: string | undefined, opts: { url?: string; kind: LbKind }, cname: (host: string) => Promise<string[]>): Promise<Pick<ResolveEvidence, 'lb' | 'candidates' | 'hostnames' | 'pickedOnly'>> {
  if (!query) {
    const all = await aws.describeLoadBalancers();
    const ofKind = all.filter((lb) => lb.type === opts.kind);
    // Only a URL was given: its host (or a CNAME on its chain) may be the LB's own DNS name.
    const host = opts.url ? hostOf(opts.url) : undefined;
    const hostnames = host ? await cnameChain(host, cname) : [];
    const named = hostnames.length ? byDnsName(ofKind, hostnames) : undefined;
    if (named) return { lb: named, candidates: [], hostnames };
    if (ofKind.length === 1) return { lb: ofKind[0], candidates: [], hostnames, pickedOnly: true };
    return { candidates: ofKind.length ? ofKind : all, hostnames };
  }
  if (isLbArn(query)) {
    const found = await lookup(aws, { arns: [query] });
    return { ...(found ? { lb: found } : {}), candidates: [], hostnames: [] };
  }
  const host = hostOf(query);
  if (host) {
    const hostnames = await cnameChain(host, cname);
    const all = await aws.describeLoadBalancers();
    const lb = byDnsName(all, hostnames);
    return { ...(lb ? { lb } : {}), candidates: lb ? [] : all, hostnames };
  }
  const byName = await lookup(aws, { names: [query] });
  if (byName) return { lb: byName, candidates: [], hostnames: [] };
  return { candidates: await aws.describeLoadBalancers(), hostnames: [] };
}

/** Not-found is an answer here, not an error: the responder may have mistyped the name. */
async function lookup(aws: AwsReader, q: { arns?: string[]; names?: string[] }): Promise<LoadBalancer | undefined> {
  try {
    return (await aws.describeLoadBalancers(q))[0];
  } catch (err) {
    if (/LoadBalancerNotFound/.test((err as Error).name ?? '')) return undefined;
    throw err;
  }
}

function describeAction(a: Action, tgName: (arn: string) => string): string {
  if (a.type === 'forward') return `forward → ${a.targetGroupArns.map(tgName).join(' + ') || '(no target group)'}`;
  if (a.type === 'fixed-response') return `fixed-response ${a.fixedResponse?.statusCode ?? '?'}${a.fixedResponse?.contentType ? ` (${a.fixedResponse.contentType})` : ''}`;
  if (a.type === 'redirect') {
    const r = a.redirect ?? {};
    return `redirect ${r.statusCode ?? ''} → ${r.protocol ?? '#{protocol}'}://${r.host ?? '#{host}'}:${r.port ?? '#{port}'}${r.path ?? '/#{path}'}`;
  }
  return a.type;
}

function describeActions(actions: Action[], tgName: (arn: string) => string): string {
  return [...actions].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map((a) => describeAction(a, tgName)).join(', then ');
}

/** The listener a typical request hits: HTTPS:443, then HTTP:80, then the lowest port. */
function primaryListeners(listeners: Listener[]): Listener[] {
  const rank = (l: Listener) => (l.port === 443 ? 0 : l.port === 80 ? 1 : 2);
  return [...listeners].sort((a, b) => rank(a) - rank(b) || a.port - b.port);
}

function primaryTargetGroup(ev: ResolveEvidence): TargetGroup | undefined {
  const byArn = new Map(ev.targetGroups.map((tg) => [tg.arn, tg]));
  for (const l of primaryListeners(ev.listeners)) {
    // A redirect on :80 usually hands the request to :443, so keep looking past it.
    const forward = l.defaultActions.find((a) => a.targetGroupArns.length);
    const tg = forward && byArn.get(forward.targetGroupArns[0]);
    if (tg) return tg;
  }
  for (const l of primaryListeners(ev.listeners)) {
    for (const r of ev.rules[l.arn] ?? []) {
      const tg = r.actions.flatMap((a) => a.targetGroupArns).map((arn) => byArn.get(arn)).find(Boolean);
      if (tg) return tg;
    }
  }
  return ev.targetGroups[0];
}

function evaluate(ev: ResolveEvidence): CheckResult {
  const lb = ev.lb;
  if (!lb) {
    const listing = table(['name', 'type', 'scheme', 'state', 'dns'], ev.candidates.map((c) => [c.name, c.type, c.scheme, c.state, c.dnsName]));
    if (!ev.query && ev.candidates.length > 1) {
      const kind = ev.candidates.every((c) => c.type === ev.kind) && ev.kind ? KIND_NAME[ev.kind] : 'load balancer';
      const host = ev.hostnames.length ? `; none has the DNS name of ${ev.hostnames[0]}${ev.hostnames.length > 1 ? ` (followed ${ev.hostnames.join(' → ')})` : ''}` : '';
      return {
        status: 'warn',
        outcome: 'ambiguous',
        summary: `${plural(ev.candidates.length, kind)} in this region${host}: pick one with --lb NAME`,
        details: listing,
      };
    }
    const searched = ev.hostnames.length > 1 ? ` (followed ${ev.hostnames.join(' → ')})` : '';
    return {
      status: 'warn',
      outcome: 'not-found',
      summary: ev.query ? `No load balancer matches ${ev.query}${searched}`
        : ev.candidates.length ? `No ${KIND_NAME[ev.kind ?? 'application']} in this region; ${plural(ev.candidates.length, 'load balancer')} of another kind listed below`
          : 'No load balancer in this region',
      details: [
        ...(ev.hostnames.length ? ['A Route 53 alias record does not show up as a CNAME: pass the load balancer name or ARN instead.'] : []),
        ...(ev.candidates.length ? ['Load balancers in this region:', ...listing] : ['Check --region: load balancers are per region.']),
      ],
    };
  }
  const tgByArn = new Map(ev.targetGroups.map((tg) => [tg.arn, tg]));
  const tgName = (arn: string) => {
    const tg = tgByArn.get(arn);
    return tg ? `${tg.name} (${tg.protocol ?? tg.targetType}:${tg.port ?? '-'}, ${tg.targetType})` : arn;
  };
  const details: string[] = [`${lb.name}: ${lb.type}, ${lb.scheme}, ${lb.state}, ${lb.dnsName}`];
  const notes: string[] = [];
  for (const l of [...ev.listeners].sort((a, b) => a.port - b.port)) {
    details.push(`${l.protocol}:${l.port} default → ${describeActions(l.defaultActions, tgName)}`);
    const rules = (ev.rules[l.arn] ?? []).filter((r) => !r.isDefault).sort((a, b) => Number(a.priority) - Number(b.priority));
    for (const r of rules) {
      const when = r.conditions.map((c) => `${c.field}=${c.values.join('|')}`).join(' and ') || '(always)';
      details.push(`  rule ${r.priority}: ${when} → ${describeActions(r.actions, tgName)}`);
    }
    for (const a of [...l.defaultActions, ...rules.flatMap((r) => r.actions)]) {
      if (a.type === 'fixed-response' && a.fixedResponse?.statusCode.startsWith('5')) {
        notes.push(`${l.protocol}:${l.port} answers some requests with a fixed-response ${a.fixedResponse.statusCode} itself: those are not target errors`);
      }
    }
  }
  if (!ev.listeners.length) notes.push('No listeners: nothing reaches this load balancer.');
  const unused = ev.targetGroups.filter((tg) => !ev.listeners.some((l) => [...l.defaultActions, ...(ev.rules[l.arn] ?? []).flatMap((r) => r.actions)].some((a) => a.targetGroupArns.includes(tg.arn))));
  for (const tg of unused) notes.push(`Target group ${tg.name} is attached but no listener rule forwards to it`);
  const primary = primaryTargetGroup(ev);
  const facts: Facts = {
    'lb.name': lb.name,
    'lb.arn': lb.arn,
    'lb.dns': lb.dnsName,
    'lb.scheme': lb.scheme,
    'lb.type': lb.type,
    'lb.state': lb.state,
    'lb.vpcId': lb.vpcId,
    'lb.azs': lb.azs.map((a) => a.zone).join(','),
    'lb.subnets': lb.azs.map((a) => a.subnetId).join(','),
    'lb.securityGroups': lb.securityGroups.join(','),
    'lb.targetGroupArns': ev.targetGroups.map((tg) => tg.arn).join(','),
    'lb.listenerPorts': [...new Set(ev.listeners.map((l) => l.port))].sort((a, b) => a - b).join(','),
  };
  if (primary) {
    facts['tg.arn'] = primary.arn;
    facts['tg.name'] = primary.name;
    if (primary.port !== undefined) facts['tg.port'] = primary.port;
    if (primary.protocol) facts['tg.protocol'] = primary.protocol;
    facts['tg.targetType'] = primary.targetType;
  }
  if (ev.pickedOnly) {
    const kind = KIND_NAME[ev.kind ?? 'application'];
    const host = ev.hostnames.length ? ` (no load balancer has the DNS name of ${ev.hostnames.join(' → ')}: a Route 53 alias does not show as a CNAME)` : '';
    notes.unshift(`Taken because it is the only ${kind} in this region${host}; pass --lb NAME if the incident is on another one.`);
  }
  if (ev.kind && lb.type !== ev.kind) notes.unshift(`${lb.name} is a ${lb.type} load balancer, but this flow is about a ${KIND_NAME[ev.kind]}: run the matching flow (badgate run ${lb.type === 'network' ? 'nlb' : 'alb'}).`);
  return {
    status: 'pass',
    outcome: 'found',
    summary: `${ev.pickedOnly ? 'The only one: ' : ''}${lb.name} (${lb.scheme} ${lb.type}): ${plural(ev.listeners.length, 'listener')}, ${plural(ev.targetGroups.length, 'target group')}${primary ? `, default → ${primary.name}` : ''}`,
    details: [...details, ...notes],
    facts,
  };
}

export const elbv2Resolve: Check<ResolveEvidence> = {
  meta: {
    id: 'elbv2.resolve',
    title: 'Find the load balancer and map its listeners, rules and target groups',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html',
    apis: [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTargetGroups',
    ],
    params: {
      lb: { description: 'Load balancer name, ARN, DNS name, or a URL/hostname whose CNAME chain points at it; empty picks the only ALB' },
      type: { description: 'The kind the flow is about when lb is empty: application (default) or network' },
      url: { description: 'When lb is empty: the affected URL, whose host (or a CNAME on its chain) may be the LB\'s DNS name' },
    },
    outcomes: ['found', 'not-found', 'ambiguous'],
    facts: [
      'lb.name', 'lb.arn', 'lb.dns', 'lb.scheme', 'lb.type', 'lb.state', 'lb.vpcId', 'lb.azs', 'lb.subnets',
      'lb.securityGroups', 'lb.targetGroupArns', 'lb.listenerPorts',
      'tg.arn', 'tg.name', 'tg.port', 'tg.protocol', 'tg.targetType',
    ],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const query = ctx.params.lb?.trim() || undefined;
    ctx.progress(query ? `DescribeLoadBalancers ${query}` : 'DescribeLoadBalancers (all)');
    const kind = lbKind(ctx.params.type);
    const found = await findLoadBalancer(aws, query, { url: ctx.params.url?.trim() || undefined, kind }, (host) => ctx.env.dns.cname(host));
    const ev: ResolveEvidence = { ...(query ? { query } : {}), ...found, ...(ctx.params.type?.trim() ? { kind } : {}), listeners: [], rules: {}, targetGroups: [] };
    if (!found.lb) return ev;
    const lbArn = found.lb.arn;
    ctx.progress(`DescribeListeners ${found.lb.name}`);
    const [listeners, targetGroups] = await Promise.all([
      aws.describeListeners(lbArn),
      aws.describeTargetGroups({ loadBalancerArn: lbArn }),
    ]);
    ev.listeners = listeners;
    ev.targetGroups = targetGroups;
    ctx.progress(`DescribeRules (${plural(listeners.length, 'listener')})`);
    const rules = await mapLimit(listeners, 4, (l) => aws.describeRules(l.arn));
    listeners.forEach((l, i) => { ev.rules[l.arn] = rules[i]; });
    return ev;
  },
  evaluate: (ev) => evaluate(ev),
};
