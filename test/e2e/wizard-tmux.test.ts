import { execFileSync } from 'node:child_process';
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
    // One key confirms the cause; its move and fix are on screen at once.
    const mitigation = await r.waitFor('■ Cause confirmed: Backend closes idle keep-alive');
    expect(mitigation).toContain('▶ Stop the bleeding now');
    expect(mitigation).toContain('▶ Then fix it for good');
    expect(mitigation).toMatch(/keepAliveTimeout/);
    expect(mitigation).not.toContain('deregister-targets');
    r.type('1');
    await r.waitFor('Postmortem written to');
    r.type('');

    const md = readFileSync(report, 'utf8');
    expect(md).toContain('# Postmortem: Checkout 502s after deploy');
    expect(md).toMatch(/### Backend closes idle keep-alive connections before the gateway does \(keepalive-race\): confirmed/);
    expect(md).toContain('Note: paged at 03:12 by the 502 alarm');
    expect(md).toContain('Mitigation: Lowered the ALB idle timeout below the backend keep-alive');
    expect(md).toContain('flowchart TD');
    expect(readdirSync(join(dir, 'sessions'))).toEqual([`${id}.jsonl`]);
    const after = readFileSync(join(dir, 'sessions', `${id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(after.filter((e) => e.type === 'check').map((e) => e.check)).toEqual(expect.arrayContaining(['sts.whoami', 'elbv2.resolve', 'elbv2.target-health', 'cloudwatch.who-made-502', 'timeout.chain']));
    expect(after.at(-1)).toMatchObject({ type: 'report', path: report });
  }, 120_000);

  it('no credentials, every request fails: target-health, security-group and NACL steps with commands that paste whole; a confirmed cause shows its fix at once; still failing returns to the hypotheses', async () => {
    expect(ready).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'badgate-e2e-'));
    // No credentials anywhere: no keys, no profile files, no instance metadata, no region.
    const env = `env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_REGION -u AWS_DEFAULT_REGION AWS_CONFIG_FILE=${dir}/none AWS_SHARED_CREDENTIALS_FILE=${dir}/none AWS_EC2_METADATA_DISABLED=true BADGATE_STATE_DIR=${dir} NO_COLOR=1`;
    const t = new Tmux(`bg-e2e-m-${process.pid}`);
    sessions.push(t);
    t.start(`cd ${ROOT} && ${env} node ${BIN} run alb --lb web-alb --out ${join(dir, 'pm.md')}`, 120, 40);
    await t.waitFor('? Incident title');
    t.type('Total outage');
    await t.waitFor('? When it started');
    t.type('now');
    await t.waitFor('? Affected URL');
    t.type('');
    await t.waitFor('? All or some requests');
    t.type('1');
    await t.waitFor('? Recent change');
    t.type('4');
    await t.waitFor('▶ Emergency checklist');
    t.type('');
    await t.waitFor('▶ Continue without AWS access', 30_000);
    t.type('');
    // The name from --lb comes up filled in.
    await t.waitFor('› web-alb');
    t.type('');
    await t.waitFor('▶ Target health and health check (by hand)', 30_000);
    /** A command as a person copies it off the screen (whole, though the terminal wrapped it). */
    const pasted = (start: string): string => {
      const line = t.copied().split('\n').reverse().find((l) => l.startsWith(start));
      expect(line, `a line starting with ${start}`).toBeDefined();
      return line!.trimEnd();
    };
    const health = pasted('aws elbv2 describe-target-health --target-group-arn ');
    expect(health).toContain('--names web-alb');
    t.type('4');
    await t.waitFor('▶ Security groups and network ACLs (by hand)');
    // lb-config was passed on an unknown check and a step that could not be run: not ticked.
    expect(t.screen()).toMatch(/\[network\] › \?lb-config/);
    const sg = pasted('aws ec2 describe-security-groups --group-ids ');
    const nacl = pasted('aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=');
    for (const c of [health, sg, nacl]) {
      expect(c).not.toMatch(/<[\w.]+>/);
      execFileSync('bash', ['-n', '-c', c]);
    }
    // The security group blocks: one key, and its own fix is on screen.
    t.type('1');
    const fix = await t.waitFor('■ Cause confirmed: ');
    expect(fix).toContain('▶ Stop the bleeding now');
    const authorize = pasted('aws ec2 authorize-security-group-ingress --group-id ');
    execFileSync('bash', ['-n', '-c', authorize]);
    t.type('3');
    await t.waitFor('Open hypotheses, most likely first');
    expect(t.screen()).toContain('Next unexplored branch: Is the app listening on the target port');
    t.type('');
    await t.waitFor('▶ Is the app listening on the target port');
    // The rest of the sweep, answered "skipped"/"cannot tell" where offered, to the verification.
    const where = (x: string) => `${/(\d+) answered/.exec(x)?.[1]}|${/^(?:▶|\?|■) .*$/m.exec(x.split('╰').at(-1) ?? '')?.[0]}|${x.includes('Open hypotheses, most likely first')}`;
    for (let i = 0; i < 200; i++) {
      const s = t.screen();
      if (s.includes('▶ Verify')) break;
      if (s.includes('■ Cause confirmed')) t.keys('Escape');
      else if (s.includes('enter: go on with the next unexplored branch') || s.includes('(enter to skip)') || s.includes('› press enter when done')) t.type('');
      else {
        // The last choice is "skipped", "cannot tell" or the like; hypothesis lines carry a symbol.
        const numbers = [...s.matchAll(/^[ ›] (\d)\. (?![■●○✕])/gm)].map((m) => Number(m[1]));
        // Nothing to answer yet (a check is running): wait for the next prompt.
        if (!numbers.length) { await new Promise((r) => setTimeout(r, 200)); continue; }
        t.type(String(Math.max(...numbers)));
      }
      // The clock redraws every second: wait for another question, not another frame.
      await t.waitFor((x) => where(x) !== where(s), 30_000).catch(() => undefined);
    }
    await t.waitFor('▶ Verify');
    t.type('3');
    const open = await t.waitFor('Still failing: open hypotheses');
    expect(open).toContain('Open hypotheses, most likely first');
    expect(open).toContain('Escalate: hand over');
    expect(open).not.toContain('Investigation complete');
  }, 180_000);

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
