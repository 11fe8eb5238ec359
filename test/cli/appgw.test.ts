// `badgate check appgw` end to end: the built binary, the real @azure/arm-network client and
// DefaultAzureCredential (its managed-identity source, served by the local ARM server: no network),
// and a real backend on 127.0.0.1 whose keep-alive is shorter than App Gateway v2's 60 s.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpolateShell } from '../../src/engine/template.js';
import { loadFlow } from '../../src/flow-files.js';
import { armFixture, startArmServer, type ArmServer } from '../helpers/arm-server.js';
import { runCliAsync } from '../helpers/cli.js';

let arm: ArmServer;
let backend: Server;
let port = 0;
const state = mkdtempSync(join(tmpdir(), 'badgate-appgw-'));

/** The documentation example gateway (v2), its one pool pointed at the local backend. */
function gatewayAt(p: number): unknown {
  const g = structuredClone(armFixture('appgw-get-v2.json')) as { properties: { backendAddressPools: { properties: { backendAddresses: unknown[] } }[]; backendHttpSettingsCollection: { properties: { port: number } }[] } };
  g.properties.backendAddressPools[1].properties.backendAddresses = [{ ipAddress: '127.0.0.1' }];
  g.properties.backendHttpSettingsCollection[0].properties.port = p;
  return g;
}

function healthAt(): unknown {
  const h = structuredClone(armFixture('backend-health-up.json')) as { backendAddressPools: { backendHttpSettingsCollection: { servers: { address: string }[] }[] }[] };
  h.backendAddressPools[0].backendHttpSettingsCollection[0].servers = [{ address: '127.0.0.1', health: 'Up' } as { address: string }];
  return h;
}

beforeAll(async () => {
  // Apache's 5 s KeepAliveTimeout from article 003, scaled down to 0.5 s.
  backend = createServer((_q, r) => r.end('ok'));
  backend.keepAliveTimeout = 500;
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  port = (backend.address() as AddressInfo).port;
  arm = await startArmServer({ gateways: { 'rg1/appgw': gatewayAt(port) }, health: { 'rg1/appgw': healthAt() } });
});
afterAll(async () => {
  await arm.close();
  await new Promise<void>((r) => backend.close(() => r()));
});

const env = () => ({ ...arm.identityEnv, BADGATE_AZURE_ENDPOINT: arm.url, BADGATE_STATE_DIR: state, AZURE_CLIENT_ID: '', AZURE_TENANT_ID: '', AZURE_CLIENT_SECRET: '' });

describe('badgate check appgw', () => {
  it('reads the gateway through the local ARM server and reaches the keep-alive race', async () => {
    const r = await runCliAsync(['check', 'appgw', '--subscription', 'subid', '--resource-group', 'rg1', '--name', 'appgw', '--json', '--answer', 'intake-pattern=intermittent'], env());
    expect(r.err).toContain('Azure: subscription subid');
    const out = JSON.parse(r.out) as { target: { tier: string; mode: string }; checks: { id: string; outcome: string }[]; causes: { id: string; confidence: string }[] };
    expect(out.target).toMatchObject({ tier: 'v2', mode: 'live' });
    expect(out.checks.find((c) => c.id === 'appgw.backend-health')?.outcome).toBe('healthy');
    expect(out.checks.find((c) => c.id === 'appgw.keepalive')?.outcome).toBe('race');
    expect(out.causes.find((c) => c.id === 'keepalive-race')?.confidence).toBe('confirmed');
    expect(r.code).toBe(1);
    // Read-only: only GETs and the backend-health POST reached ARM.
    expect(arm.seen.filter((s) => s.path !== '/msi/token' && s.method !== 'GET' && !s.path.endsWith('/backendhealth'))).toEqual([]);
  }, 120_000);

  it('without a subscription it runs in manual mode with filled az commands', async () => {
    const report = join(state, 'manual.md');
    const r = await runCliAsync(['check', 'appgw', '--resource-group', 'rg1', '--name', 'appgw', '--json', '--answer', 'manual-health=none', '--report', report], { BADGATE_STATE_DIR: state, AZURE_SUBSCRIPTION_ID: '' });
    expect(r.err).toMatch(/Azure checks off: no Azure subscription given\. Next: run `az login`/);
    const out = JSON.parse(r.out) as { target: { mode: string }; checks: { id: string; status: string; nextStep?: string }[]; causes: unknown[]; symptoms: { id: string }[] };
    expect(out.target.mode).toBe('manual');
    expect(out.symptoms.map((s) => s.id)).toContain('all-targets-unhealthy');
    expect(out.checks.find((c) => c.id === 'appgw.backend-path')).toMatchObject({ status: 'unknown' });
    expect(out.checks.find((c) => c.id === 'appgw.backend-path')?.nextStep).toContain('--subscription');
    expect(readFileSync(report, 'utf8')).toContain('Every target is unhealthy');
    expect(readFileSync(report, 'utf8')).toMatch(/\| Load balancer\s+\| appgw\s+\|/);
    // The manual step's commands, filled with the session's facts as the wizard shows them.
    const journal = readFileSync(join(state, 'sessions', `${(JSON.parse(r.out) as { session: string }).session}.jsonl`), 'utf8');
    expect(journal).toContain('"node":"manual-health"');
    const facts = Object.assign({}, ...journal.trim().split('\n').map((l) => JSON.parse(l) as { facts?: Record<string, string>; set?: Record<string, string> }).map((e) => ({ ...e.facts, ...e.set })));
    const step = loadFlow('appgw').nodes.find((n) => n.id === 'manual-health') as { commands: string[] };
    expect(interpolateShell(step.commands[0], facts)).toContain('az network application-gateway show-backend-health --resource-group rg1 --name appgw');
  }, 120_000);
});
