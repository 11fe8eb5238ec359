import {
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  type EC2Client,
  type Filter,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { chunk, mapLimit, unique } from '../batch.js';
import type {
  Instance, InstanceStatus, NaclEntry, NetworkAcl, NetworkInterface, NetworkInterfaceQuery, RouteTable, SecurityGroup, SgRule, Subnet, SubnetScope,
} from '../reader.js';

// DescribeInstances takes up to 1000 ids per call; filters take at most 200 values.
const IDS_PER_CALL = 1000;
const FILTER_VALUES = 200;
const PAGE_SIZE = 1000;

/**
 * A target that was terminated long ago makes the whole id list fail with
 * InvalidInstanceID.NotFound. Drop the ids the error names and ask again, so one stale target
 * does not hide the rest; the caller sees them as missing.
 */
async function withoutMissingIds<T>(ids: string[], call: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  let remaining = ids;
  for (;;) {
    if (!remaining.length) return [];
    try {
      return await call(remaining);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      const missing = new Set(e.name === 'InvalidInstanceID.NotFound' ? (e.message ?? '').match(/i-[0-9a-f]+/g) ?? [] : []);
      const next = remaining.filter((id) => !missing.has(id));
      if (!missing.size || next.length === remaining.length) throw err;
      remaining = next;
    }
  }
}

export async function describeInstances(client: EC2Client, ids: string[]): Promise<Instance[]> {
  const out: Instance[] = [];
  for (const batch of chunk(unique(ids), IDS_PER_CALL)) {
    out.push(...await withoutMissingIds(batch, (present) => describeInstanceBatch(client, present)));
  }
  return out;
}

async function describeInstanceBatch(client: EC2Client, batch: string[]): Promise<Instance[]> {
  const out: Instance[] = [];
  let token: string | undefined;
  do {
    // InstanceIds cannot be combined with MaxResults, so page by NextToken only.
    const res = await client.send(new DescribeInstancesCommand({ InstanceIds: batch, NextToken: token }));
    for (const r of res.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        const inst: Instance = {
          id: i.InstanceId ?? '',
          state: i.State?.Name ?? 'unknown',
          securityGroups: (i.SecurityGroups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
        };
        if (i.StateReason?.Message) inst.stateReason = i.StateReason.Message;
        if (i.Placement?.AvailabilityZone) inst.az = i.Placement.AvailabilityZone;
        if (i.SubnetId) inst.subnetId = i.SubnetId;
        if (i.VpcId) inst.vpcId = i.VpcId;
        if (i.PrivateIpAddress) inst.privateIp = i.PrivateIpAddress;
        if (i.InstanceType) inst.instanceType = i.InstanceType;
        out.push(inst);
      }
    }
    token = res.NextToken;
  } while (token);
  return out;
}

export async function describeInstanceStatus(client: EC2Client, ids: string[]): Promise<InstanceStatus[]> {
  // Up to 100 ids per call when ids are given; batches run 4 at a time.
  const pages = await mapLimit(chunk(unique(ids), 100), 4, (ids100) => withoutMissingIds(ids100, async (batch) => {
    const out: InstanceStatus[] = [];
    let token: string | undefined;
    do {
      const res = await client.send(new DescribeInstanceStatusCommand({ InstanceIds: batch, IncludeAllInstances: true, NextToken: token }));
      for (const s of res.InstanceStatuses ?? []) {
        out.push({
          id: s.InstanceId ?? '',
          state: s.InstanceState?.Name ?? 'unknown',
          ...(s.AvailabilityZone ? { az: s.AvailabilityZone } : {}),
          ...(s.SystemStatus?.Status ? { systemStatus: s.SystemStatus.Status } : {}),
          ...(s.InstanceStatus?.Status ? { instanceStatus: s.InstanceStatus.Status } : {}),
          events: (s.Events ?? []).map((e) => ({
            code: e.Code ?? '',
            ...(e.Description ? { description: e.Description } : {}),
            ...(e.NotBefore ? { notBefore: new Date(e.NotBefore).toISOString() } : {}),
          })),
        });
      }
      token = res.NextToken;
    } while (token);
    return out;
  }));
  return pages.flat();
}

function mapPermission(p: IpPermission): SgRule {
  const rule: SgRule = {
    protocol: p.IpProtocol ?? '-1',
    cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter(Boolean),
    ipv6Cidrs: (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? '').filter(Boolean),
    groupIds: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
    prefixListIds: (p.PrefixListIds ?? []).map((g) => g.PrefixListId ?? '').filter(Boolean),
  };
  if (p.FromPort !== undefined) rule.fromPort = p.FromPort;
  if (p.ToPort !== undefined) rule.toPort = p.ToPort;
  const description = p.IpRanges?.[0]?.Description ?? p.UserIdGroupPairs?.[0]?.Description;
  if (description) rule.description = description;
  return rule;
}

export async function describeSecurityGroups(client: EC2Client, ids: string[]): Promise<SecurityGroup[]> {
  const out: SecurityGroup[] = [];
  for (const batch of chunk(unique(ids), FILTER_VALUES)) {
    let token: string | undefined;
    do {
      const res = await client.send(new DescribeSecurityGroupsCommand({ GroupIds: batch, NextToken: token }));
      for (const g of res.SecurityGroups ?? []) {
        out.push({
          id: g.GroupId ?? '',
          name: g.GroupName ?? '',
          ...(g.VpcId ? { vpcId: g.VpcId } : {}),
          ingress: (g.IpPermissions ?? []).map(mapPermission),
          egress: (g.IpPermissionsEgress ?? []).map(mapPermission),
        });
      }
      token = res.NextToken;
    } while (token);
  }
  return out;
}

/** Subnet-scoped filters in chunks of the 200-value filter limit; a VPC filter otherwise. */
function scopeFilters(scope: SubnetScope, subnetFilter: string): Filter[][] {
  if (scope.subnetIds?.length) {
    return chunk(unique(scope.subnetIds), FILTER_VALUES).map((ids) => [{ Name: subnetFilter, Values: ids }]);
  }
  return [scope.vpcId ? [{ Name: 'vpc-id', Values: [scope.vpcId] }] : []];
}

export async function describeNetworkAcls(client: EC2Client, scope: SubnetScope): Promise<NetworkAcl[]> {
  const byId = new Map<string, NetworkAcl>();
  for (const filters of scopeFilters(scope, 'association.subnet-id')) {
    for await (const page of paginateDescribeNetworkAcls({ client }, { Filters: filters, MaxResults: PAGE_SIZE })) {
      for (const n of page.NetworkAcls ?? []) {
        byId.set(n.NetworkAclId ?? '', {
          id: n.NetworkAclId ?? '',
          vpcId: n.VpcId ?? '',
          isDefault: n.IsDefault ?? false,
          subnetIds: (n.Associations ?? []).map((a) => a.SubnetId ?? '').filter(Boolean),
          entries: (n.Entries ?? []).map((e) => {
            const entry: NaclEntry = {
              ruleNumber: e.RuleNumber ?? 0,
              protocol: e.Protocol ?? '-1',
              action: e.RuleAction === 'deny' ? 'deny' : 'allow',
              egress: e.Egress ?? false,
            };
            if (e.CidrBlock) entry.cidr = e.CidrBlock;
            if (e.Ipv6CidrBlock) entry.ipv6Cidr = e.Ipv6CidrBlock;
            if (e.PortRange && e.PortRange.From !== undefined && e.PortRange.To !== undefined) {
              entry.portRange = { from: e.PortRange.From, to: e.PortRange.To };
            }
            return entry;
          }),
        });
      }
    }
  }
  return [...byId.values()];
}

export async function describeSubnets(client: EC2Client, scope: SubnetScope): Promise<Subnet[]> {
  const out: Subnet[] = [];
  for (const filters of scopeFilters(scope, 'subnet-id')) {
    for await (const page of paginateDescribeSubnets({ client }, { Filters: filters, MaxResults: PAGE_SIZE })) {
      for (const s of page.Subnets ?? []) {
        out.push({ id: s.SubnetId ?? '', vpcId: s.VpcId ?? '', az: s.AvailabilityZone ?? '', cidr: s.CidrBlock ?? '' });
      }
    }
  }
  return out;
}

export async function describeRouteTables(client: EC2Client, scope: SubnetScope): Promise<RouteTable[]> {
  const byId = new Map<string, RouteTable>();
  for (const filters of scopeFilters(scope, 'association.subnet-id')) {
    for await (const page of paginateDescribeRouteTables({ client }, { Filters: filters, MaxResults: 100 })) {
      for (const t of page.RouteTables ?? []) {
        byId.set(t.RouteTableId ?? '', {
          id: t.RouteTableId ?? '',
          vpcId: t.VpcId ?? '',
          main: (t.Associations ?? []).some((a) => a.Main),
          subnetIds: (t.Associations ?? []).map((a) => a.SubnetId ?? '').filter(Boolean),
          routes: (t.Routes ?? []).map((r) => ({
            destination: r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId ?? '',
            target: r.GatewayId ?? r.NatGatewayId ?? r.TransitGatewayId ?? r.VpcPeeringConnectionId
              ?? r.InstanceId ?? r.NetworkInterfaceId ?? r.LocalGatewayId ?? r.CarrierGatewayId ?? r.CoreNetworkArn ?? '',
            ...(r.State ? { state: r.State } : {}),
          })),
        });
      }
    }
  }
  return [...byId.values()];
}

/** ENIs holding the given private addresses, in chunks of the 200-value filter limit. */
export async function describeNetworkInterfaces(client: EC2Client, query: NetworkInterfaceQuery): Promise<NetworkInterface[]> {
  const byId = new Map<string, NetworkInterface>();
  const vpc: Filter[] = query.vpcId ? [{ Name: 'vpc-id', Values: [query.vpcId] }] : [];
  for (const ips of chunk(unique(query.privateIps), FILTER_VALUES)) {
    const filters = [...vpc, { Name: 'addresses.private-ip-address', Values: ips }];
    for await (const page of paginateDescribeNetworkInterfaces({ client }, { Filters: filters, MaxResults: PAGE_SIZE })) {
      for (const n of page.NetworkInterfaces ?? []) {
        const eni: NetworkInterface = {
          id: n.NetworkInterfaceId ?? '',
          privateIps: unique([n.PrivateIpAddress ?? '', ...(n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress ?? '')].filter(Boolean)),
          securityGroups: (n.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
        };
        if (n.SubnetId) eni.subnetId = n.SubnetId;
        if (n.VpcId) eni.vpcId = n.VpcId;
        if (n.InterfaceType) eni.interfaceType = n.InterfaceType;
        if (n.Description) eni.description = n.Description;
        if (n.Status) eni.status = n.Status;
        byId.set(eni.id, eni);
      }
    }
  }
  return [...byId.values()];
}
