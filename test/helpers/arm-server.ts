// A local Azure Resource Manager on 127.0.0.1: answers the operations the AzureReader calls with
// bodies from the Azure REST API documentation examples (test/fixtures/azure/), runs backend
// health as ARM does (POST → 202 + Location, poll → 200), serves an App Service style
// managed-identity token endpoint, and records every request so tests can prove badgate only reads.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const AZURE_FIXTURES = join(import.meta.dirname, '../fixtures/azure');

/** A fixture's ARM body (the file also carries its documentation source). */
export function armFixture(name: string): unknown {
  return (JSON.parse(readFileSync(join(AZURE_FIXTURES, name), 'utf8')) as { body: unknown }).body;
}

export interface ArmWorld {
  /** Keyed `rg/name`. */
  gateways?: Record<string, unknown>;
  health?: Record<string, unknown>;
  /** Keyed by resource id (lower case). */
  subnets?: Record<string, unknown>;
  nsgs?: Record<string, unknown>;
  routeTables?: Record<string, unknown>;
  /** Keyed by resource group: the NetworkSecurityGroups_List body. */
  nsgLists?: Record<string, unknown>;
  /** Operation ids answered 403 AuthorizationFailed. */
  forbidden?: string[];
  /** How many polls answer 202 before the backend-health result is ready. */
  pendingPolls?: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface ArmServer {
  url: string;
  seen: SeenRequest[];
  world: ArmWorld;
  /** Env that makes DefaultAzureCredential take its token from this server (App Service managed identity). */
  identityEnv: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_TOKEN = 'local-arm-test-token';

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': 'local', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

const armError = (code: string, message: string) => ({ error: { code, message } });

export async function startArmServer(world: ArmWorld = {}): Promise<ArmServer> {
  const seen: SeenRequest[] = [];
  const polls = new Map<string, number>();
  let base = '';
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    seen.push({ method: req.method ?? '', path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    req.resume();
    if (path === '/msi/token') {
      if (req.headers['x-identity-header'] !== 'local-identity-header') return send(res, 401, { error: 'bad identity header' });
      return send(res, 200, { access_token: TEST_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: url.searchParams.get('resource') ?? '', token_type: 'Bearer' });
    }
    if (req.headers.authorization !== `Bearer ${TEST_TOKEN}`) return send(res, 401, armError('InvalidAuthenticationToken', 'The access token is missing or invalid.'));
    const forbid = (op: string) => {
      if (!world.forbidden?.includes(op)) return false;
      send(res, 403, armError('AuthorizationFailed', `The client does not have authorization to perform action for ${op} over scope '${path}'.`));
      return true;
    };
    const lower = path.toLowerCase();
    const rgName = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/applicationgateways\/([^/]+)(\/backendhealth)?$/.exec(lower);
    if (rgName && req.method === 'GET' && !rgName[3]) {
      if (forbid('ApplicationGateways_Get')) return;
      const body = world.gateways?.[`${rgName[1]}/${rgName[2]}`];
      return body ? send(res, 200, body) : send(res, 404, armError('ResourceNotFound', `The Resource 'Microsoft.Network/applicationGateways/${rgName[2]}' under resource group '${rgName[1]}' was not found.`));
    }
    if (rgName && req.method === 'POST' && rgName[3]) {
      if (forbid('ApplicationGateways_BackendHealth')) return;
      const key = `${rgName[1]}/${rgName[2]}`;
      if (!world.health?.[key]) return send(res, 404, armError('ResourceNotFound', `The Resource 'Microsoft.Network/applicationGateways/${rgName[2]}' was not found.`));
      const id = `op-${seen.length}`;
      polls.set(id, world.pendingPolls ?? 1);
      // As the documentation example: 202 with a Location on an operationResults URL.
      return send(res, 202, undefined, { location: `${base}/subscriptions/subid/providers/Microsoft.Network/locations/westus2/operationResults/${id}?api-version=2025-03-01&gw=${encodeURIComponent(key)}` });
    }
    const op = /\/operationresults\/([^/]+)$/.exec(lower);
    if (op && req.method === 'GET') {
      const left = polls.get(op[1]) ?? 0;
      if (left > 0) {
        polls.set(op[1], left - 1);
        return send(res, 202, undefined, { location: `${base}${url.pathname}${url.search}`, 'retry-after': '0' });
      }
      return send(res, 200, world.health?.[url.searchParams.get('gw') ?? '']);
    }
    const nsgList = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/networksecuritygroups$/.exec(lower);
    if (nsgList && req.method === 'GET') {
      if (forbid('NetworkSecurityGroups_List')) return;
      return send(res, 200, world.nsgLists?.[nsgList[1]] ?? { value: [] });
    }
    const byId = (kind: keyof Pick<ArmWorld, 'subnets' | 'nsgs' | 'routeTables'>, opName: string) => {
      if (forbid(opName)) return;
      const body = world[kind]?.[lower];
      return body ? send(res, 200, body) : send(res, 404, armError('NotFound', `Resource ${path} not found.`));
    };
    if (req.method === 'GET' && /\/virtualnetworks\/[^/]+\/subnets\/[^/]+$/.test(lower)) return byId('subnets', 'Subnets_Get');
    if (req.method === 'GET' && /\/networksecuritygroups\/[^/]+$/.test(lower)) return byId('nsgs', 'NetworkSecurityGroups_Get');
    if (req.method === 'GET' && /\/routetables\/[^/]+$/.test(lower)) return byId('routeTables', 'RouteTables_Get');
    return send(res, 405, armError('UnsupportedOperation', `${req.method} ${path} is not an operation this server answers`));
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base, seen, world,
    identityEnv: { IDENTITY_ENDPOINT: `${base}/msi/token`, IDENTITY_HEADER: 'local-identity-header' },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The ids fixtures use, lower-cased as the server keys them. */
export const IDS = {
  appgwSubnet: '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/virtualnetwork1/subnets/appgwsubnet',
  testNsg: '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/networksecuritygroups/testnsg',
  testRt: '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/routetables/testrt',
};
