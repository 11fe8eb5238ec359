import type { CheckResult, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import type { TcpEvidence } from '../net/tcp-probe.js';
import { hostOf } from '../net/target.js';
import { numberParam, paramProblem, probeSource } from './net-shared.js';

export interface TcpCheckEvidence {
  tcp?: TcpEvidence;
  paramError?: string;
}

function evaluate(ev: TcpCheckEvidence): CheckResult {
  if (ev.paramError || !ev.tcp) return paramProblem(ev.paramError ?? 'no probe ran', 'Pass host and port, e.g. host: 10.0.1.15, port: 8080.');
  const t = ev.tcp;
  const where = `${t.host}:${t.port}${t.address && t.address !== t.host ? ` (${t.address})` : ''}`;
  const sources = [probeSource('probe:tcp', { host: t.host, port: t.port }, t.checkedAt)];
  const facts = t.address ? { 'tcp.address': t.address } : undefined;
  switch (t.result) {
    case 'open':
      return { status: 'pass', outcome: 'open', summary: `${where} accepts connections (${t.connectMs} ms)`, facts, sources };
    case 'refused': {
      const findings: Finding[] = [{ cause: 'target-not-listening', confidence: 'likely', evidence: [`TCP connect to ${where}: ${t.error?.message ?? 'refused'}`] }];
      return {
        status: 'fail',
        outcome: 'refused',
        summary: `${where} refused the connection (RST): nothing listens there; a gateway answers 502`,
        details: ['Is the process up, and is the target group / upstream port the port the app really listens on?'],
        facts,
        findings,
        sources,
      };
    }
    case 'timeout': {
      const findings: Finding[] = [{
        cause: 'sg-blocks-lb-to-target',
        confidence: 'suspected',
        evidence: [`TCP connect to ${where} got no answer in ${t.timeoutMs} ms (silent drop)`],
      }];
      return {
        status: 'fail',
        outcome: 'timeout',
        summary: `${where} did not answer within ${t.timeoutMs} ms (silently dropped)`,
        details: [
          'A silent drop (security group, NACL, firewall) makes an ALB answer 504 after its 10 s connect timeout, not 502; a refusal (RST) is the 502 case.',
          'This probe runs from here, not from the load balancer subnets: a firewall between you and the target gives the same result.',
        ],
        facts,
        findings,
        sources,
      };
    }
    case 'unreachable':
      return {
        status: 'fail',
        outcome: 'unreachable',
        summary: `${where}: ${t.error?.message ?? 'unreachable'}`,
        details: ['An ICMP unreachable while connecting is a documented ALB 502 cause: check routes, the instance state, and REJECT rules on the path.'],
        facts,
        sources,
      };
    case 'dns-error':
      return {
        status: 'unknown',
        outcome: 'dns-error',
        summary: `${t.host} did not resolve: ${t.error?.message ?? ''}`.trim(),
        sources,
        nextStep: `Check the name with net.dns (dig ${t.host}).`,
      };
    default:
      return {
        status: 'unknown',
        outcome: 'unknown',
        summary: `TCP connect to ${where} failed: ${t.error?.message ?? 'unknown error'}`,
        sources,
        nextStep: 'Check the host and port, then run the check again.',
      };
  }
}

export const tcpConnectCheck: Check<TcpCheckEvidence> = {
  meta: {
    id: 'net.tcp-connect',
    title: 'TCP connect: open, refused (502 cause) or silently dropped (504 cause)',
    docs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html',
    apis: ['probe:dns', 'probe:tcp'],
    params: {
      host: { description: 'Host or IP to connect to', required: true },
      port: { description: 'TCP port', required: true },
      timeoutSeconds: { description: 'How long to wait for the handshake (default 5; an ALB waits 10)' },
    },
    outcomes: ['open', 'refused', 'timeout', 'unreachable', 'dns-error'],
    causes: ['sg-blocks-lb-to-target', 'target-not-listening'],
    facts: ['tcp.address'],
  },
  async collect(ctx) {
    const host = hostOf(ctx.params.host ?? '');
    if (!host) return { paramError: 'host is required' };
    if (!ctx.params.port?.trim()) return { paramError: 'port is required' };
    const port = numberParam(ctx.params, 'port', 0, { min: 1, max: 65535, integer: true });
    if (!port.ok) return { paramError: port.error };
    const timeout = numberParam(ctx.params, 'timeoutSeconds', 5, { min: 0.01, max: 60 });
    if (!timeout.ok) return { paramError: timeout.error };
    ctx.progress(`TCP connect to ${host}:${port.value}`);
    const tcp = await ctx.env.net.tcp({ host, port: port.value, timeoutMs: timeout.value * 1000, signal: ctx.signal, now: () => ctx.env.clock.now() });
    return { tcp };
  },
  evaluate,
};
