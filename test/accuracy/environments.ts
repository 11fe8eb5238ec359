// The accuracy environments: each one is a failure (or a healthy setup) as the AWS
// documentation describes it, seeded into moto. Sources (domain-502.md names the pages):
//  keepalive-race        ALB guide, application-load-balancers.md "Connection idle timeout" and
//                        load-balancer-troubleshooting.md "HTTP 502: target closed the connection"
//                        (-1 timings, target_status `-`, no TargetConnectionErrorCount)
//  sg-blocks             ALB guide, load-balancer-update-security-groups.md (the target SG must
//                        allow the LB SG on the traffic and health-check ports) and
//                        target-group-health-checks.md (Target.Timeout)
//  nacl-ephemeral        VPC user guide, vpc-network-acls.md "Ephemeral ports" and
//                        load-balancer-troubleshooting.md (504 when a NACL blocks the return path)
//  nothing-listening     load-balancer-troubleshooting.md "HTTP 502: the target answered the
//                        connection with a RST" and target-group-health-checks.md
//                        (Target.FailedHealthChecks); TargetConnectionErrorCount in
//                        load-balancer-cloudwatch-metrics.md
//  hc-301                target-group-health-checks.md (Matcher, Target.ResponseCodeMismatch)
//  new-tg                target-group-health-checks.md (initial / Elb.InitialHealthChecking)
//  nacl-all-unhealthy    vpc-network-acls.md + target-group-health-checks.md (fail open when all
//                        targets are unhealthy)
//  dereg-delay           load-balancer-target-groups.md "Deregistration delay" (draining,
//                        Target.DeregistrationInProgress)
//  https-tls             load-balancer-troubleshooting.md "TLS handshake error with the target",
//                        TargetTLSNegotiationErrorCount in load-balancer-cloudwatch-metrics.md
//  target-502            load-balancer-troubleshooting.md (HTTPCode_Target_5XX_Count; target_status 502)
//  lambda-*              lambda-functions.md (health checks off by default) and
//                        load-balancer-access-logs.md "error_reason" (LambdaUnhandled,
//                        LambdaInvalidResponse) with LambdaUserError / LambdaInternalError
//  ip-targets-sg         load-balancer-target-groups.md "Target type ip", ECS awsvpc tasks' ENIs,
//                        load-balancer-update-security-groups.md
//  one-of-several        load-balancer-cloudwatch-metrics.md "Metric dimensions" (TargetGroup,LoadBalancer)
//  malformed             load-balancer-troubleshooting.md "HTTP 502: malformed response / headers
//                        over 32 K" (timings set, target_status `-`, no connection errors)
//  healthy-*             target-group-health-checks.md (healthy, unused / Target.InvalidState),
//                        application-load-balancers.md (idle timeout below the backend keep-alive),
//                        enable-access-logging.md (logs off)
import { DescribeInstancesCommand, EC2Client, CreateNetworkInterfaceCommand } from '@aws-sdk/client-ec2';
import {
  AddTagsCommand, CreateListenerCommand, CreateTargetGroupCommand, DeleteListenerCommand, DescribeListenersCommand,
  ElasticLoadBalancingV2Client, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { MotoAccount } from '../helpers/moto-server.js';
import type { SeedAlbConfig, SeededAlb } from '../helpers/seed-alb.js';
import type { HostCounts, SimRequest } from './simulate.js';

export interface Traffic {
  start: Date;
  end: Date;
  /** `ip:port` of each target of each group, by group index. */
  targets: string[][];
  tgArns: string[];
}

export interface Env {
  id: string;
  /**
   * The first cause `causes` must lead with; null: no cause, exit 0. A `symptom:` id is a state
   * with no deeper cause behind it: no cause, and that symptom first.
   */
  expect: string | null;
  /** Why badgate does not get this one right yet: the suite lists it and does not run it. */
  pending?: string;
  seed: SeedAlbConfig;
  /** Access logs on (the default) or off. */
  logs?: boolean;
  /** Seeding beyond seedAlb (Lambda or IP target groups, extra rules); may replace the groups whose traffic is simulated. */
  extra?: (account: MotoAccount, alb: SeededAlb) => Promise<{ tgArns: string[]; targets: string[][] } | void>;
  traffic: (t: Traffic) => SimRequest[];
  hosts: (t: Traffic) => HostCounts[];
}

const OK: [number, number, number] = [0.001, 0.012, 0.000];
const DASH: [number, number, number] = [-1, -1, -1];

/** Steady traffic: `perMinute` requests a minute spread over a group's targets, each answered by `answer`. */
function steady(t: Traffic, perMinute: number, answer: (i: number, at: Date, target: string, g: number) => Partial<SimRequest> | undefined, groups = [0]): SimRequest[] {
  const out: SimRequest[] = [];
  let i = 0;
  for (let m = t.start.getTime(); m < t.end.getTime(); m += 60_000) {
    for (let k = 0; k < perMinute; k++) {
      for (const g of groups) {
        const targets = t.targets[g];
        const target = targets.length ? targets[i % targets.length] : undefined;
        const at = new Date(m + Math.floor((k + 0.5) * (60_000 / perMinute)));
        const base: SimRequest = { at, tgArn: t.tgArns[g], ...(target ? { target } : {}), timings: OK, elbStatus: 200, targetStatus: 200 };
        out.push({ ...base, ...(answer(i, at, target ?? '-', g) ?? {}) });
        i++;
      }
    }
  }
  return out;
}

const allHealthy = (t: Traffic): HostCounts[] => t.tgArns.map((tgArn, g) => ({ tgArn, healthy: t.targets[g].length, unhealthy: 0 }));
const allUnhealthy = (t: Traffic): HostCounts[] => t.tgArns.map((tgArn, g) => ({ tgArn, healthy: 0, unhealthy: t.targets[g].length }));
const minuteOf = (t: Traffic, at: Date) => Math.floor((at.getTime() - t.start.getTime()) / 60_000);
/** Idle timeout 60 s and access logs on; the suite points `access_logs.s3.bucket` at the account's bucket. */
const LOGS = (_name: string) => ({ 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'true' });

/** A connect refused (RST) or unreachable target: the ALB answers 502 with no timings. */
const refused = { timings: DASH, elbStatus: 502, targetStatus: '-' as const, connectionError: true };
/** A silently dropped connect ends at the 10 s connection timeout as a 504. */
const dropped = { timings: DASH, elbStatus: 504, targetStatus: '-' as const, connectionError: true };

export function environments(): Env[] {
  const envs: Env[] = [];
  const add = (e: Env) => envs.push(e);

  // Keep-alive race: sparse traffic, so pooled connections sit idle past the backend's 5 s keep-alive;
  // a request sent on one just as the backend closes it gets no answer.
  for (const [suffix, every] of [['a', 7], ['b', 11], ['c', 5]] as const) {
    add({
      id: `keepalive-race-${suffix}`, expect: 'keepalive-race', seed: { lbAttributes: LOGS(`ka${suffix}`) },
      traffic: (t) => steady(t, 6, (i) => (i % (every * 3) === every ? { timings: [0.000, 0.000, -1] as [number, number, number], elbStatus: 502, targetStatus: '-' } : undefined)),
      hosts: allHealthy,
    });
  }
  // The app SG lost its rule for the LB SG: connects time out (SG drops silently), health checks time out.
  for (const suffix of ['a', 'b', 'c']) {
    add({
      id: `sg-blocks-${suffix}`, expect: 'sg-blocks-lb-to-target',
      seed: { allowLbToTarget: false, lbAttributes: LOGS(`sg${suffix}`), health: { 0: 'unhealthy|Target.Timeout|Request timed out', 1: 'unhealthy|Target.Timeout|Request timed out' } },
      traffic: (t) => steady(t, 5, () => dropped),
      hosts: allUnhealthy,
    });
  }
  // A NACL on the target subnets denies outbound ephemeral ports: the SYN arrives, the reply never leaves.
  add({
    id: 'nacl-ephemeral', expect: 'nacl-blocks-traffic',
    seed: { naclDenyEphemeral: true, lbAttributes: LOGS('naclep') },
    traffic: (t) => steady(t, 5, (i) => (i % 3 === 0 ? dropped : undefined)),
    hosts: allHealthy,
  });
  // Same NACL, every target unhealthy: the NACL is the cause, all-targets-unhealthy its symptom.
  add({
    id: 'nacl-all-unhealthy', expect: 'nacl-blocks-traffic',
    seed: { naclDenyEphemeral: true, lbAttributes: LOGS('naclall'), health: { 0: 'unhealthy|Target.Timeout|Request timed out', 1: 'unhealthy|Target.Timeout|Request timed out' } },
    traffic: (t) => steady(t, 5, () => dropped),
    hosts: allUnhealthy,
  });
  // Nothing listens on the target port: RST on connect, failed health checks, 502 on every request.
  for (const suffix of ['a', 'b', 'c']) {
    add({
      id: `nothing-listening-${suffix}`, expect: 'target-not-listening',
      seed: { lbAttributes: LOGS(`nl${suffix}`), health: { 0: 'unhealthy|Target.FailedHealthChecks|Health checks failed', 1: 'unhealthy|Target.FailedHealthChecks|Health checks failed' } },
      traffic: (t) => steady(t, 8, () => refused),
      hosts: allUnhealthy,
    });
  }
  // The health check path redirects (301) while the matcher wants 200. All targets unhealthy, the ALB
  // fails open; the autoscaling group replaces instances it sees failing, and requests in flight
  // on the ones being replaced are refused.
  add({
    id: 'hc-301', expect: 'health-check-misconfigured',
    seed: { lbAttributes: LOGS('hc301'), healthCheck: { path: '/health', matcher: '200' }, health: { 0: 'unhealthy|Target.ResponseCodeMismatch|Health checks failed with these codes: [301]', 1: 'unhealthy|Target.ResponseCodeMismatch|Health checks failed with these codes: [301]' } },
    traffic: (t) => steady(t, 6, (i) => (i % 9 === 0 ? refused : undefined)),
    hosts: allUnhealthy,
  });
  // A new target group: its targets are still in their first health checks, no healthy host yet.
  add({
    id: 'new-tg', expect: 'symptom:no-healthy-targets-yet',
    seed: { lbAttributes: LOGS('newtg'), health: { 0: 'initial|Elb.InitialHealthChecking|Initial health checks in progress', 1: 'initial|Elb.InitialHealthChecking|Initial health checks in progress' } },
    traffic: (t) => steady({ ...t, start: new Date(t.start.getTime() + 30 * 60_000) }, 4, () => ({ timings: DASH, elbStatus: 502, targetStatus: '-' as const })),
    hosts: (t) => t.tgArns.map((tgArn) => ({ tgArn, healthy: 0, unhealthy: 0 })),
  });
  // Deregistration delay (5 s) shorter than the slow requests (20–40 s): after a deploy the old
  // target drains, and requests still running on it are cut with a 502.
  add({
    id: 'dereg-delay', expect: 'deregistration-delay',
    seed: { lbAttributes: LOGS('dereg'), tgAttributes: { 'deregistration_delay.timeout_seconds': '5' }, instancesPerGroup: 3, health: { 0: 'draining|Target.DeregistrationInProgress|Target deregistration is in progress' } },
    traffic: (t) => steady(t, 6, (i, at, target) => {
      const deploy = minuteOf(t, at) >= t.end.getTime() / 60_000 - t.start.getTime() / 60_000 - 6;
      if (deploy && target === t.targets[0][0] && i % 2 === 0) return { timings: [0.001, -1, -1] as [number, number, number], elbStatus: 502, targetStatus: '-' };
      return { timings: [0.001, 22.5 + (i % 17), 0.000] as [number, number, number] };
    }),
    hosts: (t) => t.tgArns.map((tgArn, g) => ({ tgArn, healthy: t.targets[g].length - 1, unhealthy: 0 })),
  });
  // HTTPS target group whose targets offer only TLS 1.0: every handshake fails.
  add({
    id: 'https-tls', expect: 'target-tls-handshake',
    seed: { lbAttributes: LOGS('tls'), tgProtocol: 'HTTPS', port: 8443, healthCheckExtra: { protocol: 'HTTPS' }, health: { 0: 'unhealthy|Target.FailedHealthChecks|Health checks failed', 1: 'unhealthy|Target.FailedHealthChecks|Health checks failed' } },
    traffic: (t) => steady(t, 5, () => ({ timings: DASH, elbStatus: 502, targetStatus: '-', tlsError: true })),
    hosts: allUnhealthy,
  });
  // The target's own nginx answers 502 (its upstream app is down); the ALB passes it through.
  for (const suffix of ['a', 'b']) {
    add({
      id: `target-502-${suffix}`, expect: 'target-generated-502', seed: { lbAttributes: LOGS(`t502${suffix}`) },
      traffic: (t) => steady(t, 6, (i) => (i % (suffix === 'a' ? 2 : 4) === 0 ? { timings: [0.000, 0.004, 0.000] as [number, number, number], elbStatus: 502, targetStatus: 502 } : undefined)),
      hosts: allHealthy,
    });
  }
  // Lambda target groups: health checks off (unavailable / Target.HealthCheckDisabled), the
  // function throws (LambdaUnhandled) or returns a malformed object (LambdaInvalidResponse).
  for (const [suffix, reason, cause] of [['unhandled', 'LambdaUnhandled', 'lambda-error-or-timeout'], ['invalid', 'LambdaInvalidResponse', 'lambda-invalid-response']] as const) {
    add({
      id: `lambda-${suffix}`, expect: cause, seed: { lbAttributes: LOGS(`lam${suffix.slice(0, 3)}`) },
      extra: async (account, alb) => ({ tgArns: [await lambdaGroup(account, alb, `fn-${suffix}`)], targets: [[]] }),
      traffic: (t) => steady(t, 5, (i) => (i % 3 === 0
        ? { timings: [0.000, 0.120, 0.000] as [number, number, number], elbStatus: 502, targetStatus: '-', errorReason: reason, lambda: 'user' as const }
        : { targetStatus: 200 })),
      hosts: () => [],
    });
  }
  // ECS tasks (awsvpc) as IP targets; their ENIs' security group does not admit the LB's SG.
  add({
    id: 'ip-targets-sg', expect: 'sg-blocks-lb-to-target',
    seed: { lbAttributes: LOGS('iptg'), instancesPerGroup: 0, allowLbToTarget: false },
    extra: async (account, alb) => ipGroup(account, alb),
    traffic: (t) => steady(t, 5, () => dropped),
    hosts: allUnhealthy,
  });
  // Three target groups, only the second one's app is down (RST on connect); the others are fine.
  add({
    id: 'one-of-several', expect: 'target-not-listening', seed: { lbAttributes: LOGS('multi'), targetGroups: 3 },
    traffic: (t) => steady(t, 4, (_i, _at, _target, g) => (g === 1 ? refused : undefined), [0, 1, 2]),
    hosts: (t) => t.tgArns.map((tgArn, g) => ({ tgArn, healthy: g === 1 ? 0 : t.targets[g].length, unhealthy: g === 1 ? t.targets[g].length : 0 })),
  });
  // The target answers, but with a response the ALB cannot parse (bad header line): timings set, target_status `-`.
  for (const suffix of ['a', 'b']) {
    add({
      id: `malformed-${suffix}`, expect: 'malformed-response',
      seed: { lbAttributes: LOGS(`mal${suffix}`) },
      traffic: (t) => steady(t, 6, (i) => (i % 3 === 0 ? { timings: [0.000, 0.008, -1] as [number, number, number], elbStatus: 502, targetStatus: '-' } : undefined)),
      hosts: allHealthy,
    });
  }
  // A second keep-alive race with more targets and a lower idle timeout raised above the backend's.
  add({
    id: 'keepalive-race-d', expect: 'keepalive-race', seed: { lbAttributes: { ...LOGS('kad'), 'idle_timeout.timeout_seconds': '120' }, instancesPerGroup: 4 },
    traffic: (t) => steady(t, 8, (i) => (i % 37 === 5 ? { timings: [0.000, 0.000, -1] as [number, number, number], elbStatus: 502, targetStatus: '-' } : undefined)),
    hosts: allHealthy,
  });

  // ── healthy ──
  add({ id: 'healthy-clean', expect: null, seed: { lbAttributes: LOGS('hclean') }, traffic: (t) => steady(t, 6, () => undefined), hosts: allHealthy });
  add({
    id: 'healthy-500-404', expect: null, seed: { lbAttributes: LOGS('h5xx') },
    traffic: (t) => steady(t, 6, (i) => (i % 5 === 0 ? { elbStatus: 500, targetStatus: 500 } : i % 7 === 0 ? { elbStatus: 404, targetStatus: 404 } : undefined)),
    hosts: allHealthy,
  });
  add({
    id: 'healthy-stopped-unused', expect: null, seed: { lbAttributes: LOGS('hstop'), instancesPerGroup: 3, stopInstances: 1 },
    // The stopped instance gets no traffic: only the two running ones answer.
    traffic: (t) => steady({ ...t, targets: [t.targets[0].slice(1)] }, 6, () => undefined),
    hosts: (t) => t.tgArns.map((tgArn) => ({ tgArn, healthy: 2, unhealthy: 0 })),
  });
  add({
    id: 'healthy-idle-below-keepalive', expect: null, seed: { lbAttributes: { ...LOGS('hidle'), 'idle_timeout.timeout_seconds': '30' } },
    traffic: (t) => steady(t, 6, () => undefined), hosts: allHealthy,
  });
  add({
    id: 'healthy-logs-off', expect: null, logs: false,
    seed: { lbAttributes: { 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'false' } },
    traffic: (t) => steady(t, 6, () => undefined), hosts: allHealthy,
  });
  return envs;
}

/** A Lambda target group behind the listener's default action, replacing the instance group. */
async function lambdaGroup(account: MotoAccount, alb: SeededAlb, fn: string): Promise<string> {
  const elb = new ElasticLoadBalancingV2Client(account.clientConfig);
  const tg = (await elb.send(new CreateTargetGroupCommand({ Name: `${fn}-tg`, TargetType: 'lambda' }))).TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: `arn:aws:lambda:us-east-1:${account.accountId}:function:${fn}` }] }));
  await forwardTo(elb, alb, tg);
  await elb.send(new AddTagsCommand({ ResourceArns: [tg], Tags: [{ Key: `moto:health:arn:aws:lambda:us-east-1:${account.accountId}:function:${fn}`, Value: 'unavailable|Target.HealthCheckDisabled|Health checks are disabled' }] }));
  return tg;
}

/**
 * Points the LB's listener at a new group. moto's ModifyListener changes the default action but
 * leaves the group unlinked from the LB (DescribeTargetGroups by LB misses it), so the listener
 * is replaced as a whole, which links it as AWS does.
 */
async function forwardTo(elb: ElasticLoadBalancingV2Client, alb: SeededAlb, tg: string): Promise<void> {
  const old = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: alb.lbArn }))).Listeners?.[0];
  if (old?.ListenerArn) await elb.send(new DeleteListenerCommand({ ListenerArn: old.ListenerArn }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: alb.lbArn, Protocol: old?.Protocol ?? 'HTTP', Port: old?.Port ?? 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
}

/** Two task ENIs in the app subnets, in a task SG that only admits the office; registered by IP. */
async function ipGroup(account: MotoAccount, alb: SeededAlb): Promise<{ tgArns: string[]; targets: string[][] }> {
  const ec2 = new EC2Client(account.clientConfig);
  const elb = new ElasticLoadBalancingV2Client(account.clientConfig);
  const ips = ['10.0.16.40', '10.0.32.41'];
  for (const [i, ip] of ips.entries()) {
    await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: alb.appSubnets[i], Groups: [alb.appSg], PrivateIpAddress: ip, Description: 'arn:aws:ecs:us-east-1:task/api' }));
  }
  const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'api-tasks', TargetType: 'ip', Protocol: 'HTTP', Port: 8080, VpcId: alb.vpcId, HealthCheckPath: '/health' }))).TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: ips.map((Id) => ({ Id, Port: 8080 })) }));
  await forwardTo(elb, alb, tg);
  await elb.send(new AddTagsCommand({ ResourceArns: [tg], Tags: ips.map((ip) => ({ Key: `moto:health:${ip}`, Value: 'unhealthy|Target.Timeout|Request timed out' })) }));
  return { tgArns: [tg], targets: [ips.map((ip) => `${ip}:8080`)] };
}

/** `ip:port` of each group's instances. */
export async function instanceTargets(account: MotoAccount, alb: SeededAlb, port: number): Promise<string[][]> {
  const ec2 = new EC2Client(account.clientConfig);
  const all = alb.instanceIds.flat();
  if (!all.length) return alb.instanceIds.map(() => []);
  const res = await ec2.send(new DescribeInstancesCommand({ InstanceIds: all }));
  const ip = new Map(res.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId as string, i.PrivateIpAddress as string]));
  return alb.instanceIds.map((ids) => ids.map((id) => `${ip.get(id)}:${port}`));
}
