import type { NaclEntry, NetworkAcl, RouteTable, SgRule } from '../aws/reader.js';

/** Pure IPv4 range logic for security-group, NACL and route evaluation. */
export interface Range { start: number; end: number }

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return NaN;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function cidrRange(cidr: string): Range | undefined {
  const [ip, bitsText] = cidr.split('/');
  const base = ipToInt(ip);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (Number.isNaN(base) || !(bits >= 0 && bits <= 32)) return undefined;
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return { start, end: start + size - 1 };
}

export const contains = (outer: Range, inner: Range) => outer.start <= inner.start && outer.end >= inner.end;
export const overlaps = (a: Range, b: Range) => a.start <= b.end && b.start <= a.end;

export const EPHEMERAL: Range = { start: 1024, end: 65535 };

const isTcp = (protocol: string) => protocol === '-1' || protocol === 'tcp' || protocol === '6' || protocol === 'all';

function sgPortMatches(rule: SgRule, port: number): boolean {
  if (!isTcp(rule.protocol)) return false;
  if (rule.protocol === '-1' || rule.fromPort === undefined || rule.fromPort === -1) return true;
  return rule.fromPort <= port && port <= (rule.toPort ?? rule.fromPort);
}

export function describeSgRule(groupId: string, direction: 'ingress' | 'egress', r: SgRule): string {
  const ports = r.protocol === '-1' ? 'all traffic' : `${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
  const peers = [...r.groupIds, ...r.cidrs, ...r.prefixListIds].join(', ') || '(no peer)';
  return `${groupId} ${direction} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${peers}`;
}

export interface SgPeer {
  groupIds: string[];
  /** Every address range the peer may use; each must be covered. */
  ranges: Range[];
}

/**
 * The rule (across all the groups) that lets `port` through to/from `peer`, or undefined.
 * CIDR rules must cover every peer range (each ALB subnet), possibly with several rules.
 */
export function sgAllows(groups: { id: string; rules: SgRule[] }[], port: number, peer: SgPeer, direction: 'ingress' | 'egress'): string | undefined {
  const candidates = groups.flatMap((g) => g.rules.filter((r) => sgPortMatches(r, port)).map((r) => ({ g, r })));
  const byRef = candidates.find(({ r }) => r.groupIds.some((id) => peer.groupIds.includes(id)));
  if (byRef) return describeSgRule(byRef.g.id, direction, byRef.r);
  if (!peer.ranges.length) return undefined;
  const used: string[] = [];
  for (const range of peer.ranges) {
    const hit = candidates.find(({ r }) => r.cidrs.some((c) => {
      const cr = cidrRange(c);
      return cr !== undefined && contains(cr, range);
    }));
    if (!hit) return undefined;
    used.push(describeSgRule(hit.g.id, direction, hit.r));
  }
  return [...new Set(used)].join('; ');
}

export interface NaclDecision {
  allowed: boolean;
  /** The rule that decided, e.g. `acl-1 inbound #90 deny tcp 1024-65535 from 0.0.0.0/0`. */
  rule: string;
}

function describeEntry(aclId: string, e: NaclEntry): string {
  const proto = e.protocol === '-1' ? 'all' : e.protocol === '6' ? 'tcp' : e.protocol === '17' ? 'udp' : `proto ${e.protocol}`;
  const ports = e.portRange && e.protocol !== '-1' ? ` ${e.portRange.from === e.portRange.to ? e.portRange.from : `${e.portRange.from}-${e.portRange.to}`}` : '';
  return `${aclId} ${e.egress ? 'outbound' : 'inbound'} #${e.ruleNumber === 32767 ? '*' : e.ruleNumber} ${e.action} ${proto}${ports} ${e.egress ? 'to' : 'from'} ${e.cidr ?? e.ipv6Cidr ?? '?'}`;
}

/**
 * Rule-number order, first match wins. A rule that only partly covers the traffic decides
 * that part; the rest falls through. Custom NACLs from some tools (and moto) lack the final
 * `*` deny, which AWS always applies, so the end of the list is an implicit deny.
 */
export function naclDecision(acl: NetworkAcl, egress: boolean, peer: Range, ports: Range): NaclDecision {
  const entries = acl.entries.filter((e) => e.egress === egress && e.cidr).sort((a, b) => a.ruleNumber - b.ruleNumber);
  let partial: NaclEntry | undefined;
  for (const e of entries) {
    if (!isTcp(e.protocol)) continue;
    const cr = cidrRange(e.cidr as string);
    if (!cr || !overlaps(cr, peer)) continue;
    const pr = e.protocol === '-1' || !e.portRange ? { start: 0, end: 65535 } : { start: e.portRange.from, end: e.portRange.to };
    if (!overlaps(pr, ports)) continue;
    if (e.action === 'deny') {
      if (e.ruleNumber === 32767) break;
      return { allowed: false, rule: describeEntry(acl.id, e) };
    }
    if (contains(cr, peer) && contains(pr, ports)) return { allowed: true, rule: describeEntry(acl.id, e) };
    partial ??= e;
  }
  const what = `${egress ? 'outbound' : 'inbound'} tcp ${ports.start === ports.end ? ports.start : `${ports.start}-${ports.end}`}`;
  return {
    allowed: false,
    rule: `${acl.id}: no rule allows all of ${what}${partial ? ` (only ${describeEntry(acl.id, partial)} partly)` : ''}; the implicit * deny drops it`,
  };
}

/** The route table that applies to a subnet: its own association, else the VPC's main table. */
export function routeTableFor(tables: RouteTable[], subnetId: string, vpcId: string): RouteTable | undefined {
  return tables.find((t) => t.subnetIds.includes(subnetId)) ?? tables.find((t) => t.main && t.vpcId === vpcId);
}

/** The most specific active route covering `ip`. */
export function routeFor(table: RouteTable, ip: string): { destination: string; target: string; state?: string } | undefined {
  const addr = cidrRange(`${ip}/32`);
  if (!addr) return undefined;
  return table.routes
    .map((r) => ({ r, range: cidrRange(r.destination) }))
    .filter((x) => x.range && contains(x.range, addr))
    .sort((a, b) => ((a.range as Range).end - (a.range as Range).start) - ((b.range as Range).end - (b.range as Range).start))[0]?.r;
}
