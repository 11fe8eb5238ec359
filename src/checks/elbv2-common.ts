import type { AwsReader, LoadBalancer, TargetGroup } from '../aws/reader.js';
import type { FactValue, Facts } from '../engine/vocabulary.js';
import type { CheckContext } from './types.js';

/** The facts an earlier `elbv2.resolve` leaves behind, read as lists. */
export function factList(value: FactValue | undefined): string[] {
  if (value === undefined || value === '') return [];
  return String(value).split(',').map((s) => s.trim()).filter(Boolean);
}

export function factNumber(facts: Readonly<Facts>, key: string): number | undefined {
  const v = facts[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** `arn:…:loadbalancer/app/name/id` → `app/name/id` (the CloudWatch LoadBalancer dimension). */
export function lbDimension(arn: string): string {
  const i = arn.indexOf(':loadbalancer/');
  return i >= 0 ? arn.slice(i + ':loadbalancer/'.length) : arn;
}

/** `arn:…:targetgroup/name/id` → `targetgroup/name/id` (the CloudWatch TargetGroup dimension). */
export function tgDimension(arn: string): string {
  const i = arn.indexOf(':targetgroup/');
  return i >= 0 ? arn.slice(i + 1) : arn;
}

export function tgNameFromArn(arn: string): string {
  return tgDimension(arn).split('/')[1] ?? arn;
}

export function isLbArn(value: string): boolean {
  return value.startsWith('arn:') && value.includes(':loadbalancer/');
}

/** Error for a check that needs a load balancer and was given none. */
export class NoLoadBalancerError extends Error {
  override readonly name = 'LoadBalancerNotFound';
}

/**
 * The load balancer a check is about: the resolved fact, else the `lb` param (name or ARN).
 * Checks after `elbv2.resolve` pass through without an extra call.
 */
export async function loadBalancerFor(aws: AwsReader, ctx: Pick<CheckContext, 'params' | 'facts'>): Promise<LoadBalancer> {
  const arn = ctx.facts['lb.arn'] ? String(ctx.facts['lb.arn']) : undefined;
  // --lb counts even when the lookup before this check failed: ask for it again here.
  const param = ctx.params.lb?.trim() || (ctx.facts['target.lb'] ? String(ctx.facts['target.lb']).trim() : '');
  const query = arn ? { arns: [arn] } : param ? (isLbArn(param) ? { arns: [param] } : { names: [param] }) : undefined;
  if (!query) throw new NoLoadBalancerError('no load balancer chosen yet: the load balancer lookup found none (see its result), and no --lb was given');
  const [lb] = await aws.describeLoadBalancers(query);
  if (!lb) throw new NoLoadBalancerError(`load balancer ${arn ?? param} not found`);
  return lb;
}

/** The LB ARN without a call when the facts have it; otherwise resolved from `lb`. */
export async function loadBalancerArnFor(aws: AwsReader, ctx: Pick<CheckContext, 'params' | 'facts'>): Promise<string> {
  if (ctx.facts['lb.arn']) return String(ctx.facts['lb.arn']);
  return (await loadBalancerFor(aws, ctx)).arn;
}

/** Target groups in scope: `targetGroup` param (name/ARN), else those the LB uses. */
export async function targetGroupsFor(aws: AwsReader, ctx: Pick<CheckContext, 'params' | 'facts'>): Promise<TargetGroup[]> {
  const param = ctx.params.targetGroup?.trim();
  if (param) {
    return aws.describeTargetGroups(param.startsWith('arn:') ? { arns: [param] } : { names: [param] });
  }
  const arns = factList(ctx.facts['lb.targetGroupArns']);
  if (arns.length) return aws.describeTargetGroups({ arns });
  return aws.describeTargetGroups({ loadBalancerArn: await loadBalancerArnFor(aws, ctx) });
}

/** Plural helper for summaries. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Fixed-width text table for details lines (monospace screens and the report). */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
