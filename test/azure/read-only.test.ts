// badgate only reads Azure: every operation the reader can call is driven against the local ARM
// server, which records each request; any PUT/PATCH/DELETE, or a POST other than backend health
// (a long-running POST that only reads), fails. The adapter's source is scanned too, so a write
// call added without a reader method still fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureSdkReader } from '../../src/azure/sdk.js';
import { AZURE_METHODS, AZURE_OPERATIONS, type AzureMethod, type AzureReader } from '../../src/azure/reader.js';
import { armFixture, IDS, startArmServer, TEST_TOKEN, type ArmServer } from '../helpers/arm-server.js';

const staticCredential = { getToken: async () => ({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) };
const ARGS: Record<AzureMethod, unknown[]> = {
  getApplicationGateway: ['rg1', 'appgw'],
  backendHealth: ['rg1', 'appgw'],
  getSubnet: [IDS.appgwSubnet],
  listNetworkSecurityGroups: ['rg1'],
  getNsg: [IDS.testNsg],
  getRouteTable: [IDS.testRt],
};

let arm: ArmServer;
let reader: AzureReader;
beforeAll(async () => {
  arm = await startArmServer({
    gateways: { 'rg1/appgw': armFixture('appgw-get-v1.json') },
    health: { 'rg1/appgw': armFixture('backend-health-up.json') },
    subnets: { [IDS.appgwSubnet]: armFixture('subnet-appgw-nsg-udr.json') },
    nsgs: { [IDS.testNsg]: armFixture('nsg-get.json') },
    routeTables: { [IDS.testRt]: armFixture('route-table-nva.json') },
    nsgLists: { rg1: armFixture('nsg-list-backend-allow.json') },
  });
  reader = createAzureSdkReader({ subscription: 'subid', endpoint: arm.url, credential: staticCredential, pollIntervalMs: 10 });
});
afterAll(() => arm.close());

describe('read-only Azure surface', () => {
  it('the operation list names every reader method', () => {
    const methods = Object.keys(reader).filter((k) => typeof (reader as unknown as Record<string, unknown>)[k] === 'function').sort();
    expect(methods).toEqual([...AZURE_METHODS].sort());
    for (const m of AZURE_METHODS) expect(AZURE_OPERATIONS[m].method === 'GET' || m === 'backendHealth').toBe(true);
  });

  it('every operation, called for real, sends only GETs and the backend-health POST', async () => {
    for (const m of AZURE_METHODS) {
      const fn = reader[m] as (...a: unknown[]) => Promise<unknown>;
      await fn.apply(reader, ARGS[m]);
    }
    const kinds = new Set(arm.seen.map((s) => `${s.method} ${s.path.toLowerCase().endsWith('/backendhealth') ? 'backendhealth' : ''}`.trim()));
    expect(arm.seen.length).toBeGreaterThanOrEqual(AZURE_METHODS.length);
    const writes = arm.seen.filter((s) => s.method !== 'GET' && !(s.method === 'POST' && s.path.toLowerCase().endsWith('/backendhealth')));
    expect(writes).toEqual([]);
    expect([...kinds].sort()).toEqual(['GET', 'POST backendhealth']);
  });

  it('the adapter calls only get/list/backend-health methods of the client', () => {
    const src = readFileSync(join(import.meta.dirname, '../../src/azure/sdk.ts'), 'utf8');
    // `client.pipeline` holds the request policies, not operations.
    const calls = [...src.matchAll(/client\.([a-zA-Z]+)\.([a-zA-Z]+)\(/g)].filter((m) => m[1] !== 'pipeline').map((m) => `${m[1]}.${m[2]}`);
    expect(calls.length).toBeGreaterThanOrEqual(AZURE_METHODS.length);
    const bad = calls.filter((c) => !/\.(get|list|beginBackendHealthAndWait)$/.test(c));
    expect(bad).toEqual([]);
    // Dynamic access would dodge the scan.
    expect(/client\[|client\.[a-zA-Z]+\[/.test(src)).toBe(false);
  });
});
