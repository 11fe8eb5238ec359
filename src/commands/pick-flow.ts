import { isIP } from 'node:net';
import type { AwsReader } from '../aws/reader.js';
import { liveEnv } from '../checks/env.js';
import { cnameChain, hostOf } from '../checks/host-names.js';
import { httpProbeCheck } from '../checks/net-http-probe.js';
import { runCheck } from '../checks/runner.js';
import type { CheckEnv } from '../checks/types.js';
import { classifyAwsError } from '../engine/errors.js';
import { shippedFlowIds } from '../flow-files.js';
import { classifyName, type LbName } from '../net/dns-classify.js';
import { producerName, PRODUCERS, type Producer } from '../net/fingerprint.js';

export interface FlowChoice {
  flow: string;
  /** One line for the responder: what answered and why this flow. */
  why: string;
}

export interface FlowForUrlOptions {
  env?: CheckEnv;
  signal?: AbortSignal;
  progress?: (m: string) => void;
  flows?: string[];
  /**
   * An AWS reader for the load balancer's region, asked only when the URL's name is an ALB-or-Classic
   * ELB name and the answer does not tell which (their DNS names look alike). Undefined: no AWS here.
   */
  aws?: (region: string | undefined) => Promise<AwsReader | undefined>;
}

const FALLBACK = 'alb';

type LbType = 'application' | 'network' | 'classic';

const LB_FLOW: Record<LbType, string> = { application: 'alb', network: 'nlb', classic: 'clb' };
const LB_WORDS: Record<LbType, string> = { application: 'an Application Load Balancer', network: 'a Network Load Balancer', classic: 'a Classic Load Balancer' };

const normalizeDns = (name: string) => name.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');

/** Which kind of ELB owns `dns`, read from AWS: elbv2 first (ALB, NLB), then the Classic API. */
async function lbTypeByDns(aws: AwsReader, dns: string): Promise<{ type: LbType; name: string } | undefined> {
  const want = normalizeDns(dns);
  const v2 = (await aws.describeLoadBalancers()).find((lb) => normalizeDns(lb.dnsName) === want);
  if (v2 && (v2.type === 'application' || v2.type === 'network')) return { type: v2.type, name: v2.name };
  const classic = (await aws.describeClassicLoadBalancers()).find((lb) => normalizeDns(lb.dnsName) === want);
  return classic ? { type: 'classic', name: classic.name } : undefined;
}

/** The first ELB name on the host's CNAME chain (the host itself counts). */
async function elbOnChain(url: string, env: CheckEnv): Promise<{ lb: LbName; chain: string[] } | undefined> {
  const host = hostOf(url);
  if (!host || isIP(host)) return undefined;
  const chain = await cnameChain(host, (h) => env.dns.cname(h));
  for (const name of chain) {
    const c = classifyName(name);
    if (c?.lb) return { lb: c.lb, chain };
  }
  return undefined;
}

/**
 * `badgate run --url …` with no flow named: one GET tells who made the error page (Server,
 * X-Cache, stock bodies; flows/fingerprints.yml), and that gateway's flow opens. When the page
 * names no maker, or nothing answers, the URL's DNS name decides: an NLB name (`elb.<region>`)
 * opens the nlb flow; an ALB-or-Classic name (`<region>.elb`) is told apart by one AWS read.
 * Anything that still cannot tell starts the ALB flow and says so.
 */
export async function flowForUrl(url: string, opts: FlowForUrlOptions = {}): Promise<FlowChoice> {
  const signal = opts.signal ?? new AbortController().signal;
  const env = opts.env ?? liveEnv();
  opts.progress?.(`Asking ${url} who answers (one GET, up to 10 s)…`);
  const { result } = await runCheck(httpProbeCheck, {
    params: { url, count: '1', timeoutSeconds: '10', totalTimeoutSeconds: '10' },
    facts: {},
    env,
    signal,
    progress: () => undefined,
  });
  const shipped = new Set(opts.flows ?? shippedFlowIds());
  const facts = result.facts ?? {};
  const status = facts['probe.status'];
  const kind = String(facts['gateway.kind'] ?? 'unknown');
  const flow = facts['gateway.flow'] ? String(facts['gateway.flow']) : undefined;
  const others = `pick another with: badgate run <flow> (${[...shipped].sort().join(', ')})`;
  const maker = (PRODUCERS as readonly string[]).includes(kind) ? producerName(kind as Producer) : undefined;
  // A stock error page names its maker for sure: no DNS or AWS read can say more.
  if (status !== undefined && flow && shipped.has(flow)) {
    return { flow, why: `${url} answered ${String(status)}, made by ${maker ?? kind}: opening the ${flow} flow` };
  }
  const answered = status === undefined ? `${url} did not answer (${result.summary})` : `${url} answered ${String(status)}${maker ? `, made by ${maker}` : ''}`;
  const elb = await elbOnChain(url, env).catch(() => undefined);
  if (elb) {
    const via = elb.chain.length > 1 ? ` (${elb.chain.join(' → ')})` : '';
    const open = (type: LbType, how: string): FlowChoice | undefined => (shipped.has(LB_FLOW[type])
      ? { flow: LB_FLOW[type], why: `${answered}; ${elb.lb.dns}${via} is ${LB_WORDS[type]}${how}: opening the ${LB_FLOW[type]} flow` }
      : undefined);
    if (elb.lb.type === 'network') {
      // An NLB makes no HTTP response: a reset or a timeout is what it shows, and an HTTP error came from behind it.
      const how = status === undefined ? ' (its DNS name says so), which resets or stays silent rather than answer 502' : ' (its DNS name says so), which makes no HTTP response: a proxy behind it made this one';
      const choice = open('network', how);
      if (choice) return choice;
    } else {
      const read = await readLbType(opts, elb.lb).catch((e: unknown) => ({ error: classifyAwsError(e, { action: 'elasticloadbalancing:DescribeLoadBalancers' }).message }));
      if ('type' in read) {
        const choice = open(read.type, ` (${read.name}, read from AWS)`);
        if (choice) return choice;
      } else {
        return { flow: FALLBACK, why: `${answered}; ${elb.lb.dns}${via} is an Application or a Classic Load Balancer's name, and AWS could not tell which (${read.error}): starting the ALB flow; for a Classic one: badgate run clb` };
      }
    }
  }
  if (status === undefined) return { flow: FALLBACK, why: `${answered}: starting the ALB flow; ${others}` };
  if (maker) return { flow: FALLBACK, why: `${answered}, which has no flow of its own: starting the ALB flow; ${others}` };
  return { flow: FALLBACK, why: `${answered}; nothing in the answer names who made it: starting the ALB flow; ${others}` };
}

async function readLbType(opts: FlowForUrlOptions, lb: LbName): Promise<{ type: LbType; name: string } | { error: string }> {
  const aws = opts.aws ? await opts.aws(lb.region) : undefined;
  if (!aws) return { error: 'no AWS credentials for this run' };
  opts.progress?.(`Asking AWS which load balancer is ${lb.dns} (elasticloadbalancing:DescribeLoadBalancers)…`);
  return (await lbTypeByDns(aws, lb.dns)) ?? { error: `no load balancer in ${aws.region} has that DNS name` };
}

/**
 * The AWS reader `flowForUrl` may ask for: the standard credential chain with --profile, and
 * --region or else the region in the load balancer's DNS name. Undefined when no reader can be
 * made (no region); missing credentials surface as the read's error.
 */
export function awsForPick(flags: { profile?: string; region?: string; awsTimeout?: number }): (region: string | undefined) => Promise<AwsReader | undefined> {
  return async (region) => {
    try {
      const { createSdkReader } = await import('../aws/sdk/index.js');
      return createSdkReader({ profile: flags.profile, region: flags.region ?? region, ...(flags.awsTimeout ? { timeoutMs: flags.awsTimeout * 1000 } : {}) });
    } catch {
      return undefined;
    }
  };
}
