import type { ApplicationGateway } from '../azure/reader.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import { APPGW_PARAMS, apis, gatewayTier } from './appgw-common.js';
import { requireAzure } from './env.js';
import type { Check } from './types.js';

export interface AppGwSettingsEvidence {
  gateway: ApplicationGateway;
}

/** Defaults from the Application Gateway docs: request timeout 20 s; default probe every 30 s, timeout 30 s, 3 failures. */
const DEFAULT_REQUEST_TIMEOUT = 20;

function evaluate(ev: AppGwSettingsEvidence): CheckResult {
  const g = ev.gateway;
  const tier = gatewayTier(g);
  const details: string[] = [];
  const findings: Finding[] = [];
  const facts: Facts = { 'appgw.tier': tier };
  const add = (cause: string, confidence: Finding['confidence'], text: string) => {
    const f = findings.find((x) => x.cause === cause && x.confidence === confidence);
    if (f) f.evidence.push(text);
    else findings.push({ cause, confidence, evidence: [text] });
  };
  const timeouts: number[] = [];
  for (const s of g.httpSettings) {
    const timeout = s.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
    timeouts.push(timeout);
    const protocol = (s.protocol ?? 'Http').toLowerCase();
    const probe = s.probeId ? g.probes.find((p) => p.id.toLowerCase() === s.probeId!.toLowerCase()) : undefined;
    details.push(`${s.name}: ${s.protocol ?? 'Http'} port ${s.port ?? '?'}, request timeout ${timeout} s, cookie affinity ${s.cookieBasedAffinity ?? 'Disabled'}, host ${s.hostName ?? (s.pickHostNameFromBackendAddress ? 'from the backend address' : 'not set (the request Host goes through)')}, probe ${probe ? `${probe.name} ${probe.protocol ?? ''} ${probe.path ?? '/'} every ${probe.intervalSeconds ?? '?'} s, timeout ${probe.timeoutSeconds ?? '?'} s` : `default (${protocol}://127.0.0.1:${s.port ?? '?'}/, every 30 s, timeout 30 s, 3 failures)`}`);
    // v1 answers a request that outlives the timeout with 502; v2 retries another member, then 504.
    if (timeout < DEFAULT_REQUEST_TIMEOUT) {
      add('timeout-mismatch', tier === 'v1' ? 'likely' : 'suspected', `${s.name}: request timeout ${timeout} s, below the ${DEFAULT_REQUEST_TIMEOUT} s default; a slower response becomes ${tier === 'v1' ? 'a 502 on v1' : 'a retry then 504 on v2'}`);
    } else {
      details.push(`  ${tier === 'v1' ? 'v1: a response slower than' : 'v2: a response slower than'} ${timeout} s ${tier === 'v1' ? 'becomes a 502' : 'is retried on another member, then 504'}`);
    }
    if (protocol === 'https' && !s.hostName && !s.pickHostNameFromBackendAddress) {
      add('host-header-or-sni-mismatch', 'suspected', `${s.name}: HTTPS to the backend with no host name: the SNI and certificate check use the client's Host, which the backend certificate may not cover (v2 matches the leaf CN against the probe or setting host name)`);
    }
    if (probe && probe.timeoutSeconds !== undefined && probe.intervalSeconds !== undefined && probe.timeoutSeconds > probe.intervalSeconds) {
      add('health-check-misconfigured', 'suspected', `${s.name}: probe ${probe.name} timeout ${probe.timeoutSeconds} s is longer than its interval ${probe.intervalSeconds} s`);
    }
    if (!probe && (protocol === 'https' || s.hostName)) {
      add('health-check-misconfigured', 'suspected', `${s.name}: default probe sends Host 127.0.0.1${protocol === 'https' ? ' over HTTPS (no SNI the backend can match)' : ''}; a backend serving named hosts may fail it`);
    }
    if ((s.cookieBasedAffinity ?? '').toLowerCase() === 'enabled') {
      details.push(`  cookie affinity is on: a client stays on one member, so a member briefly unable to answer fails that client's requests until it is marked down`);
    }
  }
  if (timeouts.length) facts['appgw.requestTimeoutSeconds'] = Math.min(...timeouts);
  const first = g.httpSettings[0];
  if (first?.protocol) facts['appgw.backendProtocol'] = first.protocol.toLowerCase();
  if (first?.cookieBasedAffinity) facts['appgw.cookieAffinity'] = first.cookieBasedAffinity;
  const standing = findings.filter((f) => f.confidence !== 'ruled-out');
  if (!g.httpSettings.length) return { status: 'unknown', outcome: 'unknown', summary: `${g.name} has no backend HTTP settings`, details, facts, nextStep: 'check --name: a gateway with routing rules has at least one backend setting' };
  if (standing.length) {
    return { status: 'warn', outcome: 'risky', summary: `${standing.length} HTTP-setting or probe risk(s) on ${g.name}: ${standing.map((f) => f.cause).join(', ')}`, details, facts, findings };
  }
  return {
    status: 'pass', outcome: 'ok', summary: `HTTP settings and probes of ${g.name} look sound (request timeout ${Math.min(...timeouts)} s or more)`, details, facts,
    findings: [{ cause: 'timeout-mismatch', confidence: 'ruled-out', evidence: [`request timeouts ${timeouts.join(', ')} s, at or above the ${DEFAULT_REQUEST_TIMEOUT} s default`] }],
  };
}

export const appgwHttpSettings: Check<AppGwSettingsEvidence> = {
  meta: {
    id: 'appgw.http-settings',
    title: 'App Gateway backend HTTP settings and probes (request timeout, host name, protocol, cookie affinity, probe)',
    docs: 'https://learn.microsoft.com/azure/application-gateway/configuration-http-settings',
    apis: apis('getApplicationGateway'),
    params: APPGW_PARAMS,
    outcomes: ['ok', 'risky'],
    causes: ['timeout-mismatch', 'host-header-or-sni-mismatch', 'health-check-misconfigured'],
    facts: ['appgw.tier', 'appgw.requestTimeoutSeconds', 'appgw.backendProtocol', 'appgw.cookieAffinity'],
    strength: 'config',
  },
  async collect(ctx) {
    const azure = requireAzure(ctx);
    ctx.progress(`ApplicationGateways_Get ${ctx.params.resourceGroup}/${ctx.params.name}`);
    return { gateway: await azure.getApplicationGateway(ctx.params.resourceGroup ?? '', ctx.params.name ?? '') };
  },
  evaluate,
};
