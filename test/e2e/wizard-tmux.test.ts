import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Tmux } from '../helpers/tmux.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli.js');
const REPLAY = join(ROOT, 'flows/recordings/alb-keepalive-race.json');
const ready = existsSync(BIN) && Tmux.available();

describe.skipIf(!ready && !process.env.CI)('the built binary in a real terminal (tmux)', () => {
  const sessions: Tmux[] = [];
  afterEach(() => sessions.forEach((s) => s.kill()));

  it('answers, Ctrl+C, resume, finish: the postmortem is written and nothing typed is lost', async () => {
    expect(ready, 'CI needs dist/cli.js (npm test builds it) and tmux').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'badgate-e2e-'));
    const env = `BADGATE_STATE_DIR=${dir} AWS_EC2_METADATA_DISABLED=true NO_COLOR=1`;
    const report = join(dir, 'postmortem.md');
    const t = new Tmux(`bg-e2e-${process.pid}`);
    sessions.push(t);
    t.start(`cd ${ROOT} && ${env} node ${BIN} run alb --replay ${REPLAY} --out ${report}`);

    await t.waitFor('? Incident title');
    t.type('Checkout 502s after deploy');
    await t.waitFor('? When it started');
    t.type('20m ago');
    await t.waitFor('? Affected URL');
    t.type('');
    await t.waitFor('? All or some requests');
    t.type('2');
    await t.waitFor('? Recent change');
    t.keys('n');
    await t.waitFor('Note for the timeline');
    t.type('paged at 03:12 by the 502 alarm');
    await t.waitFor((s) => !s.includes('Note for the timeline'));
    t.keys('C-c');
    const saved = await t.waitFor(/Continue with: .*? resume (\S+)/);
    const id = / resume (\S+)/.exec(saved)![1];

    const journal = readFileSync(join(dir, 'sessions', `${id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.filter((e) => e.type === 'answer').map((e) => e.node)).toEqual(['intake-title', 'intake-started', 'intake-url', 'intake-pattern']);
    expect(journal.some((e) => e.type === 'note' && e.text === 'paged at 03:12 by the 502 alarm')).toBe(true);

    const r = new Tmux(`bg-e2e-r-${process.pid}`);
    sessions.push(r);
    r.start(`cd ${ROOT} && ${env} node ${BIN} resume ${id} --out ${report}`);
    await r.waitFor('? Recent change');
    expect(r.screen()).toContain('badgate · Checkout 502s after deploy');
    r.type('4');
    await r.waitFor('▶ Emergency checklist');
    r.type('');
    // Intermittent on healthy targets goes straight to the keep-alive questions.
    await r.waitFor('? Backend server', 30_000);
    expect(r.screen()).toMatch(/✓scope › resources › logs › network › \[lb-config\]/);
    r.type('1');
    await r.waitFor('? Node.js major version');
    r.type('20');
    await r.waitFor('? Measure the backend');
    r.type('');
    await r.waitFor('▶ Keep-alive race?');
    r.type('1');
    await r.waitFor('▶ Emergency moves');
    r.type('4');
    await r.waitFor('▶ Verify');
    r.type('1');
    await r.waitFor('▶ Prevention');
    r.type('');
    await r.waitFor('Postmortem written to');
    r.type('');

    const md = readFileSync(report, 'utf8');
    expect(md).toContain('# Postmortem: Checkout 502s after deploy');
    expect(md).toMatch(/### Backend closes idle keep-alive connections before the gateway does \(keepalive-race\) — confirmed/);
    expect(md).toContain('Note: paged at 03:12 by the 502 alarm');
    expect(md).toContain('Mitigation: Fixed the configuration.');
    expect(md).toContain('flowchart TD');
    expect(readdirSync(join(dir, 'sessions'))).toEqual([`${id}.jsonl`]);
    const after = readFileSync(join(dir, 'sessions', `${id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(after.filter((e) => e.type === 'check').map((e) => e.check)).toEqual(expect.arrayContaining(['sts.whoami', 'elbv2.resolve', 'elbv2.target-health', 'cloudwatch.who-made-502', 'timeout.chain']));
    expect(after.at(-1)).toMatchObject({ type: 'report', path: report });
  }, 120_000);

  it('kill -9 in the middle loses nothing already entered', async () => {
    expect(ready).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'badgate-e2e-'));
    const t = new Tmux(`bg-e2e-k-${process.pid}`);
    sessions.push(t);
    t.start(`cd ${ROOT} && BADGATE_STATE_DIR=${dir} AWS_EC2_METADATA_DISABLED=true exec node ${BIN} run alb --replay ${REPLAY}`);
    await t.waitFor('? Incident title');
    t.type('Killed mid-way');
    await t.waitFor('? When it started');
    t.type('now');
    await t.waitFor('? Affected URL');
    process.kill(t.panePid(), 'SIGKILL');
    const [file] = readdirSync(join(dir, 'sessions'));
    const events = readFileSync(join(dir, 'sessions', file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'answer').map((e) => e.value)).toEqual(['Killed mid-way', expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/)]);
  }, 60_000);
});
