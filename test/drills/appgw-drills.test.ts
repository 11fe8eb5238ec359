// The App Gateway drills' world: Azure answers replayed through the Azure port, and the access
// log the drill writes into its folder read by the real log check (as a trainee's answer would).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDrillEnv } from '../../src/drills/drill-env.js';
import { drillStartFacts, loadScenario } from '../../src/drills/scenarios.js';
import type { CheckNode } from '../../src/engine/flow-schema.js';
import type { SessionState } from '../../src/engine/session.js';

function world(id: string) {
  const loaded = loadScenario(id);
  const env = createDrillEnv(loaded.scenario, { dir: mkdtempSync(join(tmpdir(), 'badgate-appgw-drill-')), now: new Date() });
  const state = { facts: drillStartFacts(loaded.scenario, env) } as unknown as SessionState;
  const run = (check: string, params: Record<string, string>) => env.runCheck({ id: check, kind: 'check', phase: 'logs', title: check, run: check, outcomes: [{ next: 'x' }] } as CheckNode, params, state, () => {});
  return { env, state, run };
}

describe('App Gateway drills', () => {
  it('storefront: Azure reads come from the scenario, the access log shows gateway-made CLOSED_CONNECTION 502s', async () => {
    const w = world('storefront-appgw-sporadic-502');
    expect(w.state.facts['azure.available']).toBe(true);
    const health = await w.run('appgw.backend-health', { resourceGroup: 'rg1', name: 'appgw' });
    expect(health.result.outcome).toBe('healthy');
    const logs = await w.run('logs.access-log', { source: join(w.env.dir, 'appgw-access.json'), since: '40m' });
    expect(logs.result.findings?.[0]).toMatchObject({ cause: 'keepalive-race' });
    expect(logs.result.summary).toMatch(/^5 502s/);
  });

  it('orders: one member Unhealthy on the probe timeout, the log shows TIMED_OUT 502s on it', async () => {
    const w = world('orders-appgw-502-bursts');
    const health = await w.run('appgw.backend-health', { resourceGroup: 'rg1', name: 'appgw' });
    expect(health.result.outcome).toBe('some-unhealthy');
    const logs = await w.run('logs.access-log', { source: join(w.env.dir, 'appgw-access.json'), since: '40m' });
    expect(logs.result.findings?.[0]).toMatchObject({ cause: 'target-crashed-or-overloaded' });
    expect(logs.result.details?.join('\n')).toMatch(/target 10\.0\.1\.5:80: \d+ 502s/);
  });
});
