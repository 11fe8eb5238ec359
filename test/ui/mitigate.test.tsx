import { execFileSync } from 'node:child_process';
import React from 'react';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine/vocabulary.js';
import { loadCatalog, loadFlow } from '../../src/flow-files.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { MemoryJournal } from '../helpers/flows.js';
import { renderUi } from '../helpers/render.js';

const flow = loadFlow('alb');
const catalog = loadCatalog();
/** What every AWS check says in a run without credentials (see run-context.ts, manual mode). */
const noAws: CheckResult = { status: 'unknown', outcome: 'unknown', summary: 'AWS is off for this run: no credentials' };

function setup() {
  const journal = new MemoryJournal(flow, new Date().toISOString(), 0);
  const copied: string[] = [];
  const written: string[] = [];
  const ui = renderUi(
    <WizardApp flow={flow} catalog={catalog} journal={journal} copy={(t) => copied.push(t)}
      runCheck={async (node) => ({ result: node.id === 'aws-whoami' ? { ...noAws, outcome: 'no-credentials' } : noAws })}
      writeReport={() => { written.push('pm'); return '/tmp/pm.md'; }} />,
  );
  return { ui, journal, copied, written };
}

/** No credentials, every request fails: the walk to the security-group and NACL step. */
async function toNetworkStep(ui: ReturnType<typeof renderUi>) {
  await ui.waitFor((f) => f.includes('? Incident title'));
  await ui.press('Total outage\r');
  await ui.waitFor((f) => f.includes('? When it started'));
  await ui.press('now\r');
  await ui.waitFor((f) => f.includes('? Affected URL'));
  await ui.press('https://shop.example.com/\r');
  await ui.waitFor((f) => f.includes('? All or some requests'));
  await ui.press('1\r');
  await ui.waitFor((f) => f.includes('? Recent change'));
  await ui.press('4\r');
  await ui.waitFor((f) => f.includes('▶ Emergency checklist'));
  await ui.press('\r');
  await ui.waitFor((f) => f.includes('▶ Continue without AWS access'), 'the manual-mode step');
  await ui.press('\r');
  await ui.waitFor((f) => f.includes('? Load balancer name'));
  await ui.press('web-alb\r');
  await ui.waitFor((f) => f.includes('▶ Target health and health check (by hand)'), 'the target-health fallback');
  // Printed whole above the live screen (the layout never wraps it); cut to the width below.
  expect(ui.all()).toMatch(/^aws elbv2 describe-target-health --target-group-arn \$\(aws elbv2 describe-target-groups --load-balancer-arn \$\(aws elbv2 describe-load-balancers --names web-alb .* --output table$/m);
  expect(ui.frame()).toMatch(/^1\) aws elbv2 describe-target-health --target-group-arn .*…$/m);
  // Two unknown checks and a step the responder could not run: lb-config is not ticked.
  await ui.press('4\r');
  await ui.waitFor((f) => f.includes('▶ Security groups and network ACLs (by hand)'), 'the network fallback');
  expect(ui.frame()).toMatch(/\?lb-config/);
  expect(ui.frame()).not.toMatch(/✓lb-config/);
}

describe('no credentials, every request fails', () => {
  it('reaches the security-group and NACL step with commands filled from the load balancer name; each parses in bash', async () => {
    const { ui, copied } = setup();
    await toNetworkStep(ui);
    const frame = ui.all();
    expect(frame).toContain('aws ec2 describe-security-groups --group-ids $(aws elbv2 describe-load-balancers --names web-alb');
    expect(frame).toContain('aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=$(aws elbv2 describe-load-balancers --names web-alb');
    for (let i = 0; i < 4; i++) await ui.press('c');
    expect(copied).toHaveLength(4);
    for (const c of copied) {
      expect(c).not.toMatch(/<[\w.]+>/);
      execFileSync('bash', ['-n', '-c', c]);
    }
  });

  it('a confirmed cause shows its own emergency move and fix at once; still failing goes back to the ranked hypotheses and offers escalation', async () => {
    const { ui, journal } = setup();
    await toNetworkStep(ui);
    await ui.press('1\r');
    // No key between the answer that confirms the cause and its mitigation.
    await ui.waitFor((f) => f.includes('■ Cause confirmed: '), 'the mitigation screen');
    const f = ui.frame();
    expect(f).toContain('▶ Stop the bleeding now');
    expect(f).toContain('▶ Verify');
    expect(f).not.toContain('deregister-targets');
    const all = ui.all();
    expect(all).toContain('── commands: mitigate sg-blocks-lb-to-target');
    expect(all).toMatch(/^aws ec2 authorize-security-group-ingress --group-id \$\(aws ec2 describe-instances .* --source-group \$\(aws elbv2 describe-load-balancers --names web-alb .*\)$/m);
    await ui.press('3\r');
    await ui.waitFor((f2) => f2.includes('Open hypotheses, most likely first'), 'the hypotheses');
    expect(ui.frame()).toMatch(/1\. ■ confirmed\s+Security group/);
    expect(ui.frame()).toContain('Next unexplored branch: Is the app listening on the target port');
    expect(ui.frame()).toContain('Unexplored');
    await ui.press('e');
    await ui.waitFor((f2) => f2.includes('Hand over (session summary'));
    expect(ui.frame()).toMatch(/Incident: Total outage; 502s since \d{4}-/);
    expect(ui.frame()).toContain('Not examined: ');
    await ui.press('\r');
    await ui.waitFor((f2) => f2.includes('▶ Is the app listening on the target port'));
    expect(journal.events.filter((e) => e.type === 'mitigation')).toEqual([expect.objectContaining({ cause: 'sg-blocks-lb-to-target', result: 'failing' })]);
  });

  it('"the 502s stopped, write the postmortem" ends the session at once with the move recorded', async () => {
    const { ui, journal, written } = setup();
    await toNetworkStep(ui);
    await ui.press('1\r');
    await ui.waitFor((f) => f.includes('■ Cause confirmed: '));
    await ui.press('1\r');
    await ui.waitFor((f) => f.includes('Postmortem written to /tmp/pm.md'));
    expect(ui.frame()).toContain('Investigation ended: mitigated (sg-blocks-lb-to-target)');
    expect(written).toEqual(['pm']);
    const s = journal.state();
    expect(s.facts['resolution.status']).toBe('resolved');
    expect(s.facts['resolution.action']).toMatch(/security group/);
  });

  it('b brings the previous answer back, ready to edit', async () => {
    const { ui } = setup();
    await ui.waitFor((f) => f.includes('? Incident title'));
    await ui.press('Total outage\r');
    await ui.waitFor((f) => f.includes('? When it started'));
    await ui.press('\x1b');
    await ui.waitFor((f) => f.includes('? Incident title'));
    expect(ui.frame()).toContain('› Total outage');
  });
});
