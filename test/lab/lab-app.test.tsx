import React from 'react';
import { describe, expect, it } from 'vitest';
import type { LabControls, LabInfo, LabSnapshot } from '../../src/lab/lab-run.js';
import { LabApp } from '../../src/ui/lab-app.js';
import { KEYS, renderUi } from '../helpers/render.js';

const info: LabInfo = {
  proxyUrl: 'http://127.0.0.1:40001', backendUrl: 'http://127.0.0.1:40002', logPath: '/tmp/lab/alb-access.log',
  scale: 0.2, idleTimeoutMs: 12_000, idleTimeoutSeconds: 60, maxRequests: 5000, maxDurationMs: 300_000,
};

/** A lab that is not running: counters set by the test, calls recorded. */
function fakeLab(): LabControls & { calls: number[]; snap: LabSnapshot } {
  const snap: LabSnapshot = {
    elapsedMs: 42_000, requests: 215, ok: 180, bad502: 35, other: 0, per502: [0, 1, 0, 2, 0, 1],
    phases: [{ keepAliveMs: 1000, fromRequest: 1, since: '2026-01-01T00:00:00.000Z', requests: 215, ok: 180, bad502: 35, afterIdleGap: 50 }],
    backendKeepAliveMs: 1000, backendRequests: 180,
    proxy: { requests: 215, responses502: 35, responses504: 0, connectionsOpened: 36, connectionsReused: 179, closedByIdleTimeout: 0, backendClosedWhileIdle: 40, sentOnClosedConnection: 35 },
  };
  const calls: number[] = [];
  return {
    info,
    snap,
    calls,
    snapshot: () => ({ ...snap, phases: snap.phases.map((p) => ({ ...p })) }),
    setBackendKeepAlive(ms) {
      calls.push(ms);
      snap.backendKeepAliveMs = ms;
      snap.phases.push({ keepAliveMs: ms, fromRequest: snap.requests + 1, since: '2026-01-01T00:00:42.000Z', requests: 0, ok: 0, bad502: 0, afterIdleGap: 0 });
    },
  };
}

describe('lab view', () => {
  it('shows both URLs, the timeouts, the counters and the commands to diagnose with', async () => {
    const ui = renderUi(<LabApp lab={fakeLab()} pollMs={20} />);
    const f = await ui.waitFor((s) => s.includes('502 35'));
    expect(f).toContain('http://127.0.0.1:40001');
    expect(f).toContain('idle timeout 60 s (12 s in the lab)');
    expect(f).toContain('keepAliveTimeout 5 s (1 s in the lab)');
    expect(f).toContain('✘ the backend closes idle connections before the proxy does');
    expect(f).toContain('badgate probe http://127.0.0.1:40002/ --keepalive --idle-timeout 12');
    expect(f).toContain('badgate logs /tmp/lab/alb-access.log');
    expect(f).toContain('server.keepAliveTimeout = 65000');
    expect(f).toMatch(/502\/s [▁▂▃▄▅▆▇█]{60}/);
    ui.unmount();
  });

  it('t, a value in lab seconds and enter set the backend keep-alive', async () => {
    const lab = fakeLab();
    const ui = renderUi(<LabApp lab={lab} pollMs={20} />);
    await ui.waitFor((s) => s.includes('t set the backend keepAliveTimeout'));
    await ui.press('t');
    await ui.waitFor((s) => s.includes('New backend keepAliveTimeout'));
    await ui.type('13');
    await ui.press(KEYS.enter);
    const f = await ui.waitFor((s) => s.includes('backend keepAliveTimeout now'));
    expect(lab.calls).toEqual([13_000]);
    // The notice wraps at the terminal width.
    expect(f.replace(/\s+/g, ' ')).toContain('now 13 s in the lab (65 s in production), above the proxy\'s 12 s idle timeout: the proxy now closes idle connections first; watch the 502s stop');
    expect(f).toContain('keepAliveTimeout 65 s (13 s in the lab)');
    expect(f).toContain('✔ the backend keeps idle connections longer than the proxy');
    expect(f).toContain('keepAliveTimeout 65 s (13 s in the lab) from request 216: 0 × 502 in 0 requests');
    // Past the change, a long quiet log would read as a burst: the logs command stops at it.
    expect(f).toContain('badgate logs /tmp/lab/alb-access.log --until 2026-01-01T00:00:42.000Z');
    ui.unmount();
  });

  it('refuses a value that is not seconds and keeps the prompt open; esc leaves it', async () => {
    const lab = fakeLab();
    const ui = renderUi(<LabApp lab={lab} pollMs={20} />);
    await ui.waitFor((s) => s.includes('t set the backend'));
    await ui.press('t');
    await ui.press('soon\r');
    await ui.waitFor((s) => s.includes('"soon" is not a number of seconds'));
    expect(lab.calls).toEqual([]);
    await ui.press(KEYS.escape);
    await ui.waitFor((s) => !s.includes('New backend keepAliveTimeout'));
    await ui.press('q');
    expect(lab.calls).toEqual([]);
    ui.unmount();
  });

  it('q asks the caller to stop once', async () => {
    let quits = 0;
    const ui = renderUi(<LabApp lab={fakeLab()} pollMs={20} onQuit={() => { quits++; }} />);
    await ui.waitFor((s) => s.includes('q stop'));
    await ui.press('q');
    await ui.press('q');
    expect(quits).toBe(1);
    ui.unmount();
  });
});
