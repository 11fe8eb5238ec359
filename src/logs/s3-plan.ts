/**
 * Which log objects cover a time window. ELB writes
 * `{prefix/}AWSLogs/{account}/elasticloadbalancing/{region}/{yyyy}/{mm}/{dd}/…_{end}_…`
 * where `end` (e.g. 20140215T2340Z) closes the file's interval: 5 minutes for ALB (a file
 * ending at 00:05 holds lines from 00:00), 5 or 60 minutes for CLB. So only the day folders
 * of the window are listed, and a file is kept when [end − interval, end] meets the window.
 */
import type { LogObject, LogObjectStore } from './log-object-store.js';
import { LogSourceError } from './errors.js';

const DAY_MS = 86_400_000;
const ALB_INTERVAL_MS = 5 * 60_000;
const CLB_INTERVAL_MS = 60 * 60_000;

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !m[1]) throw new LogSourceError(`"${uri}" is not an S3 URI`, 'use s3://bucket or s3://bucket/prefix (the prefix set in the LB access_logs.s3.prefix attribute)');
  return { bucket: m[1], prefix: m[2] };
}

/** End of the file's interval from its name, or null for names that do not follow the ELB pattern. */
export function keyEndTime(key: string): number | null {
  const m = /_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)Z_/.exec(key);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

export function keyInterval(key: string): number {
  return /_app\./.test(key) ? ALB_INTERVAL_MS : CLB_INTERVAL_MS;
}

export function keyInWindow(key: string, sinceMs: number, untilMs: number): boolean {
  const end = keyEndTime(key);
  if (end === null) return false;
  return end > sinceMs && end - keyInterval(key) < untilMs;
}

/** Matches the LB name in the object name: `…_app.{name}.{id}_…` (ALB) or `…_{name}_{end}_…` (CLB). */
export function keyMatchesLb(key: string, lb: string): boolean {
  const name = lb.replace(/^app\//, '').split('/')[0];
  const file = key.slice(key.lastIndexOf('/') + 1);
  return file.includes(`_app.${name}.`) || file.includes(`_net.${name}.`) || new RegExp(`_${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_\\d{8}T\\d{4}Z_`).test(file);
}

/** UTC day folders (`yyyy/mm/dd/`) that can hold files for the window. */
export function dayFolders(sinceMs: number, untilMs: number): string[] {
  const out: string[] = [];
  // A file ending up to one CLB interval after `until` still holds lines from the window.
  const last = Math.floor((untilMs + CLB_INTERVAL_MS) / DAY_MS);
  for (let d = Math.floor(sinceMs / DAY_MS); d <= last; d++) {
    const t = new Date(d * DAY_MS);
    out.push(`${t.getUTCFullYear()}/${String(t.getUTCMonth() + 1).padStart(2, '0')}/${String(t.getUTCDate()).padStart(2, '0')}/`);
  }
  return out;
}

export interface S3Plan {
  objects: LogObject[];
  totalBytes: number;
  /** The `…/elasticloadbalancing/{region}/` roots that were searched. */
  roots: string[];
  /** Objects listed in the day folders before the window and LB filters. */
  listed: number;
}

export interface PlanOptions {
  sinceMs: number;
  untilMs: number;
  region?: string;
  lb?: string;
}

function last(prefix: string): string {
  return prefix.replace(/\/$/, '').split('/').pop() ?? '';
}

/** Finds the account/region roots under the prefix, listing with Delimiter '/' where unknown. */
async function findRoots(store: LogObjectStore, userPrefix: string, region?: string): Promise<string[]> {
  let base = userPrefix.replace(/^\/+/, '');
  const at = base.indexOf('AWSLogs/');
  let given: string[] = [];
  if (at >= 0) {
    given = base.slice(at + 'AWSLogs/'.length).split('/').filter(Boolean);
    base = base.slice(0, at);
  } else if (base && !base.endsWith('/')) base += '/';
  const logs = `${base}AWSLogs/`;
  const accounts = given[0] ? [`${logs}${given[0]}/`] : await store.listPrefixes(logs);
  if (accounts.length === 0) {
    throw new LogSourceError(`no ELB logs under s3://${store.bucket}/${logs}`, 'check the bucket and prefix in the LB attributes access_logs.s3.bucket / access_logs.s3.prefix, and that access logging is enabled');
  }
  const roots: string[] = [];
  for (const acct of accounts) {
    const elb = `${acct}elasticloadbalancing/`;
    let regions = given[2] ? [`${elb}${given[2]}/`] : await store.listPrefixes(elb);
    if (region && !given[2]) {
      const only = regions.filter((r) => last(r) === region);
      if (only.length) regions = only;
    }
    roots.push(...regions);
  }
  if (roots.length === 0) {
    throw new LogSourceError(`no elasticloadbalancing logs under s3://${store.bucket}/${logs}`, 'the bucket holds AWSLogs for other services only; check the LB access_logs.s3.* attributes');
  }
  return roots;
}

export async function planS3(store: LogObjectStore, userPrefix: string, opts: PlanOptions): Promise<S3Plan> {
  const roots = await findRoots(store, userPrefix, opts.region);
  const objects: LogObject[] = [];
  let listed = 0;
  for (const root of roots) {
    for (const day of dayFolders(opts.sinceMs, opts.untilMs)) {
      for await (const o of store.list(`${root}${day}`)) {
        listed++;
        if (!keyInWindow(o.key, opts.sinceMs, opts.untilMs)) continue;
        if (opts.lb && !keyMatchesLb(o.key, opts.lb)) continue;
        objects.push(o);
      }
    }
  }
  objects.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { objects, totalBytes: objects.reduce((s, o) => s + o.size, 0), roots, listed };
}
