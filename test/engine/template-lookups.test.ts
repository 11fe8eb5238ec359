import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { timeForms } from '../../src/engine/inputs.js';
import { examinedPhases } from '../../src/engine/progress.js';
import { hasPlaceholder, interpolateShell } from '../../src/engine/template.js';
import { loadFlow } from '../../src/flow-files.js';

const flow = loadFlow('alb');
const lookups = flow.lookups ?? {};
const bashParses = (command: string) => execFileSync('bash', ['-n', '-c', command], { stdio: 'pipe' });

describe('commands filled from known facts, or looked up in place', () => {
  const sgCommand = 'aws ec2 describe-security-groups --group-ids {{lb.securityGroups|words}}';
  const naclCommand = 'aws ec2 describe-network-acls --filters Name=association.subnet-id,Values={{lb.subnets}}';

  it('known ids are filled: a list as separate words where the CLI wants words, comma-joined where a filter wants commas', () => {
    const facts = { 'lb.securityGroups': 'sg-0a1b2c3d,sg-0e5f6a7b', 'lb.subnets': 'subnet-1,subnet-2' };
    expect(interpolateShell(sgCommand, facts, lookups)).toBe('aws ec2 describe-security-groups --group-ids sg-0a1b2c3d sg-0e5f6a7b');
    expect(interpolateShell(naclCommand, facts, lookups)).toBe('aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=subnet-1,subnet-2');
  });

  it('unknown ids are read in place from the load balancer name, and the command parses in bash', () => {
    const sg = interpolateShell(sgCommand, { 'lb.name': 'web-alb' }, lookups);
    expect(sg).toBe(`aws ec2 describe-security-groups --group-ids $(aws elbv2 describe-load-balancers --names web-alb --query "join(',', LoadBalancers[0].SecurityGroups)" --output text | tr ',' ' ')`);
    const health = interpolateShell('aws elbv2 describe-target-health --target-group-arn {{tg.arn}}', { 'lb.name': 'web-alb' }, lookups);
    expect(health).toContain('--target-group-arn $(aws elbv2 describe-target-groups --load-balancer-arn $(aws elbv2 describe-load-balancers --names web-alb');
    for (const c of [sg, health, interpolateShell(naclCommand, { 'lb.name': 'web-alb' }, lookups)]) {
      expect(hasPlaceholder(c)).toBe(false);
      bashParses(c);
    }
  });

  it('a value from outside stays one quoted word; inside single quotes no lookup runs', () => {
    expect(interpolateShell('aws elbv2 describe-load-balancers --names {{lb.name}}', { 'lb.name': 'x$(touch /tmp/p)' }, lookups)).toBe(`aws elbv2 describe-load-balancers --names 'x$(touch /tmp/p)'`);
    expect(interpolateShell("echo '{{lb.arn}}'", {}, lookups)).toBe("echo '<lb.arn>'");
  });

  it('every shipped manual command with only the load balancer name known parses in bash', () => {
    for (const n of flow.nodes) {
      if (n.kind !== 'step' || !n.fallback) continue;
      for (const c of n.commands ?? []) bashParses(interpolateShell(c, { 'lb.name': 'web-alb', 'tg.port': '8080' }, lookups));
    }
  });
});

describe('times in the forms commands take', () => {
  it('journalctl gets "YYYY-MM-DD HH:MM:SS UTC", nginx a minute that matches its [01/Dec/2026:23:05:00 +0000]', () => {
    const f = timeForms('2026-12-01T23:05:42.123Z')!;
    expect(f.journal).toBe('2026-12-01 23:05:42 UTC');
    expect(f.nginx).toBe('01/Dec/2026:23:05');
    // An access-log line in nginx's default "combined" format (nginx docs, ngx_http_log_module).
    const line = '10.0.1.5 - - [01/Dec/2026:23:05:00 +0000] "GET /cart HTTP/1.1" 200 512 "-" "ELB-HealthChecker/2.0"';
    expect(line.includes(f.nginx)).toBe(true);
  });

  it('systemd accepts the journalctl form (when journalctl is installed)', () => {
    let has = true;
    try { execFileSync('journalctl', ['--version'], { stdio: 'ignore' }); } catch { has = false; }
    if (!has) return;
    const since = timeForms('2026-01-01T00:00:00.000Z')!.journal;
    // Exit 0 or 1 ("No journal files") both mean the time was parsed; a bad time prints "Failed to parse timestamp".
    let err = '';
    try { execFileSync('journalctl', ['--since', since, '-n', '0', '--no-pager'], { stdio: 'pipe' }); } catch (e) { err = String((e as { stderr?: Buffer }).stderr ?? ''); }
    expect(err).not.toMatch(/Failed to parse/);
  });
});

describe('phases examined', () => {
  const check = (node: string, status: 'pass' | 'unknown') => ({ node, check: 'x', params: {}, result: { status, outcome: status, summary: '' }, at: '' });
  const answer = (node: string, value: string, label = value) => ({ node, value, label, at: '' });

  it('an unknown check or a skipped step does not tick its phase; an answered one does', () => {
    const none = examinedPhases(flow, { checks: [check('all-tg-config', 'unknown'), check('all-network', 'unknown')], answers: [answer('tg-manual', 'cannot'), answer('res-top', 'no-access')] });
    expect([...none]).toEqual([]);
    const some = examinedPhases(flow, { checks: [check('all-network', 'pass')], answers: [answer('tg-manual', 'healthy'), answer('logs-source', '', '(skipped)')] });
    expect([...some].sort()).toEqual(['lb-config', 'network']);
  });
});
