import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logsAccessLog, windowStart } from '../../src/checks/logs-access-log.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { albLine } from '../logs/fixtures.js';

const now = new Date('2026-12-01T12:00:00.000Z');
const iso = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString().replace('Z', '000Z');

describe('the access-log window', () => {
  // A 502 the ALB made with no response from the target, 70 minutes before "now" (AWS docs: -1 timings, target status "-").
  const dir = mkdtempSync(join(tmpdir(), 'badgate-window-'));
  const file = join(dir, 'alb.log');
  writeFileSync(file, [
    albLine({ time: iso(71 * 60_000), created: iso(71 * 60_000), timings: '0.000 0.003 0.000', elb: '200', tstat: '200' }),
    albLine({ time: iso(70 * 60_000), created: iso(70 * 60_000), timings: '0.000 0.000 -1', elb: '502', tstat: '-' }),
  ].join('\n'));

  it('a headless start of "now" still reads the run\'s incident window (--since, default 3h), and the summary names it', async () => {
    const r = await runCheckResult(logsAccessLog, testContext({ params: { source: file, since: now.toISOString(), window: '3h' }, now: () => now }));
    expect(r.facts?.['logs.count502']).toBe(1);
    expect(r.summary).toContain('2026-12-01 09:00 UTC → now');
  });

  it('the window opens 15 minutes before the incident start, so the first 502s are in it', async () => {
    const r = await runCheckResult(logsAccessLog, testContext({ params: { source: file, since: iso(60 * 60_000) }, now: () => now }));
    expect(r.facts?.['logs.count502']).toBe(1);
    const late = await runCheckResult(logsAccessLog, testContext({ params: { source: file, since: iso(50 * 60_000) }, now: () => now }));
    expect(late.facts?.['logs.count502'] ?? 0).toBe(0);
  });

  it('windowStart takes the earlier of start minus the margin and the window back from now', () => {
    expect(windowStart(now.getTime(), '3h', now)).toBe(now.getTime() - 3 * 3_600_000);
    expect(windowStart(now.getTime() - 5 * 3_600_000, '3h', now)).toBe(now.getTime() - 5 * 3_600_000 - 15 * 60_000);
    expect(windowStart(undefined, '', now)).toBeUndefined();
  });
});
