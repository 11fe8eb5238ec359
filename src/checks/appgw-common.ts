import type { ApplicationGateway, AzureMethod, BackendServerHealth, NsgRule } from '../azure/reader.js';
import { azureApi, lastSegment } from '../azure/reader.js';
import type { Finding } from '../engine/vocabulary.js';
import { cidrRange, contains, ipToInt } from './ec2-network-rules.js';

/** The two parameters every App Gateway check takes. */
export const APPGW_PARAMS = {
  resourceGroup: { description: 'Resource group of the Application Gateway (--resource-group)', required: true },
  name: { description: 'Name of the Application Gateway (--name)', required: true },
};

export const apis = (...methods: AzureMethod[]): string[] => methods.map(azureApi);

/** v2 SKUs are Standard_v2, WAF_v2 and Basic; the rest (Standard_Small…, WAF_Medium…) are v1. */
export function gatewayTier(g: Pick<ApplicationGateway, 'sku'>): 'v1' | 'v2' {
  const name = `${g.sku.name ?? ''} ${g.sku.tier ?? ''}`;
  return /_v2\b|\bBasic\b/i.test(name) ? 'v2' : 'v1';
}

/** The API says Up/Down, the portal and az CLI Healthy/Unhealthy: one word for both. */
export function serverState(s: Pick<BackendServerHealth, 'health'>): 'healthy' | 'unhealthy' | 'draining' | 'unknown' {
  const h = s.health.toLowerCase();
  if (h === 'up' || h === 'healthy') return 'healthy';
  if (h === 'down' || h === 'unhealthy') return 'unhealthy';
  if (h === 'draining') return 'draining';
  return 'unknown';
}

const DOC = 'https://learn.microsoft.com/azure/application-gateway/application-gateway-backend-health-troubleshooting';

/**
 * The backend-health message (healthProbeLog) in the catalog's words. Messages as the backend
 * health troubleshooting article quotes them.
 */
export function causesForProbeLog(log: string | undefined): { cause: string; why: string }[] {
  if (!log) return [];
  if (/more than the time-?out threshold/i.test(log)) return [{ cause: 'target-crashed-or-overloaded', why: 'the backend answered the probe slower than the probe timeout' }];
  if (/could not create a probe|FQDN of the backend/i.test(log)) return [{ cause: 'origin-dns-failure', why: "the gateway could not resolve the backend's name" }];
  if (/could not connect to the backend/i.test(log)) {
    return [
      { cause: 'target-not-listening', why: 'no TCP connection to the backend port' },
      { cause: 'sg-blocks-lb-to-target', why: 'the message itself names NSG/UDR/firewall between gateway and backend' },
    ];
  }
  if (/did not match the probe setting/i.test(log)) return [{ cause: 'health-check-misconfigured', why: 'the probe got a status or body it does not accept' }];
  if (/certificate|Common Name|\bCN\b/i.test(log)) return [{ cause: 'target-tls-handshake', why: "the backend's certificate is not accepted" }];
  return [];
}

export const BACKEND_HEALTH_DOC = DOC;

export const poolName = (id: string): string => lastSegment(id);


function prefixMatches(prefixes: string[], address: { ip?: string; tag?: string; privateIp?: boolean }): boolean {
  return prefixes.some((p) => {
    const lower = p.toLowerCase();
    if (lower === '*' || lower === 'any') return true;
    if (address.tag && lower === address.tag.toLowerCase()) return true;
    if (address.ip) {
      // A private backend address counts as inside the VNet (the usual case; the VNet's own space is not read).
      if (lower === 'virtualnetwork' && address.privateIp) return true;
      const r = cidrRange(p);
      const ip = ipToInt(address.ip);
      if (r && !Number.isNaN(ip)) return contains(r, { start: ip, end: ip });
    }
    return false;
  });
}

function portMatches(ranges: string[], port: number): boolean {
  return ranges.some((r) => {
    if (r === '*') return true;
    const [a, b] = r.split('-').map(Number);
    return Number.isFinite(a) && port >= a && port <= (Number.isFinite(b) ? b : a);
  });
}

export function isPrivateIp(ip: string): boolean {
  const n = ipToInt(ip);
  if (Number.isNaN(n)) return false;
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((c) => { const r = cidrRange(c)!; return n >= r.start && n <= r.end; });
}

export interface NsgVerdict {
  access: 'Allow' | 'Deny';
  rule: NsgRule;
}

/** NSG rules are read in priority order; the first that matches decides (the default rules end every list). */
export function nsgDecision(rules: NsgRule[], direction: 'Inbound' | 'Outbound', from: { ip?: string; tag?: string; privateIp?: boolean }, to: { ip?: string; privateIp?: boolean }, port: number): NsgVerdict | undefined {
  const ordered = rules.filter((r) => r.direction.toLowerCase() === direction.toLowerCase()).sort((a, b) => a.priority - b.priority);
  for (const r of ordered) {
    if (!(r.protocol === '*' || r.protocol.toLowerCase() === 'tcp')) continue;
    if (!portMatches(r.destinationPorts, port)) continue;
    if (!prefixMatches(r.sourcePrefixes, from)) continue;
    if (!prefixMatches(r.destinationPrefixes, to)) continue;
    return { access: r.access.toLowerCase() === 'deny' ? 'Deny' : 'Allow', rule: r };
  }
  return undefined;
}

export const describeNsgRule = (nsg: string, r: NsgRule): string =>
  `${nsg} ${r.isDefault ? 'default ' : ''}rule ${r.name} (priority ${r.priority}, ${r.direction} ${r.access} ${r.protocol} ports ${r.destinationPorts.join(',')} from ${r.sourcePrefixes.join(',')} to ${r.destinationPrefixes.join(',')})`;


export function findingsFrom(list: { cause: string; why: string }[], confidence: Finding['confidence'], evidence: (why: string) => string): Finding[] {
  const seen = new Map<string, Finding>();
  for (const c of list) {
    const f = seen.get(c.cause);
    if (f) f.evidence.push(evidence(c.why));
    else seen.set(c.cause, { cause: c.cause, confidence, evidence: [evidence(c.why)] });
  }
  return [...seen.values()];
}
