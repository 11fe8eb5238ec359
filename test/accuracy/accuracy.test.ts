// Accuracy of `badgate check alb --json` against realistic ALB incidents seeded into moto over
// HTTP: the built binary must lead with the documented cause of each broken environment and
// name no cause (exit 0) for each healthy one. Which AWS documentation page each environment
// follows is listed at the top of ./environments.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeMoto, newAccount, REGION } from '../helpers/moto.js';
import { seedAlb } from '../helpers/seed-alb.js';
import { environments, instanceTargets, type Env } from './environments.js';
import { publish } from './simulate.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli.js');
const run = promisify(execFile);

interface Verdict { code: number; causes: string[]; symptoms: string[]; couldNotCheck: { id: string; summary: string }[]; out: string; err: string }

async function checkAlb(endpoint: string, creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string }, lb: string, state: string): Promise<Verdict> {
  const env = {
    ...process.env, BADGATE_STATE_DIR: state, AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '', NO_COLOR: '1',
    AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_REGION: REGION,
  };
  let code = 0;
  let out = '';
  let err = '';
  try {
    ({ stdout: out, stderr: err } = await run(process.execPath, [BIN, 'check', 'alb', '--json', '--lb', lb, '--region', REGION], { cwd: ROOT, env, maxBuffer: 64 << 20 }));
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    code = typeof x.code === 'number' ? x.code : -1;
    out = x.stdout ?? '';
    err = x.stderr ?? '';
  }
  let causes: string[] = [];
  let symptoms: string[] = [];
  let couldNotCheck: { id: string; summary: string }[] = [];
  try {
    const json = JSON.parse(out) as { causes?: { id: string }[]; symptoms?: { id: string }[]; couldNotCheck?: { id: string; summary: string }[] };
    causes = (json.causes ?? []).map((c) => c.id);
    symptoms = (json.symptoms ?? []).map((c) => c.id);
    couldNotCheck = json.couldNotCheck ?? [];
  } catch {
    // not JSON: the assertion below shows the output
  }
  return { code, causes, symptoms, couldNotCheck, out, err };
}

const results = new Map<string, boolean>();

describeMoto('accuracy: badgate check alb on seeded incidents', (endpoint) => {
  let state: string;
  beforeAll(() => { state = mkdtempSync(join(tmpdir(), 'badgate-accuracy-')); });
  afterAll(() => {
    const n = results.size;
    const k = [...results.values()].filter(Boolean).length;
    const missed = [...results].filter(([, ok]) => !ok).map(([id]) => id);
    console.log(`accuracy ${k}/${n}${missed.length ? ` (missed: ${missed.join(', ')})` : ''}${pending.length ? `; not run yet: ${pending.map((e) => e.id).join(', ')}` : ''}`);
  });

  const all = environments();
  const pending = all.filter((e) => e.pending);
  const envs = all.filter((e) => !e.pending);
  it('runs at least 20 broken and 5 healthy environments', () => {
    expect(envs.filter((e) => e.expect).length).toBeGreaterThanOrEqual(20);
    expect(envs.filter((e) => !e.expect).length).toBeGreaterThanOrEqual(5);
  });

  for (const env of envs) {
    it(`${env.id} → ${env.expect ?? 'no cause'}`, async () => {
      const verdict = await seedAndCheck(endpoint(), env, state);
      // ACCURACY_DUMP=dir keeps each run's --json output, to read why an environment was missed.
      if (process.env.ACCURACY_DUMP) writeFileSync(join(process.env.ACCURACY_DUMP, `${env.id}.json`), verdict.out);
      const symptom = env.expect?.startsWith('symptom:') ? env.expect.slice('symptom:'.length) : undefined;
      // The suite gives no --url (probing a real host is out of bounds here): the URL probe and DNS
      // checks are listed as not run for want of input, which is not a failure to check.
      // A healthy verdict is no cause, no symptom, and exit 0.
      const cleanExit = verdict.code === 0 && verdict.couldNotCheck.length === 0;
      const ok = symptom
        ? verdict.code === 1 && verdict.causes.length === 0 && verdict.symptoms[0] === symptom
        : env.expect
          ? verdict.code === 1 && verdict.causes[0] === env.expect
          : cleanExit && verdict.causes.length === 0 && verdict.symptoms.length === 0;
      results.set(env.id, ok);
      const shown = `exit ${verdict.code}, causes [${verdict.causes.join(', ')}], symptoms [${verdict.symptoms.join(', ')}], could not check ${JSON.stringify(verdict.couldNotCheck)}\n${verdict.err.slice(-2000)}`;
      if (symptom) {
        expect(verdict.causes, shown).toEqual([]);
        expect(verdict.symptoms[0], shown).toBe(symptom);
        expect(verdict.code, shown).toBe(1);
      } else if (env.expect) {
        expect(verdict.causes[0], shown).toBe(env.expect);
        expect(verdict.code, shown).toBe(1);
      } else {
        expect(verdict.causes, shown).toEqual([]);
        expect(verdict.symptoms, shown).toEqual([]);
        expect(verdict.couldNotCheck, shown).toEqual([]);
        expect(verdict.code, shown).toBe(0);
        expect(cleanExit, shown).toBe(true);
      }
    }, 90_000);
  }
});

async function seedAndCheck(endpoint: string, env: Env, state: string): Promise<Verdict> {
  const account = await newAccount(endpoint);
  const bucket = `alb-logs-${account.accountId}`;
  const logsOn = env.logs !== false;
  const lbAttributes = { ...env.seed.lbAttributes, ...(logsOn ? { 'access_logs.s3.bucket': bucket, 'access_logs.s3.prefix': 'alb' } : {}) };
  const name = env.id.replace(/[^a-z0-9]/g, '').slice(0, 20);
  const alb = await seedAlb(account, { ...env.seed, name, lbAttributes });
  let tgArns = alb.tgArns;
  let targets = await instanceTargets(account, alb, env.seed.port ?? 8080);
  const replaced = await env.extra?.(account, alb);
  if (replaced) ({ tgArns, targets } = replaced);
  // The incident: the last 40 minutes, ending a minute ago (CloudWatch's newest minute is partial).
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
  const start = new Date(end.getTime() - 40 * 60_000);
  const traffic = { start, end, targets, tgArns };
  const requests = env.traffic(traffic);
  await publish(account, { account: account.accountId, region: REGION, lbArn: alb.lbArn, lbDns: alb.lbDns }, requests, {
    window: { start, end }, hosts: env.hosts(traffic), ...(logsOn ? { logBucket: bucket, logPrefix: 'alb' } : {}),
  });
  return checkAlb(endpoint, account.clientConfig.credentials, alb.lbName, state);
}
