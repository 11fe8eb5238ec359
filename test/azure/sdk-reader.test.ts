// The real @azure/arm-network client against the local ARM server (bodies from the REST API
// documentation examples, see each fixture's "source"): shapes, the long-running backend-health
// POST, error classification with a next step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureSdkReader } from '../../src/azure/sdk.js';
import { AzureReadError, type AzureReader } from '../../src/azure/reader.js';
import { armFixture, IDS, startArmServer, TEST_TOKEN, type ArmServer } from '../helpers/arm-server.js';

const staticCredential = { getToken: async () => ({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) };

let arm: ArmServer;
let reader: AzureReader;

beforeAll(async () => {
  arm = await startArmServer({
    gateways: { 'rg1/appgw': armFixture('appgw-get-v2-https-settings.json') },
    health: { 'rg1/appgw': armFixture('backend-health-one-unhealthy.json') },
    subnets: { [IDS.appgwSubnet]: armFixture('subnet-appgw-nsg-udr.json') },
    nsgs: { [IDS.testNsg]: armFixture('nsg-get.json') },
    routeTables: { [IDS.testRt]: armFixture('route-table-nva.json') },
    nsgLists: { rg1: armFixture('nsg-list-backend-deny.json') },
    pendingPolls: 1,
  });
  reader = createAzureSdkReader({ subscription: 'subid', endpoint: arm.url, credential: staticCredential, pollIntervalMs: 10 });
});
afterAll(() => arm.close());

describe('Azure SDK reader against the local ARM server', () => {
  it('reads the gateway: SKU, gateway subnet, pools, HTTP settings, probe', async () => {
    const g = await reader.getApplicationGateway('rg1', 'appgw');
    expect(g.sku.name).toBe('Standard_v2');
    expect(g.subnetIds).toEqual(['/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/virtualNetwork1/subnets/appgwsubnet']);
    expect(g.backendPools.find((p) => p.name === 'appgwpool1')?.addresses).toEqual(['10.0.1.1', '10.0.1.2']);
    expect(g.httpSettings[0]).toMatchObject({ name: 'appgwbhs', protocol: 'Https', port: 443, cookieBasedAffinity: 'Enabled', requestTimeout: 5 });
    expect(g.probes[0]).toMatchObject({ name: 'health', path: '/health', timeoutSeconds: 30, statusCodes: ['200-399'] });
  });

  it('runs backend health as a long-running POST, polling the Location until 200', async () => {
    const before = arm.seen.length;
    const h = await reader.backendHealth('rg1', 'appgw');
    expect(h[0].servers.map((s) => s.health)).toEqual(['Healthy', 'Unhealthy']);
    expect(h[0].servers[1].healthProbeLog).toMatch(/more than the timeout threshold/);
    const calls = arm.seen.slice(before).map((s) => s.method);
    expect(calls[0]).toBe('POST');
    expect(calls.filter((m) => m === 'GET').length).toBeGreaterThanOrEqual(2);
  });

  it('reads subnet, NSG (with default rules), NSG list and route table', async () => {
    const s = await reader.getSubnet(IDS.appgwSubnet);
    expect(s).toMatchObject({ name: 'appgwsubnet', addressPrefixes: ['10.0.0.0/24'] });
    expect(s.nsgId).toMatch(/testnsg$/);
    const n = await reader.getNsg(s.nsgId!);
    expect(n.rules.filter((r) => r.isDefault)).toHaveLength(6);
    expect(n.rules.find((r) => r.name === 'rule1')).toMatchObject({ access: 'Allow', destinationPorts: ['80'], priority: 130 });
    const list = await reader.listNetworkSecurityGroups('rg1');
    expect(list[0]).toMatchObject({ name: 'backendnsg' });
    expect(list[0].subnetIds[0]).toMatch(/backendsubnet$/);
    const rt = await reader.getRouteTable(s.routeTableId!);
    expect(rt.routes.find((r) => r.name === 'route2')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.2.4' });
  });

  it('sends the bearer token on every ARM request', () => {
    expect(arm.seen.every((s) => s.authorization === `Bearer ${TEST_TOKEN}`)).toBe(true);
  });

  it('a missing gateway is not-found with the flags to check', async () => {
    const err = await reader.getApplicationGateway('rg1', 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureReadError);
    expect(err).toMatchObject({ kind: 'not-found' });
    expect((err as AzureReadError).nextStep).toMatch(/--resource-group/);
  });

  it('a 403 names the missing permission', async () => {
    arm.world.forbidden = ['ApplicationGateways_BackendHealth'];
    try {
      const err = await reader.backendHealth('rg1', 'appgw').catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'access-denied' });
      expect((err as Error).message).toContain('Microsoft.Network/applicationGateways/backendhealth/action');
    } finally {
      arm.world.forbidden = [];
    }
  });

  it('no credential is not-logged-in with `az login`', async () => {
    const none = { getToken: async () => { const e = new Error('Please run \'az login\' to setup account.'); e.name = 'CredentialUnavailableError'; throw e; } };
    const r = createAzureSdkReader({ subscription: 'subid', endpoint: arm.url, credential: none });
    const err = await r.getApplicationGateway('rg1', 'appgw').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'not-logged-in' });
    expect((err as AzureReadError).nextStep).toContain('az login');
  });

  it('DefaultAzureCredential takes its token from the managed-identity endpoint (offline)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, arm.identityEnv);
    try {
      const r = createAzureSdkReader({ subscription: 'subid', endpoint: arm.url });
      const g = await r.getApplicationGateway('rg1', 'appgw');
      expect(g.name).toBe('appgw');
    } finally {
      for (const k of Object.keys(arm.identityEnv)) if (!(k in saved)) delete process.env[k];
    }
  }, 30_000);
});
