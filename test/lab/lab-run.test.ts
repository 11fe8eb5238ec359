import net from 'node:net';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startLab } from '../../src/lab/lab-run.js';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { seeded, tempLog, until } from './helpers.js';

// ×0.05: the ALB's 60 s idle timeout becomes 3 s and Node's 5 s keep-alive 0.25 s.
const SCALE = 0.05;
// ×0.02 (Node's keep-alive 0.1 s) where only the 502s before a fix matter.
const FAST = 0.02;

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  });
}

describe('keep-alive lab', () => {
  it('makes 502s while the backend keep-alive is shorter than the idle timeout, and none after the fix', async () => {
    const logPath = tempLog();
    const lab = await startLab({
      scale: SCALE, idleTimeoutSeconds: 60, keepAliveSeconds: 5, maxRequests: 2000, maxDurationMs: 120_000, logPath, random: seeded(7),
    });
    try {
      await until(() => lab.snapshot().bad502 >= 3, 'three 502s with the short backend keep-alive');
      lab.setBackendKeepAlive(65 * 1000 * SCALE);
      const before = lab.snapshot();
      await until(() => lab.snapshot().requests >= before.requests + 40, 'forty more requests');
      const after = lab.snapshot();

      expect(before.phases[0].bad502).toBeGreaterThanOrEqual(3);
      expect(after.bad502 - before.bad502).toBe(0);
      expect(after.phases[1]).toMatchObject({ fromRequest: before.requests + 1, requests: after.requests - before.requests, bad502: 0 });
      // The window had idle gaps that made 502s before the fix, so its silence means something.
      expect(after.phases[1].afterIdleGap).toBeGreaterThanOrEqual(3);
      expect(after.phases[1].keepAliveMs).toBe(3250);
      expect(after.backendKeepAliveMs).toBe(3250);
      expect(after.proxy.responses502).toBe(after.bad502);
    } finally {
      await lab.stop();
    }
  });

  it('stops cleanly: both ports closed, nothing left running', async () => {
    const lab = await startLab({
      scale: SCALE, idleTimeoutSeconds: 60, keepAliveSeconds: 5, maxRequests: 2000, maxDurationMs: 120_000, logPath: tempLog(), random: seeded(1),
    });
    await until(() => lab.snapshot().requests >= 3, 'some traffic');
    const ports = [lab.info.proxyUrl, lab.info.backendUrl].map((u) => Number(new URL(u).port));
    const s1 = await lab.stop();
    const s2 = await lab.stop();
    expect(s2).toBe(s1);
    expect(s1.ended).toBe('stopped');
    expect(await Promise.all(ports.map(refused))).toEqual([true, true]);
    // Closed handles leave the list on the next turn of the event loop.
    const tcp = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap');
    await until(() => tcp().length === 0, 'closed handles to be released', 2000).catch(() => undefined);
    expect(tcp()).toEqual([]);
  });

  it('ends by itself at the request limit', async () => {
    const lab = await startLab({
      scale: SCALE, idleTimeoutSeconds: 60, keepAliveSeconds: 5, maxRequests: 12, maxDurationMs: 120_000, logPath: tempLog(), random: seeded(3),
    });
    expect(await lab.finished).toBe('max-requests');
    const s = await lab.stop();
    expect(s.requests).toBe(12);
    expect(s.ok + s.bad502 + s.other).toBe(12);
  });

  it('writes an access log that badgate logs classifies as the keep-alive race', async () => {
    const logPath = tempLog();
    const lab = await startLab({
      scale: FAST, idleTimeoutSeconds: 60, keepAliveSeconds: 5, maxRequests: 2000, maxDurationMs: 120_000, logPath, random: seeded(11),
    });
    let snap;
    try {
      await until(() => lab.snapshot().bad502 >= 4, 'four 502s');
    } finally {
      snap = await lab.stop();
    }
    const a = analyzeText({ 'alb-access.log': readFileSync(logPath) });
    expect(a.format).toBe('alb');
    expect(a.lines.malformed).toBe(0);
    expect(a.requests).toBe(snap.requests);
    expect(a.count502).toBe(snap.bad502);
    expect(a.lb502).toBe(snap.bad502);
    expect(a.verdict.cause).toBe('keepalive-race');
    expect(a.causes.map((c) => c.cause)).toEqual(['keepalive-race']);
  });
});
