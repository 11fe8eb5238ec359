import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Tmux } from '../helpers/tmux.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli.js');
const SCENARIO = join(ROOT, 'test/fixtures/drills/keepalive-mini.yaml');
const ready = existsSync(BIN) && Tmux.available();

/** Briefing → enter, then the title and start time; stops at the URL question. */
async function beginDrill(t: Tmux): Promise<void> {
  await t.waitFor('enter start');
  t.keys('Enter');
  await t.waitFor('? Incident title');
  t.type('Checkout 502s');
  await t.waitFor('? When it started');
  t.type('40m ago');
  await t.waitFor('? Affected URL');
}

/** From the URL question to the keep-alive questions: healthy targets and ALB-made 502s lead there. */
async function toKeepAliveQuestions(t: Tmux): Promise<void> {
  t.type('https://shop.example.com/checkout');
  await t.waitFor('? All or some requests');
  t.type('2');
  await t.waitFor('? Recent change');
  t.type('4');
  await t.waitFor('▶ Emergency checklist');
  t.type('');
  await t.waitFor('? Backend server', 30_000);
}

/** `a`, filter to the keep-alive race, enter: waits for the verdict. */
async function nameKeepAliveRace(t: Tmux): Promise<void> {
  t.keys('a');
  await t.waitFor('What is the root cause?');
  t.type('keep-alive', false);
  await t.waitFor(/1 of \d+ causes/);
  t.keys('Enter');
  await t.waitFor('Correct.', 15_000);
}

describe.skipIf(!ready && !process.env.CI)('a drill in a real terminal (tmux)', () => {
  const sessions: Tmux[] = [];
  afterEach(() => sessions.forEach((s) => s.kill()));

  it('briefing, investigation, naming the cause: the debrief is shown and written, the journal keeps the verdict', async () => {
    expect(ready, 'CI needs dist/cli.js (npm test builds it) and tmux').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'badgate-drill-e2e-'));
    const debrief = join(dir, 'debrief.md');
    const t = new Tmux(`bg-drill-${process.pid}`);
    sessions.push(t);
    t.start(`cd ${dir} && BADGATE_STATE_DIR=${dir} AWS_EC2_METADATA_DISABLED=true NO_COLOR=1 node ${BIN} drill ${SCENARIO} --out ${debrief}`, 100, 50);

    await t.waitFor('enter start');
    expect(t.screen()).toContain('alb-access.log');
    await beginDrill(t);
    await toKeepAliveQuestions(t);
    expect(t.screen()).toMatch(/drill clock/);
    await nameKeepAliveRace(t);
    expect(t.screen()).toContain('Shortest path to the answer');
    t.keys('Enter');

    const md = readFileSync(debrief, 'utf8');
    expect(md).toContain('**Correct.**');
    expect(md).toMatch(/\| Wrong turns\s+\| 0\s+\|/);
    const [file] = readdirSync(join(dir, 'sessions'));
    const events = readFileSync(join(dir, 'sessions', file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'start', context: { mode: 'drill' } });
    expect(events.filter((e) => e.type === 'verdict')).toEqual([expect.objectContaining({ cause: 'keepalive-race' })]);
  }, 90_000);

  it('Ctrl+C keeps a drill; resume continues it in the same scenario and the score counts the whole drill', async () => {
    expect(ready, 'CI needs dist/cli.js (npm test builds it) and tmux').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'badgate-drill-e2e-'));
    const env = `BADGATE_STATE_DIR=${dir} AWS_EC2_METADATA_DISABLED=true NO_COLOR=1`;
    const debrief = join(dir, 'debrief.md');
    const t = new Tmux(`bg-drill-c-${process.pid}`);
    sessions.push(t);
    t.start(`cd ${dir} && ${env} node ${BIN} drill ${SCENARIO}`, 100, 50);
    await beginDrill(t);
    t.keys('C-c');
    const saved = await t.waitFor(/Continue with: .*? resume (\S+)/);
    const id = / resume (\S+)/.exec(saved)![1];

    const r = new Tmux(`bg-drill-r-${process.pid}`);
    sessions.push(r);
    r.start(`cd ${dir} && ${env} node ${BIN} resume ${id} --out ${debrief}`, 100, 50);
    await r.waitFor('? Affected URL');
    expect(r.screen()).toContain('drill clock');
    await toKeepAliveQuestions(r);
    await nameKeepAliveRace(r);
    const md = readFileSync(debrief, 'utf8');
    expect(md).toContain('**Correct.**');
    expect(md).toContain('Incident title — Checkout 502s');
  }, 90_000);
});
