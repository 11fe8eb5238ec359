// `badgate check clb` and `run clb`, as a user runs the built binary, against moto over HTTP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { describeMoto, newAccount, REGION } from '../helpers/moto.js';
import { seedClb } from '../helpers/seed-clb.js';

let state: string;
beforeAll(() => { state = mkdtempSync(join(tmpdir(), 'badgate-clb-cli-')); });

it('run clb without a terminal points at check clb', () => {
  const r = runCli(['run', 'clb'], { BADGATE_STATE_DIR: state });
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/badgate check clb --json/);
});

describeMoto('check clb against moto', (endpoint) => {
  it('finds the security group that keeps the CLB from the instances, and names no other confirmed cause', async () => {
    const account = await newAccount(endpoint());
    const seeded = await seedClb(account, { name: 'legacy-web', allowLbToInstance: false });
    const c = account.clientConfig.credentials;
    const r = await runCliAsync(['check', 'clb', '--lb', seeded.name, '--region', REGION, '--json'], {
      BADGATE_STATE_DIR: state, AWS_ENDPOINT_URL: endpoint(), AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken,
    });
    // Exit 1: a cause was found.
    expect(r.code, r.err).toBe(1);
    const out = JSON.parse(r.out) as { checks: { id: string; outcome: string }[]; causes: { id: string; confidence: string }[] };
    expect(out.checks.find((x) => x.id === 'clb.resolve')?.outcome).toBe('found');
    expect(out.checks.find((x) => x.id === 'clb.instance-health')?.outcome).toBe('healthy');
    expect(out.checks.find((x) => x.id === 'clb.network-path')?.outcome).toBe('sg-blocked');
    expect(out.causes.filter((x) => x.confidence === 'confirmed').map((x) => x.id)).toEqual(['sg-blocks-lb-to-target']);
  }, 90_000);
});
