import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeName, writeReportFile } from '../../src/commands/report.js';
import { sessionsCommand } from '../../src/commands/sessions.js';
import { resumable } from '../../src/sessions/journal.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 10, 0, s)).toISOString();
const start = (id: string, mode: string) => ({ seq: 1, at: at(0), type: 'start', sessionId: id, flow: 'alb', flowTitle: 'ALB', version: 1, start: 'intake-title', context: { mode, ...(mode === 'drill' ? { source: 'drill:shop-sporadic-502' } : {}) } });
const titled = (title: string) => ({ seq: 2, at: at(1), type: 'answer', node: 'intake-title', value: title, label: title, set: { 'incident.title': title }, next: 'intake-started' });

function journal(dir: string, id: string, events: object[]): void {
  writeFileSync(join(dir, `${id}.jsonl`), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

describe('which sessions are offered', () => {
  const state = mkdtempSync(join(tmpdir(), 'badgate-kinds-'));
  const dir = join(state, 'sessions');
  mkdirSync(dir, { recursive: true });
  journal(dir, '20261121-100000-real', [start('20261121-100000-real', 'live'), titled('checkout 502s')]);
  journal(dir, '20261121-100001-abnd', [start('20261121-100001-abnd', 'manual')]);
  journal(dir, '20261121-100002-dril', [start('20261121-100002-dril', 'drill'), titled('drill run')]);
  journal(dir, '20261121-100003-done', [start('20261121-100003-done', 'drill'), titled('scored drill'), { seq: 3, at: at(2), type: 'verdict', cause: 'keepalive-race' }]);

  it('resume offers unfinished incidents with something answered; drills apart; a scored drill is finished', () => {
    expect(resumable(dir, 'incidents').map((s) => s.id)).toEqual(['20261121-100000-real']);
    expect(resumable(dir, 'drills').map((s) => s.id)).toEqual(['20261121-100002-dril']);
    const out: string[] = [];
    process.env.BADGATE_STATE_DIR = state;
    try {
      sessionsCommand({ out: (s) => { out.push(s); }, err: () => {} });
    } finally {
      delete process.env.BADGATE_STATE_DIR;
    }
    const text = out.join('\n');
    expect(text).toMatch(/20261121-100001-abnd\s+abandoned/);
    expect(text.indexOf('Drills (training, not incidents)')).toBeLessThan(text.indexOf('20261121-100002-dril'));
    expect(text.indexOf('20261121-100000-real')).toBeLessThan(text.indexOf('Drills (training'));
    expect(text).toMatch(/20261121-100003-done\s+finished/);
  });

  it('a postmortem the responder may have edited is never overwritten', () => {
    const file = join(state, 'postmortem-x.md');
    writeFileSync(file, '# edited by hand\n');
    const w = writeReportFile(file, '# new\n', { keep: true });
    expect(w.path).toBe(join(state, 'postmortem-x.2.md'));
    expect(freeName(file)).toBe(join(state, 'postmortem-x.3.md'));
  });
});
