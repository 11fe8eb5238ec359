import type { ApplicationGateway, AzureRouteTable, AzureSubnet, NetworkSecurityGroup } from '../azure/reader.js';
import type { CheckResult, Finding } from '../engine/vocabulary.js';
import { APPGW_PARAMS, apis, describeNsgRule, gatewayTier, isPrivateIp, nsgDecision } from './appgw-common.js';
import { cidrRange, ipToInt } from './ec2-network-rules.js';
import { requireAzure } from './env.js';
import type { Check } from './types.js';

export interface AppGwPathEvidence {
  gateway: ApplicationGateway;
  gatewaySubnets: { subnet: AzureSubnet; nsg?: NetworkSecurityGroup; routeTable?: AzureRouteTable }[];
  /** NSGs of the resource group attached to a subnet that holds a backend address. */
  backendNsgs: { nsg: NetworkSecurityGroup; subnet: AzureSubnet }[];
}

/** Most NSG subnets the check reads to place backend addresses (one call each). */
const MAX_SUBNET_READS = 10;

const inPrefix = (ip: string, prefix: string) => {
  const r = cidrRange(prefix);
  const n = ipToInt(ip);
  return Boolean(r) && !Number.isNaN(n) && n >= r!.start && n <= r!.end;
};

function evaluate(ev: AppGwPathEvidence): CheckResult {
  const g = ev.gateway;
  const tier = gatewayTier(g);
  const mgmtPort = tier === 'v2' ? 65200 : 65503;
  const backends = [...new Set(g.backendPools.flatMap((p) => p.addresses))].filter((a) => !Number.isNaN(ipToInt(a)));
  const ports = [...new Set(g.httpSettings.map((s) => s.port ?? 80))];
  const details: string[] = [];
  const findings: Finding[] = [];
  const blocked: string[] = [];
  for (const { subnet, nsg, routeTable } of ev.gatewaySubnets) {
    const gwPrefix = subnet.addressPrefixes[0];
    details.push(`Gateway subnet ${subnet.name} ${subnet.addressPrefixes.join(', ')}: NSG ${nsg?.name ?? 'none'}, route table ${routeTable?.name ?? 'none'}`);
    if (nsg) {
      const mgmt = nsgDecision(nsg.rules, 'Inbound', { tag: 'GatewayManager' }, { ip: gwPrefix?.split('/')[0], privateIp: true }, mgmtPort);
      if (!mgmt || mgmt.access === 'Deny') {
        const why = `${mgmt ? describeNsgRule(nsg.name, mgmt.rule) : `${nsg.name}: no rule`} denies GatewayManager on ${tier === 'v2' ? '65200-65535' : '65503-65534'}, which ${tier} needs on the gateway subnet (backend health turns Unknown)`;
        blocked.push(why);
        findings.push({ cause: 'sg-blocks-lb-to-target', confidence: 'likely', evidence: [why] });
      }
      for (const ip of backends) {
        for (const port of ports) {
          const out = nsgDecision(nsg.rules, 'Outbound', { ip: gwPrefix?.split('/')[0], privateIp: true }, { ip, privateIp: isPrivateIp(ip) }, port);
          if (out?.access === 'Deny') {
            const why = `${describeNsgRule(nsg.name, out.rule)} denies the gateway subnet → ${ip}:${port}`;
            blocked.push(why);
            findings.push({ cause: 'sg-blocks-lb-to-target', confidence: 'confirmed', evidence: [why] });
          }
        }
      }
    }
    if (routeTable) {
      for (const ip of backends) {
        const hits = routeTable.routes.filter((r) => inPrefix(ip, r.addressPrefix)).sort((a, b) => Number(b.addressPrefix.split('/')[1]) - Number(a.addressPrefix.split('/')[1]));
        const r = hits[0];
        if (r && !['vnetlocal', 'virtualnetwork'].includes(r.nextHopType.toLowerCase())) {
          const why = `${routeTable.name} route ${r.name} sends ${ip} (${r.addressPrefix}) to ${r.nextHopType}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress}` : ''}, away from the backend`;
          blocked.push(why);
          findings.push({ cause: 'udr-diverts-backend-traffic', confidence: 'likely', evidence: [why] });
        }
      }
      const dflt = routeTable.routes.find((r) => r.addressPrefix === '0.0.0.0/0');
      if (tier === 'v2' && dflt && dflt.nextHopType.toLowerCase() !== 'internet') {
        details.push(`${routeTable.name} route ${dflt.name}: 0.0.0.0/0 → ${dflt.nextHopType}; v2 needs next hop Internet for its management traffic`);
      }
    }
  }
  for (const { nsg, subnet } of ev.backendNsgs) {
    const from = ev.gatewaySubnets[0]?.subnet.addressPrefixes[0]?.split('/')[0];
    for (const ip of backends.filter((b) => subnet.addressPrefixes.some((p) => inPrefix(b, p)))) {
      for (const port of ports) {
        const d = nsgDecision(nsg.rules, 'Inbound', { ip: from, privateIp: true }, { ip, privateIp: isPrivateIp(ip) }, port);
        details.push(`Backend ${ip}:${port} in ${subnet.name}: ${d ? `${d.access} by ${describeNsgRule(nsg.name, d.rule)}` : `no matching rule in ${nsg.name}`}`);
        if (d?.access === 'Deny') {
          const why = `${describeNsgRule(nsg.name, d.rule)} denies the gateway subnet → ${ip}:${port}`;
          blocked.push(why);
          findings.push({ cause: 'sg-blocks-lb-to-target', confidence: 'confirmed', evidence: [why] });
        }
      }
    }
  }
  const gwPrefix = ev.gatewaySubnets[0]?.subnet.addressPrefixes[0];
  const facts = { 'appgw.tier': tier, 'appgw.pathBlocked': blocked.length > 0, ...(gwPrefix ? { 'appgw.subnetPrefix': gwPrefix } : {}) };
  if (!backends.length) details.push('No backend IP addresses in the pools (FQDN or NIC members): NSG/UDR toward them not evaluated; check DNS of the FQDNs and the NICs\' effective rules.');
  if (blocked.length) return { status: 'fail', outcome: 'blocked', summary: `The path from the gateway to the backend is blocked: ${blocked[0]}`, details, facts, findings };
  return {
    status: 'pass', outcome: 'clear', summary: `No NSG rule or route blocks the gateway from ${backends.length} backend address(es) on port(s) ${ports.join(', ')}`, details, facts,
    findings: backends.length ? [
      { cause: 'sg-blocks-lb-to-target', confidence: 'ruled-out', evidence: ['NSG rules on the gateway and backend subnets allow the gateway → backend path'] },
      { cause: 'udr-diverts-backend-traffic', confidence: 'ruled-out', evidence: ['no route on the gateway subnet sends backend addresses away'] },
    ] : [],
  };
}

export const appgwBackendPath: Check<AppGwPathEvidence> = {
  meta: {
    id: 'appgw.backend-path',
    title: 'NSG rules and routes (UDR) between the App Gateway and its backend',
    docs: 'https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure',
    apis: apis('getApplicationGateway', 'getSubnet', 'getNsg', 'getRouteTable', 'listNetworkSecurityGroups'),
    params: APPGW_PARAMS,
    outcomes: ['clear', 'blocked'],
    causes: ['sg-blocks-lb-to-target', 'udr-diverts-backend-traffic'],
    facts: ['appgw.tier', 'appgw.pathBlocked', 'appgw.subnetPrefix'],
    strength: 'config',
  },
  async collect(ctx) {
    const azure = requireAzure(ctx);
    const rg = ctx.params.resourceGroup ?? '';
    const gateway = await azure.getApplicationGateway(rg, ctx.params.name ?? '');
    const gatewaySubnets: AppGwPathEvidence['gatewaySubnets'] = [];
    for (const id of gateway.subnetIds) {
      ctx.progress(`Subnets_Get ${id.split('/').pop()}`);
      const subnet = await azure.getSubnet(id);
      const nsg = subnet.nsgId ? await azure.getNsg(subnet.nsgId) : undefined;
      const routeTable = subnet.routeTableId ? await azure.getRouteTable(subnet.routeTableId) : undefined;
      gatewaySubnets.push({ subnet, ...(nsg ? { nsg } : {}), ...(routeTable ? { routeTable } : {}) });
    }
    ctx.progress(`NetworkSecurityGroups_List ${rg}`);
    const gwSubnetIds = new Set(gateway.subnetIds.map((s) => s.toLowerCase()));
    const backendNsgs: AppGwPathEvidence['backendNsgs'] = [];
    let reads = 0;
    for (const nsg of await azure.listNetworkSecurityGroups(rg)) {
      for (const id of nsg.subnetIds.filter((s) => !gwSubnetIds.has(s.toLowerCase()))) {
        if (reads++ >= MAX_SUBNET_READS) break;
        backendNsgs.push({ nsg, subnet: await azure.getSubnet(id) });
      }
    }
    return { gateway, gatewaySubnets, backendNsgs };
  },
  evaluate,
};
