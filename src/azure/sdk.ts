import { NetworkManagementClient, type ApplicationGateway as SdkGateway, type NetworkSecurityGroup as SdkNsg, type SecurityRule } from '@azure/arm-network';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import {
  AZURE_OPERATIONS, AzureReadError, lastSegment, parseResourceId,
  type ApplicationGateway, type AzureMethod, type AzureReader, type BackendHealthEntry, type NetworkSecurityGroup, type NsgRule,
} from './reader.js';

export interface AzureSdkOptions {
  subscription: string;
  /** ARM endpoint (default https://management.azure.com); BADGATE_AZURE_ENDPOINT overrides it too. Tests point it at 127.0.0.1. */
  endpoint?: string;
  /** Defaults to DefaultAzureCredential, which honours `az login`, environment and managed identity. */
  credential?: TokenCredential;
  /** How often the backend-health poll asks again (ms). */
  pollIntervalMs?: number;
}

const ARM = 'https://management.azure.com';

/** A loopback endpoint speaks plain HTTP in tests; anywhere else HTTPS is required. */
function isLoopbackHttp(endpoint: string): boolean {
  try {
    const u = new URL(endpoint);
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]');
  } catch {
    return false;
  }
}

/** The real adapter: one NetworkManagementClient, our plain shapes out, every failure classified. */
export function createAzureSdkReader(opts: AzureSdkOptions): AzureReader {
  const endpoint = (opts.endpoint ?? (process.env.BADGATE_AZURE_ENDPOINT || undefined) ?? ARM).replace(/\/+$/, '');
  const credential = opts.credential ?? new DefaultAzureCredential();
  const loopback = isLoopbackHttp(endpoint);
  const client = new NetworkManagementClient(credential, opts.subscription, {
    endpoint,
    // The token is for ARM whatever host answers: a local test server stands in for management.azure.com.
    credentialScopes: [`${ARM}/.default`],
    ...(loopback ? { allowInsecureConnection: true } : {}),
  });
  if (loopback) {
    // The SDK's bearer policy refuses plain HTTP; on loopback only, the same token goes in by this policy.
    client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
    client.pipeline.addPolicy({
      name: 'loopbackBearer',
      sendRequest: async (request, next) => {
        const token = await credential.getToken(`${ARM}/.default`);
        if (token) request.headers.set('authorization', `Bearer ${token.token}`);
        return next(request);
      },
    }, { phase: 'Sign' });
  }
  const call = async <T>(method: AzureMethod, what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw classifyAzureError(e, method, what, opts.subscription);
    }
  };
  return {
    subscription: opts.subscription,
    getApplicationGateway: (rg, name) => call('getApplicationGateway', `application gateway ${name} in resource group ${rg}`,
      async () => toGateway(await client.applicationGateways.get(rg, name))),
    backendHealth: (rg, name) => call('backendHealth', `application gateway ${name} in resource group ${rg}`, async () => {
      const res = await client.applicationGateways.beginBackendHealthAndWait(rg, name, { updateIntervalInMs: opts.pollIntervalMs ?? 2000 });
      return (res.backendAddressPools ?? []).flatMap((p): BackendHealthEntry[] => (p.backendHttpSettingsCollection ?? []).map((s) => ({
        poolId: p.backendAddressPool?.id ?? '',
        settingsId: s.backendHttpSettings?.id ?? '',
        servers: (s.servers ?? []).map((v) => ({ address: v.address ?? '', health: v.health ?? 'Unknown', ...(v.healthProbeLog ? { healthProbeLog: v.healthProbeLog } : {}) })),
      })));
    }),
    getSubnet: (id) => call('getSubnet', `subnet ${id}`, async () => {
      const p = subnetParts(id);
      const s = await client.subnets.get(p.resourceGroup, p.vnet, p.subnet);
      return {
        id: s.id ?? id, name: s.name ?? p.subnet,
        addressPrefixes: [...(s.addressPrefix ? [s.addressPrefix] : []), ...(s.addressPrefixes ?? [])],
        ...(s.networkSecurityGroup?.id ? { nsgId: s.networkSecurityGroup.id } : {}),
        ...(s.routeTable?.id ? { routeTableId: s.routeTable.id } : {}),
      };
    }),
    listNetworkSecurityGroups: (rg) => call('listNetworkSecurityGroups', `network security groups in resource group ${rg}`, async () => {
      const out: NetworkSecurityGroup[] = [];
      for await (const n of client.networkSecurityGroups.list(rg)) out.push(toNsg(n));
      return out;
    }),
    getNsg: (id) => call('getNsg', `network security group ${id}`, async () => {
      const p = idParts(id);
      return toNsg(await client.networkSecurityGroups.get(p.resourceGroup, p.name));
    }),
    getRouteTable: (id) => call('getRouteTable', `route table ${id}`, async () => {
      const p = idParts(id);
      const t = await client.routeTables.get(p.resourceGroup, p.name);
      return {
        id: t.id ?? id, name: t.name ?? p.name,
        routes: (t.routes ?? []).map((r) => ({ name: r.name ?? '', addressPrefix: r.addressPrefix ?? '', nextHopType: r.nextHopType ?? '', ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress } : {}) })),
        subnetIds: (t.subnets ?? []).flatMap((s) => (s.id ? [s.id] : [])),
      };
    }),
  };
}

function idParts(id: string): { resourceGroup: string; name: string } {
  const p = parseResourceId(id);
  if (!p) throw new AzureReadError('generic', `not an Azure resource id: ${id}`, 'pass the full id, /subscriptions/…/resourceGroups/…/providers/…');
  return p;
}

function subnetParts(id: string): { resourceGroup: string; vnet: string; subnet: string } {
  const p = parseResourceId(id);
  if (!p?.child) throw new AzureReadError('generic', `not a subnet id: ${id}`, 'pass /subscriptions/…/virtualNetworks/VNET/subnets/SUBNET');
  return { resourceGroup: p.resourceGroup, vnet: p.name, subnet: p.child };
}

function toGateway(g: SdkGateway): ApplicationGateway {
  return {
    id: g.id ?? '', name: g.name ?? '', ...(g.location ? { location: g.location } : {}),
    sku: { ...(g.sku?.name ? { name: g.sku.name } : {}), ...(g.sku?.tier ? { tier: g.sku.tier } : {}), ...(g.sku?.capacity !== undefined ? { capacity: g.sku.capacity } : {}) },
    ...(g.operationalState ? { operationalState: g.operationalState } : {}),
    ...(g.provisioningState ? { provisioningState: g.provisioningState } : {}),
    subnetIds: (g.gatewayIPConfigurations ?? []).flatMap((c) => (c.subnet?.id ? [c.subnet.id] : [])),
    backendPools: (g.backendAddressPools ?? []).map((p) => ({
      id: p.id ?? '', name: p.name ?? lastSegment(p.id ?? ''),
      addresses: (p.backendAddresses ?? []).flatMap((a) => [a.ipAddress, a.fqdn].filter((x): x is string => Boolean(x))),
      ipConfigurationIds: (p.backendIPConfigurations ?? []).flatMap((c) => (c.id ? [c.id] : [])),
    })),
    httpSettings: (g.backendHttpSettingsCollection ?? []).map((s) => ({
      id: s.id ?? '', name: s.name ?? '',
      ...(s.port !== undefined ? { port: s.port } : {}),
      ...(s.protocol ? { protocol: s.protocol } : {}),
      ...(s.cookieBasedAffinity ? { cookieBasedAffinity: s.cookieBasedAffinity } : {}),
      ...(s.requestTimeout !== undefined ? { requestTimeout: s.requestTimeout } : {}),
      ...(s.hostName ? { hostName: s.hostName } : {}),
      ...(s.pickHostNameFromBackendAddress !== undefined ? { pickHostNameFromBackendAddress: s.pickHostNameFromBackendAddress } : {}),
      ...(s.probe?.id ? { probeId: s.probe.id } : {}),
      ...(s.connectionDraining?.enabled ? { connectionDrainingSeconds: s.connectionDraining.drainTimeoutInSec } : {}),
    })),
    probes: (g.probes ?? []).map((p) => ({
      id: p.id ?? '', name: p.name ?? '',
      ...(p.protocol ? { protocol: p.protocol } : {}),
      ...(p.host ? { host: p.host } : {}),
      ...(p.path ? { path: p.path } : {}),
      ...(p.interval !== undefined ? { intervalSeconds: p.interval } : {}),
      ...(p.timeout !== undefined ? { timeoutSeconds: p.timeout } : {}),
      ...(p.unhealthyThreshold !== undefined ? { unhealthyThreshold: p.unhealthyThreshold } : {}),
      ...(p.pickHostNameFromBackendHttpSettings !== undefined ? { pickHostNameFromBackendHttpSettings: p.pickHostNameFromBackendHttpSettings } : {}),
      ...(p.match?.statusCodes ? { statusCodes: p.match.statusCodes } : {}),
    })),
  };
}

function toRule(r: SecurityRule, isDefault: boolean): NsgRule {
  const list = (one: string | undefined, many: string[] | undefined) => [...(one ? [one] : []), ...(many ?? [])];
  return {
    name: r.name ?? '', priority: r.priority ?? 0, direction: r.direction ?? '', access: r.access ?? '', protocol: r.protocol ?? '*',
    sourcePrefixes: list(r.sourceAddressPrefix, r.sourceAddressPrefixes),
    destinationPrefixes: list(r.destinationAddressPrefix, r.destinationAddressPrefixes),
    destinationPorts: list(r.destinationPortRange, r.destinationPortRanges),
    isDefault,
  };
}

function toNsg(n: SdkNsg): NetworkSecurityGroup {
  return {
    id: n.id ?? '', name: n.name ?? '',
    rules: [...(n.securityRules ?? []).map((r) => toRule(r, false)), ...(n.defaultSecurityRules ?? []).map((r) => toRule(r, true))],
    subnetIds: (n.subnets ?? []).flatMap((s) => (s.id ? [s.id] : [])),
  };
}

interface AzureErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
}

/** Azure failures in the responder's words: not logged in → `az login`, 403 → the missing permission, 404 → the names. */
export function classifyAzureError(err: unknown, method: AzureMethod, what: string, subscription: string): AzureReadError {
  if (err instanceof AzureReadError) return err;
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as AzureErrorLike;
  const message = (e.message ?? '').split('\n')[0].trim();
  const op = AZURE_OPERATIONS[method];
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError' || e.name === 'AuthenticationRequiredError' || /az login|Please run 'az login'/i.test(message)) {
    return new AzureReadError('not-logged-in', 'Not logged in to Azure (no credential from az login, the environment or a managed identity)', `run \`az login\`, then \`az account set --subscription ${subscription}\``);
  }
  if (e.statusCode === 401 || e.code === 'InvalidAuthenticationToken' || e.code === 'ExpiredAuthenticationToken') {
    return new AzureReadError('not-logged-in', `Azure rejected the token (${e.code ?? 401})`, 'run `az login` again (the session may have expired)');
  }
  if (e.statusCode === 403 || e.code === 'AuthorizationFailed') {
    return new AzureReadError('access-denied', `Access denied: missing Azure permission ${op.permission} (${op.operation}) on ${what}`, `grant a role with ${op.permission} (the built-in Reader role has the reads; backend health needs ${AZURE_OPERATIONS.backendHealth.permission}, e.g. Network Contributor or a custom role)`);
  }
  if (e.statusCode === 404 || /NotFound$/.test(e.code ?? '')) {
    return new AzureReadError('not-found', `Not found: ${what} (${e.code ?? 404}) in subscription ${subscription}`, 'check --subscription, --resource-group and --name (`az network application-gateway list -o table` lists them)');
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(`${e.code ?? ''} ${message}`)) {
    return new AzureReadError('endpoint-unreachable', `Could not reach Azure Resource Manager: ${message}`, 'check the network or proxy (and BADGATE_AZURE_ENDPOINT if set)');
  }
  return new AzureReadError('generic', `Azure ${op.operation} failed: ${message || e.name || 'unknown error'}`, 're-run; if it persists, try the same read with `az network application-gateway show`');
}
