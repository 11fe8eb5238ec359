// The shipped example incidents replay offline, at any time, to the verdicts they were recorded for.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReplayReader, loadRecording } from '../../src/aws/recorded.js';
import { runAwsChecks } from '../helpers/moto-check-run.js';

const dir = join(import.meta.dirname, '../../flows/recordings');

describe('recorded examples replay with no network', () => {
  it('alb-keepalive-race: healthy targets, ALB-made 502s, Node 20 keep-alive race', async () => {
    const rec = await loadRecording(join(dir, 'alb-keepalive-race.json'));
    expect(JSON.stringify(rec)).not.toMatch(/ASIA|AKIA|SessionToken|secretAccessKey/i);
    // A week later than recorded: the metric window moves with the clock.
    const later = new Date(Date.parse(rec.recordedAt) + 7 * 86400_000);
    for (const resolve of [{}, { lb: 'shop-alb' }] as Record<string, string>[]) {
      const run = await runAwsChecks(createReplayReader(rec), { 'timeout.chain': { server: 'node', nodeVersion: '20' }, 'elbv2.resolve': resolve }, later);
      const outcomes = Object.fromEntries(Object.entries(run.results).map(([id, r]) => [id, r.outcome]));
      expect(outcomes).toEqual({
        'sts.whoami': 'ok', 'elbv2.resolve': 'found', 'elbv2.target-health': 'all-healthy', 'ec2.instances': 'ok',
        'ec2.network-path': 'open', 'elbv2.lb-attributes': 'ok', 'elbv2.target-group-config': 'ok',
        'timeout.chain': 'race', 'cloudwatch.who-made-502': 'lb-generated',
      });
      expect(run.facts['aws.account']).toBe('123456789012');
      expect(run.results['cloudwatch.who-made-502'].findings).toContainEqual(expect.objectContaining({ cause: 'keepalive-race', confidence: 'suspected' }));
    }
  });

  it('alb-sg-blocked: targets time out, the network path names the missing rule', async () => {
    const rec = await loadRecording(join(dir, 'alb-sg-blocked.json'));
    const run = await runAwsChecks(createReplayReader(rec), { 'timeout.chain': { server: 'nginx' } });
    expect(run.results['elbv2.target-health'].outcome).toBe('all-unhealthy');
    expect(run.facts['targets.reason']).toBe('Target.Timeout');
    expect(run.results['ec2.network-path'].outcome).toBe('sg-blocked');
    expect(run.results['ec2.network-path'].findings).toContainEqual(expect.objectContaining({ cause: 'sg-blocks-lb-to-target', confidence: 'confirmed' }));
    expect(run.results['cloudwatch.who-made-502'].findings).toContainEqual(expect.objectContaining({ cause: 'target-not-listening' }));
  });

  it('a call the recording lacks is unknown with a replay hint, not a crash', async () => {
    const rec = await loadRecording(join(dir, 'alb-sg-blocked.json'));
    const run = await runAwsChecks(createReplayReader(rec), { 'elbv2.resolve': { lb: 'other-alb' } });
    expect(run.results['elbv2.resolve']).toMatchObject({ status: 'unknown', outcome: 'unknown' });
    expect(run.results['elbv2.resolve'].nextStep).toMatch(/--record/);
  });
});
