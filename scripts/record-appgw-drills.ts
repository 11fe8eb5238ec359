// Records the Azure answers of the App Gateway drills: the real @azure/arm-network client reads
// the local ARM server (test/helpers/arm-server.ts) serving the REST API documentation examples,
// adapted per drill, and prints each call as the drill's `azure.calls` (JSON, to paste as YAML).
// Usage: node --import tsx scripts/record-appgw-drills.ts <keepalive|stalls>
import { createAzureSdkReader } from '../src/azure/sdk.js';
import { armFixture, startArmServer, TEST_TOKEN } from '../test/helpers/arm-server.js';

type Gw = { name: string; id: string; properties: { backendAddressPools: { properties: { backendAddresses: unknown[] } }[] } };
type Health = { backendAddressPools: { backendHttpSettingsCollection: { servers: unknown[] }[] }[] };

const which = process.argv[2] ?? 'keepalive';
const gw = structuredClone(armFixture('appgw-get-v2.json')) as Gw;
gw.properties.backendAddressPools[1].properties.backendAddresses = [{ ipAddress: '10.0.1.4' }, { ipAddress: '10.0.1.5' }];
const health = structuredClone(armFixture('backend-health-up.json')) as Health;
health.backendAddressPools[0].backendHttpSettingsCollection[0].servers = which === 'stalls'
  ? [
    { address: '10.0.1.4', health: 'Healthy', healthProbeLog: 'Success. Received 200 status code' },
    { address: '10.0.1.5', health: 'Unhealthy', healthProbeLog: "Time taken by the backend to respond to application gateway's health probe is more than the timeout threshold in the probe setting." },
  ]
  : [
    { address: '10.0.1.4', health: 'Healthy', healthProbeLog: 'Success. Received 200 status code' },
    { address: '10.0.1.5', health: 'Healthy', healthProbeLog: 'Success. Received 200 status code' },
  ];
const arm = await startArmServer({
  gateways: { 'rg1/appgw': gw }, health: { 'rg1/appgw': health },
  subnets: {
    '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/virtualnetwork1/subnets/appgwsubnet': armFixture('subnet-appgw.json'),
    // The SubnetGet example again, as the backend subnet the backend NSG is attached to.
    '/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/virtualnetworks/virtualnetwork1/subnets/backendsubnet': { id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/virtualNetwork1/subnets/backendsubnet', name: 'backendsubnet', properties: { addressPrefix: '10.0.1.0/24', provisioningState: 'Succeeded' } },
  },
  nsgLists: { rg1: armFixture('nsg-list-backend-allow.json') },
});
const r = createAzureSdkReader({ subscription: 'subid', endpoint: arm.url, credential: { getToken: async () => ({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }) }, pollIntervalMs: 10 });
const calls: { method: string; args: unknown[]; result: unknown }[] = [];
const rec = async (method: string, args: unknown[], p: Promise<unknown>) => { const result = await p; calls.push({ method, args, result }); return result; };
await rec('getApplicationGateway', ['rg1', 'appgw'], r.getApplicationGateway('rg1', 'appgw'));
await rec('backendHealth', ['rg1', 'appgw'], r.backendHealth('rg1', 'appgw'));
const subnet = '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/virtualNetwork1/subnets/appgwsubnet';
await rec('getSubnet', [subnet], r.getSubnet(subnet));
await rec('listNetworkSecurityGroups', ['rg1'], r.listNetworkSecurityGroups('rg1'));
const backendSubnet = '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/virtualNetwork1/subnets/backendsubnet';
await rec('getSubnet', [backendSubnet], r.getSubnet(backendSubnet));
await arm.close();
process.stdout.write(`${JSON.stringify(calls)}\n`);
