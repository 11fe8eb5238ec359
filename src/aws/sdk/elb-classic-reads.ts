import {
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  paginateDescribeLoadBalancers,
  type ElasticLoadBalancingClient,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import { chunk } from '../batch.js';
import type { ClassicInstanceState, ClassicLbAttributes, ClassicLoadBalancer } from '../reader.js';

// The 2012-06-01 API takes PageSize up to 400; names go 20 to a call like elbv2's.
const PAGE_SIZE = 400;
const NAMES_PER_CALL = 20;

function mapClassic(lb: LoadBalancerDescription): ClassicLoadBalancer {
  const hc = lb.HealthCheck;
  return {
    name: lb.LoadBalancerName ?? '',
    dnsName: lb.DNSName ?? '',
    scheme: lb.Scheme ?? '',
    vpcId: lb.VPCId ?? '',
    azs: lb.AvailabilityZones ?? [],
    subnets: lb.Subnets ?? [],
    securityGroups: lb.SecurityGroups ?? [],
    listeners: (lb.ListenerDescriptions ?? []).map((d) => ({
      protocol: d.Listener?.Protocol ?? '',
      loadBalancerPort: d.Listener?.LoadBalancerPort ?? 0,
      instanceProtocol: d.Listener?.InstanceProtocol ?? d.Listener?.Protocol ?? '',
      instancePort: d.Listener?.InstancePort ?? 0,
    })),
    healthCheck: {
      target: hc?.Target ?? '',
      ...(hc?.Interval !== undefined ? { intervalSeconds: hc.Interval } : {}),
      ...(hc?.Timeout !== undefined ? { timeoutSeconds: hc.Timeout } : {}),
      ...(hc?.HealthyThreshold !== undefined ? { healthyThreshold: hc.HealthyThreshold } : {}),
      ...(hc?.UnhealthyThreshold !== undefined ? { unhealthyThreshold: hc.UnhealthyThreshold } : {}),
    },
    instanceIds: (lb.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean),
    ...(lb.CreatedTime ? { createdAt: new Date(lb.CreatedTime).toISOString() } : {}),
  };
}

export async function describeClassicLoadBalancers(client: ElasticLoadBalancingClient, names: string[] = []): Promise<ClassicLoadBalancer[]> {
  const out: ClassicLoadBalancer[] = [];
  const batches = names.length ? chunk(names, NAMES_PER_CALL) : [undefined];
  for (const batch of batches) {
    for await (const page of paginateDescribeLoadBalancers({ client }, { LoadBalancerNames: batch, PageSize: PAGE_SIZE })) {
      out.push(...(page.LoadBalancerDescriptions ?? []).map(mapClassic));
    }
  }
  return out;
}

export async function describeInstanceHealth(client: ElasticLoadBalancingClient, name: string): Promise<ClassicInstanceState[]> {
  const res = await client.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name }));
  return (res.InstanceStates ?? []).map((s) => ({
    instanceId: s.InstanceId ?? '',
    state: s.State ?? 'Unknown',
    ...(s.ReasonCode ? { reasonCode: s.ReasonCode } : {}),
    ...(s.Description ? { description: s.Description } : {}),
  }));
}

export async function describeClassicLoadBalancerAttributes(client: ElasticLoadBalancingClient, name: string): Promise<ClassicLbAttributes> {
  const a = (await client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }))).LoadBalancerAttributes;
  const out: ClassicLbAttributes = { additional: {} };
  if (a?.ConnectionSettings?.IdleTimeout !== undefined) out.idleTimeoutSeconds = a.ConnectionSettings.IdleTimeout;
  if (a?.AccessLog) {
    out.accessLog = {
      enabled: a.AccessLog.Enabled ?? false,
      ...(a.AccessLog.S3BucketName ? { bucket: a.AccessLog.S3BucketName } : {}),
      ...(a.AccessLog.S3BucketPrefix ? { prefix: a.AccessLog.S3BucketPrefix } : {}),
      ...(a.AccessLog.EmitInterval !== undefined ? { emitIntervalMinutes: a.AccessLog.EmitInterval } : {}),
    };
  }
  if (a?.ConnectionDraining) out.connectionDraining = { enabled: a.ConnectionDraining.Enabled ?? false, ...(a.ConnectionDraining.Timeout !== undefined ? { timeoutSeconds: a.ConnectionDraining.Timeout } : {}) };
  if (a?.CrossZoneLoadBalancing) out.crossZone = a.CrossZoneLoadBalancing.Enabled ?? false;
  for (const x of a?.AdditionalAttributes ?? []) if (x.Key) out.additional[x.Key] = x.Value ?? '';
  return out;
}
