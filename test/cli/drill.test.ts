import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli.js');
const KEEPALIVE = join(ROOT, 'flows/recordings/alb-keepalive-race.json');
const MINI = join(ROOT, 'test/fixtures/drills/keepalive-mini.yaml');
let state: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: state, encoding: 'utf8', input: '',
    env: { ...process.env, BADGATE_STATE_DIR: state, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: '', AWS_PROFILE: '', NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

beforeAll(() => { state = mkdtempSync(join(tmpdir(), 'badgate-drill-cli-')); });

describe('badgate drill (built binary)', () => {
  it('lists the shipped drills with difficulty and what they train, never their answer', () => {
    const r = run(['drill']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/trains: /);
    expect(r.out).not.toMatch(/keepalive-race|sg-blocks|target-not-listening|health-check-misconfigured/);
    const json = JSON.parse(run(['drill', '--json']).out) as { id: string; problem?: string }[];
    expect(json.length).toBeGreaterThanOrEqual(8);
    expect(json.filter((d) => d.problem)).toEqual([]);
  });

  it('--facilitator prints the answer and the shortest path; an unknown drill is one line with a next step', () => {
    const r = run(['drill', '--facilitator', MINI]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Answer: Backend closes idle keep-alive connections before the gateway does [keepalive-race]');
    expect(r.out).toMatch(/Shortest path to the answer \(\d+ moves/);
    const bad = run(['drill', '--facilitator', 'no-such-drill']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no drill "no-such-drill"');
    noStack(bad.err);
  });

  it('a drill needs a terminal; without one it points to the facilitator sheet', () => {
    const r = run(['drill', MINI]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('needs an interactive terminal');
    expect(r.err).toContain('--facilitator');
  });

  it('import turns a recording into a scenario, masking the account and the names, and it lints and runs', () => {
    const out = join(state, 'real-incident.yaml');
    const r = run(['drill', 'import', KEEPALIVE, '--cause', 'keepalive-race', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote ${out}`);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('shop-alb');
    expect(text).toContain('lb-1');
    expect(text.match(/\b\d{12}\b/g)?.every((a) => a === '123456789012')).toBe(true);
    expect(run(['flows', 'lint', out]).code).toBe(0);
    expect(run(['drill', '--facilitator', out]).out).toContain('[keepalive-race]');
    // Written once: a second import does not overwrite someone's edited briefing.
    expect(run(['drill', 'import', KEEPALIVE, '--cause', 'keepalive-race', '--out', out]).code).toBe(2);
  });

  it('import without --cause, or with an unknown one, says which causes exist', () => {
    const none = run(['drill', 'import', KEEPALIVE]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--cause is required');
    expect(none.err).toContain('keepalive-race');
    const unknown = run(['drill', 'import', KEEPALIVE, '--cause', 'gremlins']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown cause "gremlins"');
    const missing = run(['drill', 'import', join(state, 'nope.json'), '--cause', 'keepalive-race']);
    expect(missing.code).toBe(2);
    noStack(missing.err);
  });
});
