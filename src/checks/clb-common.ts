import type { AwsReader, ClassicLoadBalancer } from '../aws/reader.js';
import { NoLoadBalancerError } from './elbv2-common.js';
import type { CheckContext } from './types.js';

/** The Classic API answers an unknown name with an error, not an empty list. */
export function isClassicNotFound(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; message?: string };
  return /LoadBalancerNotFound|AccessPointNotFound/.test(`${e?.name ?? ''} ${e?.Code ?? ''} ${e?.message ?? ''}`);
}

/** The Classic LB's name: the resolved fact, else the `lb` param, else `--lb`. */
export function classicNameFor(ctx: Pick<CheckContext, 'params' | 'facts'>): string {
  const name = (ctx.facts['clb.name'] ? String(ctx.facts['clb.name']) : '') || ctx.params.lb?.trim() || (ctx.facts['target.lb'] ? String(ctx.facts['target.lb']).trim() : '');
  if (!name) throw new NoLoadBalancerError('no Classic Load Balancer chosen yet: the lookup found none (see its result), and no --lb was given');
  return name;
}

export async function classicLbFor(aws: AwsReader, ctx: Pick<CheckContext, 'params' | 'facts'>): Promise<ClassicLoadBalancer> {
  const name = classicNameFor(ctx);
  try {
    const [lb] = await aws.describeClassicLoadBalancers([name]);
    if (lb) return lb;
  } catch (err) {
    if (!isClassicNotFound(err)) throw err;
  }
  throw new NoLoadBalancerError(`Classic Load Balancer ${name} not found`);
}

/** `HTTP:80/index.html` → { protocol: HTTP, port: 80, path: /index.html }. */
export function parseHealthTarget(target: string): { protocol: string; port?: number; path?: string } {
  const m = /^([A-Za-z]+):(\d+)(\/.*)?$/.exec(target.trim());
  if (!m) return { protocol: target };
  return { protocol: m[1].toUpperCase(), port: Number(m[2]), ...(m[3] ? { path: m[3] } : {}) };
}
