import type { ApplicationGateway, BackendHealthEntry } from '../azure/reader.js';
import { lastSegment } from '../azure/reader.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import { APPGW_PARAMS, apis, BACKEND_HEALTH_DOC, causesForProbeLog, findingsFrom, gatewayTier, serverState } from './appgw-common.js';
import { requireAzure } from './env.js';
import type { Check } from './types.js';

export interface AppGwHealthEvidence {
  gateway: ApplicationGateway;
  health: BackendHealthEntry[];
}

function evaluate(ev: AppGwHealthEvidence): CheckResult {
  const g = ev.gateway;
  const tier = gatewayTier(g);
  const servers = ev.health.flatMap((e) => e.servers.map((s) => ({ ...s, pool: lastSegment(e.poolId), settings: lastSegment(e.settingsId), state: serverState(s) })));
  const count = (state: string) => servers.filter((s) => s.state === state).length;
  const healthy = count('healthy');
  const unhealthy = count('unhealthy');
  const unknown = count('unknown');
  const facts: Facts = {
    'appgw.name': g.name, 'appgw.tier': tier, 'appgw.sku': g.sku.name ?? '', 'appgw.healthyCount': healthy, 'appgw.unhealthyCount': unhealthy, 'appgw.unknownCount': unknown,
  };
  if (g.operationalState) facts['appgw.operationalState'] = g.operationalState;
  // The address to look at is a server that is not healthy; the one to probe for keep-alive is one that answers.
  const first = servers.find((s) => s.state !== 'healthy') ?? servers[0];
  const probe = servers.find((s) => s.state === 'healthy') ?? first;
  if (first) facts['appgw.backendAddress'] = first.address;
  if (probe) {
    const settings = g.httpSettings.find((s) => s.name === probe.settings);
    if (settings?.port) facts['appgw.backendPort'] = settings.port;
    if (settings?.protocol) facts['appgw.backendProtocol'] = settings.protocol.toLowerCase();
    facts['appgw.backendTarget'] = `${settings?.protocol?.toLowerCase() === 'https' ? 'https' : 'http'}://${probe.address}:${settings?.port ?? 80}/`;
  }
  const details = servers.map((s) => `${s.pool}/${s.settings} ${s.address}: ${s.health}${s.healthProbeLog ? ` — ${s.healthProbeLog}` : ''}`);
  const emptyPools = g.backendPools.filter((p) => !p.addresses.length && !p.ipConfigurationIds.length).map((p) => p.name);
  if (emptyPools.length) details.push(`Empty backend pools (a rule pointing at one answers 502): ${emptyPools.join(', ')}`);
  details.push(`Gateway ${g.name}: ${g.sku.name ?? '?'} (${tier})${g.operationalState ? `, ${g.operationalState}` : ''}; messages explained at ${BACKEND_HEALTH_DOC}`);

  if (g.operationalState && g.operationalState !== 'Running') {
    return { status: 'fail', outcome: 'all-unhealthy', summary: `The gateway ${g.name} is ${g.operationalState}, not Running`, details, facts, findings: [{ cause: 'all-targets-unhealthy', confidence: 'likely', evidence: [`operationalState ${g.operationalState}`] }] };
  }
  if (!servers.length) {
    return {
      status: 'fail', outcome: 'empty-pool', summary: `Backend health lists no servers for ${g.name}: the pool is empty, and App Gateway answers 502`,
      details, facts, findings: [{ cause: 'all-targets-unhealthy', confidence: 'confirmed', evidence: ['backend health returned no servers (empty backend pool)'] }],
    };
  }
  const probeCauses = servers.filter((s) => s.state === 'unhealthy').flatMap((s) => causesForProbeLog(s.healthProbeLog).map((c) => ({ ...c, address: s.address, log: s.healthProbeLog ?? '' })));
  const everyOneDown = healthy === 0;
  const findings: Finding[] = findingsFrom(probeCauses, everyOneDown ? 'likely' : 'suspected', (why) => `backend health: ${why}`);
  for (const f of findings) {
    const hit = probeCauses.find((c) => c.cause === f.cause);
    if (hit) f.evidence.push(`${hit.address}: "${hit.log}"`);
  }
  if (unknown) {
    findings.push({
      cause: 'sg-blocks-lb-to-target', confidence: 'suspected',
      evidence: [`${unknown} server(s) Unknown: per Microsoft, an NSG blocking ports ${tier === 'v2' ? '65200-65535' : '65503-65534'} on the gateway subnet, a UDR, or custom DNS failing the backend FQDN`],
    });
  }
  if (everyOneDown) {
    findings.push({ cause: 'all-targets-unhealthy', confidence: 'confirmed', evidence: [`0 of ${servers.length} backend servers Healthy: App Gateway answers 502 for every request to this pool`] });
    return { status: 'fail', outcome: 'all-unhealthy', summary: `No backend server is Healthy (${unhealthy} Unhealthy, ${unknown} Unknown): every request gets a 502`, details, facts, findings };
  }
  if (unhealthy || unknown) {
    findings.push({ cause: 'all-targets-unhealthy', confidence: 'ruled-out', evidence: [`${healthy} of ${servers.length} backend servers Healthy`] });
    return { status: 'warn', outcome: 'some-unhealthy', summary: `${unhealthy + unknown} of ${servers.length} backend servers not Healthy; requests they got before being marked down may have failed`, details, facts, findings };
  }
  return {
    status: 'pass', outcome: 'healthy', summary: `All ${servers.length} backend servers Healthy: sporadic 502s then point at the keep-alive race or a backend briefly unable to answer (article 003)`,
    details, facts, findings: [{ cause: 'all-targets-unhealthy', confidence: 'ruled-out', evidence: [`all ${servers.length} backend servers Healthy`] }],
  };
}

export const appgwBackendHealth: Check<AppGwHealthEvidence> = {
  meta: {
    id: 'appgw.backend-health',
    title: 'App Gateway backend health (Unhealthy/Unknown servers and the probe message)',
    docs: BACKEND_HEALTH_DOC,
    apis: apis('getApplicationGateway', 'backendHealth'),
    params: APPGW_PARAMS,
    outcomes: ['healthy', 'some-unhealthy', 'all-unhealthy', 'empty-pool'],
    causes: ['all-targets-unhealthy', 'target-crashed-or-overloaded', 'origin-dns-failure', 'target-not-listening', 'sg-blocks-lb-to-target', 'health-check-misconfigured', 'target-tls-handshake'],
    facts: ['appgw.name', 'appgw.tier', 'appgw.sku', 'appgw.healthyCount', 'appgw.unhealthyCount', 'appgw.unknownCount', 'appgw.operationalState', 'appgw.backendAddress', 'appgw.backendPort', 'appgw.backendProtocol', 'appgw.backendTarget'],
    strength: 'measured',
  },
  async collect(ctx) {
    const azure = requireAzure(ctx);
    const rg = ctx.params.resourceGroup ?? '';
    const name = ctx.params.name ?? '';
    ctx.progress(`ApplicationGateways_Get ${rg}/${name}`);
    const gateway = await azure.getApplicationGateway(rg, name);
    ctx.progress(`ApplicationGateways_BackendHealth ${rg}/${name} (a long-running read; can take a minute)`);
    const health = await azure.backendHealth(rg, name);
    return { gateway, health };
  },
  evaluate,
};
