import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessLogObjects, createDrillEnv, memoryLogStore, shiftLogLine } from '../../src/drills/drill-env.js';
import { loadScenario } from '../../src/drills/scenarios.js';
import { keyEndTime } from '../../src/logs/s3-plan.js';
import { fixture } from '../helpers/flows.js';
import { replayed } from '../helpers/drills.js';
import type { CheckNode } from '../../src/engine/flow-schema.js';

const loaded = loadScenario(fixture('drills/keepalive-mini.yaml'));
const node = (run: string): CheckNode => ({ id: 'x', kind: 'check', phase: 'logs', title: 'x', run, outcomes: [{ next: 'y' }] });
const anyState = () => replayed([{ seq: 1, at: new Date().toISOString(), type: 'start', sessionId: 's', flow: 'alb', flowTitle: 'ALB', version: 1, start: 'intake-title', context: { mode: 'drill' } }]);

describe('drill environment', () => {
  it('moves ALB and nginx timestamps by the same distance, keeping their precision', () => {
    const hour = 3_600_000;
    expect(shiftLogLine('https 2026-03-14T10:00:00.123456Z app/x 1.2.3.4:1 - -1 -1 -1 502 - 0 0 "GET x HTTP/1.1" "-" - - - "-" "-" "-" 0 2026-03-14T09:59:59.999000Z "forward"', hour))
      .toBe('https 2026-03-14T11:00:00.123456Z app/x 1.2.3.4:1 - -1 -1 -1 502 - 0 0 "GET x HTTP/1.1" "-" - - - "-" "-" "-" 0 2026-03-14T10:59:59.999000Z "forward"');
    expect(shiftLogLine('"Root=1-67891233-abcdef012345678912345678"', hour)).toBe('"Root=1-67892043-abcdef012345678912345678"');
    expect(shiftLogLine('2026/03/14 23:30:05 [error] 12#12: *7 connect() failed (111: Connection refused)', hour))
      .toBe('2026/03/15 00:30:05 [error] 12#12: *7 connect() failed (111: Connection refused)');
  });

  it('serves access logs under ELB-style keys, one object per 5-minute interval, listable level by level', async () => {
    const lines = ['h2 2026-03-14T10:01:00.000000Z a', 'h2 2026-03-14T10:03:00.000000Z b', 'h2 2026-03-14T10:07:00.000000Z c'];
    const objects = accessLogObjects(lines, { account: '123456789012', name: 'shop', id: 'abc', prefix: 'prod' }, 'us-east-1');
    expect([...objects.keys()].map((k) => new Date(keyEndTime(k) ?? 0).toISOString())).toEqual(['2026-03-14T10:05:00.000Z', '2026-03-14T10:10:00.000Z']);
    const store = memoryLogStore('logs', objects);
    expect(await store.listPrefixes('prod/AWSLogs/')).toEqual(['prod/AWSLogs/123456789012/']);
    const listed = [];
    for await (const o of store.list('prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/14/')) listed.push(o.key);
    expect(listed).toHaveLength(2);
    await expect(store.get('nope')).rejects.toThrow(/does not exist/);
  });

  it('the access-log check reads the scenario logs from the LB bucket and finds the keep-alive signature', async () => {
    const env = createDrillEnv(loaded.scenario, { dir: mkdtempSync(join(tmpdir(), 'drill-env-')), now: new Date() });
    const r = (await env.runCheck(node('logs.access-log'), { source: 's3://shop-alb-logs/prod', since: '1h' }, anyState(), () => {})).result;
    expect(r.outcome).toBe('keepalive-signature');
    expect(r.facts?.['logs.count502']).toBeGreaterThan(0);
    expect(r.sources?.map((s) => s.api)).toContain('s3:GetObject');
    // The same lines are a file the trainee can open.
    expect(readFileSync(env.files[0].path, 'utf8')).toContain(' 502 - ');
  });

  it('answers probes from recorded evidence through the real evaluate, and says so when it has none', async () => {
    const env = createDrillEnv(loaded.scenario, { dir: mkdtempSync(join(tmpdir(), 'drill-env-')), now: new Date() });
    const ka = (await env.runCheck(node('net.keepalive'), { target: 'http://10.0.16.10:8080/', idleTimeoutSeconds: '60' }, anyState(), () => {})).result;
    expect(ka.outcome).toBe('race');
    expect(ka.findings?.[0]).toMatchObject({ cause: 'keepalive-race', confidence: 'confirmed' });
    const none = (await env.runCheck(node('net.tcp-connect'), { host: '10.9.9.9', port: '8080' }, anyState(), () => {})).result;
    expect(none).toMatchObject({ status: 'unknown', outcome: 'unknown' });
    expect(none.summary).toContain('10.9.9.9:8080');
  });

  it('answers AWS checks from the recording, with no network', async () => {
    const env = createDrillEnv(loaded.scenario, { dir: mkdtempSync(join(tmpdir(), 'drill-env-')), now: new Date() });
    const r = (await env.runCheck(node('sts.whoami'), {}, anyState(), () => {})).result;
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('123456789012');
  });
});
