import {
  DescribeListenerAttributesCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type Action as SdkAction,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer as SdkLoadBalancer,
  type TargetGroup as SdkTargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk } from '../batch.js';
import type {
  Action, Listener, LoadBalancer, LoadBalancerQuery, Rule, TargetGroup, TargetGroupQuery, TargetHealth,
} from '../reader.js';

// ELBv2 paginators ignore the pageSize config (and moto ignores it too): PageSize goes in the input.
const PAGE_SIZE = 400;
// DescribeLoadBalancers/TargetGroups accept at most 20 names or ARNs per call.
const NAMES_PER_CALL = 20;

function mapLoadBalancer(lb: SdkLoadBalancer): LoadBalancer {
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    dnsName: lb.DNSName ?? '',
    scheme: lb.Scheme ?? '',
    type: lb.Type ?? '',
    state: lb.State?.Code ?? '',
    vpcId: lb.VpcId ?? '',
    azs: (lb.AvailabilityZones ?? []).map((az) => ({ zone: az.ZoneName ?? '', subnetId: az.SubnetId ?? '' })),
    securityGroups: lb.SecurityGroups ?? [],
    ...(lb.CreatedTime ? { createdAt: new Date(lb.CreatedTime).toISOString() } : {}),
  };
}

function mapAction(a: SdkAction): Action {
  const tgs = new Set<string>();
  if (a.TargetGroupArn) tgs.add(a.TargetGroupArn);
  for (const t of a.ForwardConfig?.TargetGroups ?? []) if (t.TargetGroupArn) tgs.add(t.TargetGroupArn);
  const out: Action = { type: a.Type ?? '', targetGroupArns: [...tgs] };
  if (a.Order !== undefined) out.order = a.Order;
  if (a.FixedResponseConfig) {
    out.fixedResponse = { statusCode: a.FixedResponseConfig.StatusCode ?? '' };
    if (a.FixedResponseConfig.ContentType) out.fixedResponse.contentType = a.FixedResponseConfig.ContentType;
  }
  if (a.RedirectConfig) {
    const r = a.RedirectConfig;
    out.redirect = { protocol: r.Protocol, host: r.Host, port: r.Port, path: r.Path, statusCode: r.StatusCode };
  }
  return out;
}

function mapTargetGroup(tg: SdkTargetGroup): TargetGroup {
  return {
    arn: tg.TargetGroupArn ?? '',
    name: tg.TargetGroupName ?? '',
    ...(tg.Protocol ? { protocol: tg.Protocol } : {}),
    ...(tg.ProtocolVersion ? { protocolVersion: tg.ProtocolVersion } : {}),
    ...(tg.Port !== undefined ? { port: tg.Port } : {}),
    targetType: tg.TargetType ?? 'instance',
    ...(tg.VpcId ? { vpcId: tg.VpcId } : {}),
    loadBalancerArns: tg.LoadBalancerArns ?? [],
    healthCheck: {
      enabled: tg.HealthCheckEnabled ?? true,
      protocol: tg.HealthCheckProtocol,
      port: tg.HealthCheckPort,
      path: tg.HealthCheckPath,
      intervalSeconds: tg.HealthCheckIntervalSeconds,
      timeoutSeconds: tg.HealthCheckTimeoutSeconds,
      healthyThreshold: tg.HealthyThresholdCount,
      unhealthyThreshold: tg.UnhealthyThresholdCount,
      matcher: tg.Matcher?.HttpCode ?? tg.Matcher?.GrpcCode,
    },
  };
}

function attributes(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list ?? []) if (a.Key) out[a.Key] = a.Value ?? '';
  return out;
}

export async function describeLoadBalancers(client: ElasticLoadBalancingV2Client, query: LoadBalancerQuery = {}): Promise<LoadBalancer[]> {
  const out: LoadBalancer[] = [];
  if (query.arns?.length || query.names?.length) {
    for (const arns of chunk(query.arns ?? [], NAMES_PER_CALL)) {
      const res = await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns }));
      out.push(...(res.LoadBalancers ?? []).map(mapLoadBalancer));
    }
    for (const names of chunk(query.names ?? [], NAMES_PER_CALL)) {
      const res = await client.send(new DescribeLoadBalancersCommand({ Names: names }));
      out.push(...(res.LoadBalancers ?? []).map(mapLoadBalancer));
    }
    return out;
  }
  for await (const page of paginateDescribeLoadBalancers({ client }, { PageSize: PAGE_SIZE })) {
    out.push(...(page.LoadBalancers ?? []).map(mapLoadBalancer));
  }
  return out;
}

export async function describeLoadBalancerAttributes(client: ElasticLoadBalancingV2Client, arn: string): Promise<Record<string, string>> {
  const res = await client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
  return attributes(res.Attributes);
}

export async function describeListeners(client: ElasticLoadBalancingV2Client, lbArn: string): Promise<Listener[]> {
  const out: Listener[] = [];
  for await (const page of paginateDescribeListeners({ client }, { LoadBalancerArn: lbArn, PageSize: PAGE_SIZE })) {
    for (const l of page.Listeners ?? []) {
      out.push({
        arn: l.ListenerArn ?? '',
        loadBalancerArn: l.LoadBalancerArn ?? lbArn,
        port: l.Port ?? 0,
        protocol: l.Protocol ?? '',
        defaultActions: (l.DefaultActions ?? []).map(mapAction),
      });
    }
  }
  return out;
}

export async function describeRules(client: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Rule[]> {
  // Not paginated through the SDK helper on purpose: DescribeRules pages with Marker and
  // PageSize, and a listener holds at most 100 rules, so one or two pages at most.
  const out: Rule[] = [];
  let marker: string | undefined;
  do {
    const res = await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, PageSize: PAGE_SIZE, Marker: marker }));
    for (const r of res.Rules ?? []) {
      out.push({
        arn: r.RuleArn ?? '',
        priority: r.Priority ?? '',
        isDefault: r.IsDefault ?? r.Priority === 'default',
        conditions: (r.Conditions ?? []).map((c) => ({
          field: c.Field ?? '',
          values: c.Values?.length ? c.Values
            : c.PathPatternConfig?.Values ?? c.HostHeaderConfig?.Values ?? c.HttpRequestMethodConfig?.Values
              ?? c.SourceIpConfig?.Values
              ?? (c.HttpHeaderConfig ? [`${c.HttpHeaderConfig.HttpHeaderName}: ${(c.HttpHeaderConfig.Values ?? []).join(',')}`] : []),
        })),
        actions: (r.Actions ?? []).map(mapAction),
      });
    }
    marker = res.NextMarker;
  } while (marker);
  return out;
}

export async function describeTargetGroups(client: ElasticLoadBalancingV2Client, query: TargetGroupQuery): Promise<TargetGroup[]> {
  const out: TargetGroup[] = [];
  if (query.arns?.length || query.names?.length) {
    for (const arns of chunk(query.arns ?? [], NAMES_PER_CALL)) {
      const res = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns }));
      out.push(...(res.TargetGroups ?? []).map(mapTargetGroup));
    }
    for (const names of chunk(query.names ?? [], NAMES_PER_CALL)) {
      const res = await client.send(new DescribeTargetGroupsCommand({ Names: names }));
      out.push(...(res.TargetGroups ?? []).map(mapTargetGroup));
    }
    return out;
  }
  const input = query.loadBalancerArn ? { LoadBalancerArn: query.loadBalancerArn, PageSize: PAGE_SIZE } : { PageSize: PAGE_SIZE };
  for await (const page of paginateDescribeTargetGroups({ client }, input)) {
    out.push(...(page.TargetGroups ?? []).map(mapTargetGroup));
  }
  return out;
}

export async function describeTargetGroupAttributes(client: ElasticLoadBalancingV2Client, arn: string): Promise<Record<string, string>> {
  const res = await client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
  return attributes(res.Attributes);
}

export async function describeTargetHealth(client: ElasticLoadBalancingV2Client, arn: string): Promise<TargetHealth[]> {
  const res = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return (res.TargetHealthDescriptions ?? []).map((d) => {
    const th: TargetHealth = { id: d.Target?.Id ?? '', state: d.TargetHealth?.State ?? 'unknown' };
    if (d.Target?.Port !== undefined) th.port = d.Target.Port;
    if (d.Target?.AvailabilityZone) th.az = d.Target.AvailabilityZone;
    if (d.HealthCheckPort) th.healthCheckPort = d.HealthCheckPort;
    if (d.TargetHealth?.Reason) th.reason = d.TargetHealth.Reason;
    if (d.TargetHealth?.Description) th.description = d.TargetHealth.Description;
    return th;
  });
}

export async function describeListenerAttributes(client: ElasticLoadBalancingV2Client, arn: string): Promise<Record<string, string>> {
  const res = await client.send(new DescribeListenerAttributesCommand({ ListenerArn: arn }));
  return attributes(res.Attributes);
}
