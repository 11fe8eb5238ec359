// Every shipped example incident replays through the built binary, offline, to the cause it was
// recorded for: `badgate check <flow> --replay flows/recordings/<flow>-….json --json`. The recordings
// come from moto (scripts/record-example.ts for the ALB, scripts/record-flow-examples.ts for the rest).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingFlow } from '../../src/commands/run-recording.js';
import { ROOT, runCliAsync } from '../helpers/cli.js';

const DIR = join(ROOT, 'flows/recordings');

const EXPECTED: Record<string, { flow: string; cause: string; check: [string, string] }> = {
  'alb-keepalive-race.json': { flow: 'alb', cause: 'keepalive-race', check: ['cloudwatch.who-made-502', 'lb-generated'] },
  'alb-sg-blocked.json': { flow: 'alb', cause: 'sg-blocks-lb-to-target', check: ['ec2.network-path', 'sg-blocked'] },
  'clb-backend-502.json': { flow: 'clb', cause: 'target-generated-502', check: ['cloudwatch.clb-metrics', 'backend-made'] },
  'nlb-idle-resets.json': { flow: 'nlb', cause: 'timeout-mismatch', check: ['cloudwatch.nlb-resets', 'elb-resets'] },
  'cloudfront-origin-cert.json': { flow: 'cloudfront', cause: 'origin-tls-mismatch', check: ['cloudfront.origin-tls', 'name-mismatch'] },
  'apigw-malformed-response.json': { flow: 'apigw', cause: 'lambda-invalid-response', check: ['logs.apigw-execution', 'lambda-invalid-response'] },
};

// No credentials and an AWS endpoint nobody listens on: any call that left the recording would fail.
const OFFLINE = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };

describe('the recorded example incidents', () => {
  it('there is one per AWS flow, each listed here, with no credential in it', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(new Set(files.map(recordingFlow))).toEqual(new Set(['alb', 'clb', 'nlb', 'cloudfront', 'apigw']));
    for (const f of files) expect(readFileSync(join(DIR, f), 'utf8'), f).not.toMatch(/ASIA[A-Z0-9]{12}|AKIA[A-Z0-9]{12}|sessionToken|secretAccessKey/i);
  });

  describe.concurrent('replay through check --json', () => {
    for (const [file, want] of Object.entries(EXPECTED)) {
      it(`${file}: ${want.flow} flow finds ${want.cause}`, async () => {
        const state = mkdtempSync(join(tmpdir(), 'badgate-replay-'));
        const r = await runCliAsync(['check', want.flow, '--replay', join(DIR, file), '--json'], { BADGATE_STATE_DIR: state, ...OFFLINE });
        expect(r.code, r.err).toBe(1);
        expect(r.err).toMatch(/Replaying the recorded answers/);
        const out = JSON.parse(r.out) as { flow: string; checks: { id: string; outcome: string }[]; causes: { id: string; confidence: string }[] };
        expect(out.flow).toBe(want.flow);
        expect(out.checks.find((c) => c.id === want.check[0])?.outcome).toBe(want.check[1]);
        // Causes come most likely first: the recorded one leads.
        expect(out.causes[0]?.id, JSON.stringify(out.causes)).toBe(want.cause);
      }, 60_000);
    }
  });
});
