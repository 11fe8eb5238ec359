// The App Gateway checks through the real @azure/arm-network client and the local ARM server
// (bodies from the REST API documentation examples; see each fixture's "source"), and the
// keep-alive comparison against real HTTP servers on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAzureSdkReader } from '../../src/azure/sdk.js';
import { appgwBackendHealth } from '../../src/checks/appgw-backend-health.js';
import { appgwBackendPath } from '../../src/checks/appgw-backend-path.js';
import { appgwHttpSettings } from '../../src/checks/appgw-http-settings.js';
import { appgwKeepAlive } from '../../src/checks/appgw-keepalive.js';
import { armFixture, IDS, startArmServer, TEST_TOKEN, type ArmServer, type ArmWorld } from '../helpers/arm-server.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';

const staticCredential = { getToken: async () => ({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) };
const params = { resourceGroup: 'rg1', name: 'appgw' };
let arm: ArmServer;

async function withWorld(world: ArmWorld) {
  arm = await startArmServer(world);
  const azure = createAzureSdkReader({ subscription: 'subid', endpoint: arm.url, credential: staticCredential, pollIntervalMs: 10 });
  return (p: Record<string, string> = params) => testContext({ params: p, env: { azure } });
}
afterEach(async () => { await arm?.close(); });

describe('appgw.backend-health', () => {
  it('all Up (the documentation example): healthy, sporadic 502s point elsewhere', async () => {
    const ctx = await withWorld({ gateways: { 'rg1/appgw': armFixture('appgw-get-v2.json') }, health: { 'rg1/appgw': armFixture('backend-health-up.json') } });
    const r = await runCheckResult(appgwBackendHealth, ctx());
    expect(r.outcome).toBe('healthy');
    expect(r.facts).toMatchObject({ 'appgw.tier': 'v2', 'appgw.healthyCount': 2, 'appgw.backendTarget': 'http://10.0.1.1:80/' });
    expect(r.sources?.map((s) => s.api)).toEqual(['azure:ApplicationGateways_Get', 'azure:ApplicationGateways_BackendHealth']);
  });

  it('one member over the probe timeout: some-unhealthy, the message maps to an overloaded backend', async () => {
    const ctx = await withWorld({ gateways: { 'rg1/appgw': armFixture('appgw-get-v1.json') }, health: { 'rg1/appgw': armFixture('backend-health-one-unhealthy.json') } });
    const r = await runCheckResult(appgwBackendHealth, ctx());
    expect(r.outcome).toBe('some-unhealthy');
    expect(r.facts?.['appgw.tier']).toBe('v1');
    expect(r.facts?.['appgw.backendAddress']).toBe('10.0.1.2');
    // The keep-alive probe goes to a member that answers.
    expect(r.facts?.['appgw.backendTarget']).toBe('http://10.0.1.1:80/');
    expect(r.findings?.find((f) => f.cause === 'target-crashed-or-overloaded')?.confidence).toBe('suspected');
  });

  it('every member unable to connect: all-unhealthy, NSG/UDR and not-listening suspected', async () => {
    const ctx = await withWorld({ gateways: { 'rg1/appgw': armFixture('appgw-get-v2.json') }, health: { 'rg1/appgw': armFixture('backend-health-all-unhealthy.json') } });
    const r = await runCheckResult(appgwBackendHealth, ctx());
    expect(r.status).toBe('fail');
    expect(r.outcome).toBe('all-unhealthy');
    const causes = Object.fromEntries((r.findings ?? []).map((f) => [f.cause, f.confidence]));
    expect(causes).toMatchObject({ 'all-targets-unhealthy': 'confirmed', 'sg-blocks-lb-to-target': 'likely', 'target-not-listening': 'likely' });
  });

  it('a 403 on backend health is unknown with the missing permission', async () => {
    const ctx = await withWorld({ gateways: { 'rg1/appgw': armFixture('appgw-get-v2.json') }, health: { 'rg1/appgw': armFixture('backend-health-up.json') }, forbidden: ['ApplicationGateways_BackendHealth'] });
    const r = await runCheckResult(appgwBackendHealth, ctx());
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('Microsoft.Network/applicationGateways/backendhealth/action');
    expect(r.nextStep).toMatch(/role/);
  });

  it('without Azure the check is unknown with the step to set it up', async () => {
    const r = await runCheckResult(appgwBackendHealth, testContext({ params, env: { azureOff: { message: 'no --subscription given', nextStep: 'pass --subscription S after az login' } } }));
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('no --subscription given');
    expect(r.nextStep).toContain('--subscription');
  });
});

describe('appgw.http-settings', () => {
  it('the documentation example (HTTP, 30 s, affinity off): ok', async () => {
    const ctx = await withWorld({ gateways: { 'rg1/appgw': armFixture('appgw-get-v1.json') } });
    const r = await runCheckResult(appgwHttpSettings, ctx());
    expect(r.outcome).toBe('ok');
    expect(r.facts?.['appgw.requestTimeoutSeconds']).toBe(30);
  });

  it('HTTPS with no host name, 5 s timeout, affinity on: risky', async () => {
    const ctx = await withWorld({ gateways: { 'rg1/appgw': armFixture('appgw-get-v2-https-settings.json') } });
    const r = await runCheckResult(appgwHttpSettings, ctx());
    expect(r.outcome).toBe('risky');
    expect(r.findings?.map((f) => f.cause).sort()).toEqual(['host-header-or-sni-mismatch', 'timeout-mismatch']);
    expect(r.details?.join('\n')).toMatch(/cookie affinity is on/);
  });
});

describe('appgw.backend-path', () => {
  it('no NSG or route on the gateway subnet, backend NSG allows: clear', async () => {
    const ctx = await withWorld({
      gateways: { 'rg1/appgw': armFixture('appgw-get-v2.json') },
      subnets: { [IDS.appgwSubnet]: armFixture('subnet-appgw.json'), '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/virtualnetwork1/subnets/backendsubnet': { id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/virtualNetwork1/subnets/backendsubnet', name: 'backendsubnet', properties: { addressPrefix: '10.0.1.0/24' } } },
      nsgLists: { rg1: armFixture('nsg-list-backend-allow.json') },
    });
    const r = await runCheckResult(appgwBackendPath, ctx());
    expect(r.outcome).toBe('clear');
    expect(r.details?.join('\n')).toMatch(/10\.0\.1\.1:80 in backendsubnet: Allow by backendnsg rule rule1/);
  });

  it('backend NSG denies the gateway subnet on 80: blocked, confirmed', async () => {
    const ctx = await withWorld({
      gateways: { 'rg1/appgw': armFixture('appgw-get-v2.json') },
      subnets: { [IDS.appgwSubnet]: armFixture('subnet-appgw.json'), '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/virtualnetwork1/subnets/backendsubnet': { id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/virtualNetwork1/subnets/backendsubnet', name: 'backendsubnet', properties: { addressPrefix: '10.0.1.0/24' } } },
      nsgLists: { rg1: armFixture('nsg-list-backend-deny.json') },
    });
    const r = await runCheckResult(appgwBackendPath, ctx());
    expect(r.outcome).toBe('blocked');
    expect(r.findings?.[0]).toMatchObject({ cause: 'sg-blocks-lb-to-target', confidence: 'confirmed' });
  });

  it('the example NSG on a v2 gateway subnet blocks GatewayManager, and the UDR sends the backend to an NVA', async () => {
    const ctx = await withWorld({
      gateways: { 'rg1/appgw': armFixture('appgw-get-v2.json') },
      subnets: { [IDS.appgwSubnet]: armFixture('subnet-appgw-nsg-udr.json') },
      nsgs: { [IDS.testNsg]: armFixture('nsg-get.json') },
      routeTables: { [IDS.testRt]: armFixture('route-table-nva.json') },
    });
    const r = await runCheckResult(appgwBackendPath, ctx());
    expect(r.outcome).toBe('blocked');
    const causes = (r.findings ?? []).map((f) => f.cause);
    expect(causes).toContain('udr-diverts-backend-traffic');
    expect(r.findings?.find((f) => f.cause === 'sg-blocks-lb-to-target')?.evidence[0]).toMatch(/DenyAllInBound.*GatewayManager on 65200-65535/);
  });
});

describe('appgw.keepalive (real servers on 127.0.0.1)', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    // A backend closing idle keep-alive connections after 0.5 s, as Apache's 5 s in article 003, scaled down.
    server = createServer((_req, res) => res.end('ok'));
    server.keepAliveTimeout = 500;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('v2: a backend that closes before 60 s is the race, with the 90–120 s advice', async () => {
    const r = await runCheckResult(appgwKeepAlive, testContext({ params: { target: url, tier: 'v2', maxWaitSeconds: '3' } }));
    expect(r.outcome).toBe('race');
    expect(r.summary).toMatch(/90–120 s/);
    expect(r.facts?.['appgw.backendIdleSeconds']).toBe(60);
    expect(r.details?.join('\n')).toMatch(/toward clients is 75 s/);
  }, 20_000);

  it('v1: no fixed gateway value, so a short backend keep-alive is suspected', async () => {
    const r = await runCheckResult(appgwKeepAlive, testContext({ params: { target: url, tier: 'v1', maxWaitSeconds: '3' } }));
    expect(r.outcome).toBe('v1-short');
    expect(r.findings?.[0]).toMatchObject({ cause: 'keepalive-race', confidence: 'suspected' });
    expect(r.details?.join('\n')).toMatch(/toward clients is 120 s/);
    expect(r.facts?.['appgw.backendIdleSeconds']).toBeUndefined();
  }, 20_000);
});
