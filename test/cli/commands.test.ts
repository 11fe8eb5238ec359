import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { flowJsonSchema } from '../../src/commands/flows.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli.js');
const KEEPALIVE = join(ROOT, 'flows/recordings/alb-keepalive-race.json');
let state: string;

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: 'utf8', input: input ?? '',
    env: { ...process.env, BADGATE_STATE_DIR: state, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: '', AWS_PROFILE: '', NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

beforeAll(() => { state = mkdtempSync(join(tmpdir(), 'badgate-cli-')); });

describe('badgate command line (built binary)', () => {
  it('flows/schema.json is generated from the zod schema and up to date', () => {
    expect(readFileSync(join(ROOT, 'flows/schema.json'), 'utf8')).toBe(flowJsonSchema());
  });

  it('flows lint: clean shipped flows exit 0; a broken flow prints file:line:col and exits 1', () => {
    expect(run(['flows', 'lint']).code).toBe(0);
    const bad = join(state, 'bad.yaml');
    writeFileSync(bad, readFileSync(join(ROOT, 'flows/alb.yaml'), 'utf8').replace('run: elbv2.target-health', 'run: elbv2.target-healt'));
    const r = run(['flows', 'lint', bad]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+ unknown check "elbv2.target-healt"`, 'm'));
  });

  it('run with a broken flow file fails with one clear message, not a stack trace', () => {
    const bad = join(state, 'broken.yaml');
    writeFileSync(bad, 'id: x\nnodes: [\n');
    const r = run(['check', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.yaml:\d+:\d+/);
    noStack(r.err);
  });

  it('run and bare badgate refuse a non-terminal stdin and point at check', () => {
    for (const args of [[], ['run', 'alb']]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('needs an interactive terminal');
      expect(r.err).toContain('badgate check alb --json');
    }
  });

  it('report and resume with an unknown session id say how to list sessions', () => {
    for (const cmd of ['report', 'resume']) {
      const r = run([cmd, 'nope-123']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/no session "nope-123"|needs an interactive terminal/);
      noStack(r.err);
    }
    expect(run(['report', 'nope-123']).err).toContain('badgate sessions');
  });

  it('check --replay finds the keep-alive race headless, with the JSON contract, and exits 1', () => {
    const r = run(['check', 'alb', '--replay', KEEPALIVE, '--answer', 'intake-pattern=intermittent', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.flow).toBe('alb');
    expect(j.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['elbv2.target-health', 'cloudwatch.who-made-502']));
    for (const c of j.checks) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'status', 'outcome', 'summary']));
    expect(j.causes[0]).toMatchObject({ id: 'keepalive-race' });
    expect(Object.keys(j.causes[0])).toEqual(expect.arrayContaining(['id', 'title', 'confidence', 'strength', 'evidence']));
    // Every piece of evidence says how much it weighs and where it came from.
    for (const c of j.causes) for (const e of c.evidence) expect(e).toMatchObject({ text: expect.any(String), strength: expect.stringMatching(/^(measured|config|answer|assumed)$/), source: expect.any(String) });
    expect(j).toHaveProperty('symptoms');
    expect(j).toHaveProperty('conflicts');
  });

  it('check with an unknown --answer id or a bad value is a usage error', () => {
    expect(run(['check', 'alb', '--replay', KEEPALIVE, '--answer', 'nosuch=1']).code).toBe(2);
    const r = run(['check', 'alb', '--replay', KEEPALIVE, '--answer', 'intake-started=yesterday-ish']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not a time I can read');
  });

  it('report writes the postmortem of a headless session; an unwritable --out is a clear error', () => {
    const r = run(['check', 'alb', '--replay', KEEPALIVE]);
    const id = /Session (\S+):/.exec(r.out)![1];
    const sessions = run(['sessions']);
    expect(sessions.out).toContain(id);
    const md = run(['report', id]);
    expect(md.code).toBe(0);
    expect(md.out).toContain('## Timeline (UTC)');
    const locked = join(state, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const w = run(['report', id, '--out', join(locked, 'sub', 'pm.md')]);
    if (process.getuid?.() !== 0) {
      expect(w.code).toBe(2);
      expect(w.err).toMatch(/cannot write .*pm\.md \(E\w+\)/);
    }
    const dev = run(['report', id, '--out', '/proc/version/pm.md']);
    expect(dev.code).toBe(2);
    expect(dev.err).toMatch(/cannot write \/proc\/version\/pm\.md \(E\w+\)/);
    noStack(dev.err);
  });

  it('without AWS credentials or region, check still runs the manual walk and says why AWS is off', () => {
    const r = run(['check', 'alb']);
    expect(r.err).toMatch(/AWS checks off: .*Next:/);
    expect(r.out).toMatch(/UNKNOWN\s+sts\.whoami/);
    // Nothing checked is not healthy: exit 3, with what could not run and what to do.
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/could not run, so this is not a clean bill of health/);
    expect(r.out).toMatch(/- sts\.whoami: .*next: /);
  });

  it('a --profile no AWS file names is said as such, with the commands that list and create profiles', () => {
    const r = run(['check', 'alb', '--profile', 'no-such-profile-7f3a']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/AWS checks off: no AWS profile "no-such-profile-7f3a" in ~\/\.aws\/config or ~\/\.aws\/credentials\. Next: `aws configure list-profiles`/);
    noStack(r.err);
  });

  it('iam-policy lists only read actions', () => {
    const policy = JSON.parse(run(['iam-policy']).out);
    const actions: string[] = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions).toContain('elasticloadbalancing:DescribeTargetHealth');
    // Reads by name, plus the log reads and queries (FilterLogEvents, Insights) and API Gateway's GET.
    for (const a of actions) expect(a).toMatch(/:(Describe|Get|List)|^logs:(FilterLogEvents|StartQuery|StopQuery)$|^apigateway:GET$/);
  });

  it('an unknown command or flag gets a one-line hint', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('badgate --help');
    expect(run(['check', 'alb', '--no-such-flag']).code).not.toBe(0);
  });
});
