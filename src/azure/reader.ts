/**
 * The AzureReader port: the few Azure Resource Manager reads the Application Gateway checks
 * make, as plain objects of our own shape (small fixtures, stable recordings). Every method is a
 * GET except backendHealth, a long-running POST that only reads (Microsoft documents it as
 * "Gets the backend health of the specified application gateway").
 */

export interface AppGwSku {
  /** `Standard_Small` … `Standard_Large`, `WAF_Medium` (v1); `Standard_v2`, `WAF_v2`, `Basic` (v2). */
  name?: string;
  tier?: string;
  capacity?: number;
}

export interface AppGwBackendPool {
  id: string;
  name: string;
  /** IP addresses or FQDNs of the members. */
  addresses: string[];
  /** NIC ip configurations (VM members), by id. */
  ipConfigurationIds: string[];
}

export interface AppGwHttpSettings {
  id: string;
  name: string;
  port?: number;
  /** `Http` or `Https`. */
  protocol?: string;
  /** `Enabled` or `Disabled`. */
  cookieBasedAffinity?: string;
  /** Seconds (default 20, per the docs). */
  requestTimeout?: number;
  hostName?: string;
  pickHostNameFromBackendAddress?: boolean;
  probeId?: string;
  connectionDrainingSeconds?: number;
}

export interface AppGwProbe {
  id: string;
  name: string;
  protocol?: string;
  host?: string;
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  unhealthyThreshold?: number;
  pickHostNameFromBackendHttpSettings?: boolean;
  /** Status code ranges counted healthy, e.g. `200-399`. */
  statusCodes?: string[];
}

export interface ApplicationGateway {
  id: string;
  name: string;
  location?: string;
  sku: AppGwSku;
  /** `Running`, `Stopped`, `Starting`, `Stopping`. */
  operationalState?: string;
  provisioningState?: string;
  /** The gateway's own subnet (gatewayIPConfigurations[].subnet.id). */
  subnetIds: string[];
  backendPools: AppGwBackendPool[];
  httpSettings: AppGwHttpSettings[];
  probes: AppGwProbe[];
}

export interface BackendServerHealth {
  address: string;
  /** The API answers `Up`/`Down`/`Unknown`/`Partial`/`Draining`; the portal and az show `Healthy`/`Unhealthy`. */
  health: string;
  healthProbeLog?: string;
}

export interface BackendHealthEntry {
  poolId: string;
  settingsId: string;
  servers: BackendServerHealth[];
}

export interface NsgRule {
  name: string;
  priority: number;
  /** `Inbound` or `Outbound`. */
  direction: string;
  /** `Allow` or `Deny`. */
  access: string;
  /** `*`, `Tcp`, `Udp`, `Icmp`. */
  protocol: string;
  sourcePrefixes: string[];
  destinationPrefixes: string[];
  /** `*`, `80`, `65200-65535`. */
  destinationPorts: string[];
  isDefault: boolean;
}

export interface NetworkSecurityGroup {
  id: string;
  name: string;
  rules: NsgRule[];
  subnetIds: string[];
}

export interface AzureRoute {
  name: string;
  addressPrefix: string;
  /** `VirtualNetworkGateway`, `VnetLocal`, `Internet`, `VirtualAppliance`, `None`. */
  nextHopType: string;
  nextHopIpAddress?: string;
}

export interface AzureRouteTable {
  id: string;
  name: string;
  routes: AzureRoute[];
  subnetIds: string[];
}

export interface AzureSubnet {
  id: string;
  name: string;
  addressPrefixes: string[];
  nsgId?: string;
  routeTableId?: string;
}

export interface AzureReader {
  /** The subscription the reader reads, for citing sources. */
  readonly subscription: string;
  getApplicationGateway(resourceGroup: string, name: string): Promise<ApplicationGateway>;
  backendHealth(resourceGroup: string, name: string): Promise<BackendHealthEntry[]>;
  getSubnet(subnetId: string): Promise<AzureSubnet>;
  listNetworkSecurityGroups(resourceGroup: string): Promise<NetworkSecurityGroup[]>;
  getNsg(nsgId: string): Promise<NetworkSecurityGroup>;
  getRouteTable(routeTableId: string): Promise<AzureRouteTable>;
}

export type AzureMethod = Exclude<keyof AzureReader, 'subscription'>;

export interface AzureOperation {
  /** The REST operation id, as the Azure REST API reference names it. */
  operation: string;
  /** The Azure RBAC action a role needs (what a 403 is missing). */
  permission: string;
  method: 'GET' | 'POST';
}

/** Every Azure operation the reader can call; sources, "missing permission" messages and the read-only test use it. */
export const AZURE_OPERATIONS: Record<AzureMethod, AzureOperation> = {
  getApplicationGateway: { operation: 'ApplicationGateways_Get', permission: 'Microsoft.Network/applicationGateways/read', method: 'GET' },
  backendHealth: { operation: 'ApplicationGateways_BackendHealth', permission: 'Microsoft.Network/applicationGateways/backendhealth/action', method: 'POST' },
  getSubnet: { operation: 'Subnets_Get', permission: 'Microsoft.Network/virtualNetworks/subnets/read', method: 'GET' },
  listNetworkSecurityGroups: { operation: 'NetworkSecurityGroups_List', permission: 'Microsoft.Network/networkSecurityGroups/read', method: 'GET' },
  getNsg: { operation: 'NetworkSecurityGroups_Get', permission: 'Microsoft.Network/networkSecurityGroups/read', method: 'GET' },
  getRouteTable: { operation: 'RouteTables_Get', permission: 'Microsoft.Network/routeTables/read', method: 'GET' },
};

export const AZURE_METHODS = Object.keys(AZURE_OPERATIONS) as AzureMethod[];

/** `apis` a check declares are these names (Azure has no IAM action strings like AWS). */
export const AZURE_API_PREFIX = 'azure:';
export const azureApi = (method: AzureMethod): string => `${AZURE_API_PREFIX}${AZURE_OPERATIONS[method].operation}`;

/** Parts of an ARM resource id: /subscriptions/S/resourceGroups/G/providers/P/T/N[/t/n]. */
export function parseResourceId(id: string): { subscription: string; resourceGroup: string; name: string; child?: string } | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)(?:\/[^/]+\/([^/]+))?$/i.exec(id);
  return m ? { subscription: m[1], resourceGroup: m[2], name: m[3], ...(m[4] ? { child: m[4] } : {}) } : undefined;
}

export const lastSegment = (id: string): string => id.split('/').filter(Boolean).pop() ?? id;

export type AzureErrorKind = 'not-logged-in' | 'access-denied' | 'not-found' | 'endpoint-unreachable' | 'not-configured' | 'generic';

/** An Azure read that failed, already in the responder's words with the step that fixes it. */
export class AzureReadError extends Error {
  override readonly name = 'AzureReadError';
  constructor(readonly kind: AzureErrorKind, message: string, readonly nextStep: string) {
    super(message);
  }
}
