/**
 * `badgate report <id> --print-commands`: the session's commands one a line, pasted into a
 * shell as they are. The journals are the report fixtures (recorded by scripts/make-report-journals.ts).
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/engine/events.js';
import { loadFlow } from '../../src/flow-files.js';
import { sessionCommands } from '../../src/commands/report.js';
import { fixture } from '../helpers/flows.js';

const journal = (name: string) => readFileSync(fixture(`journals/${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JournalEvent);
const flow = loadFlow('alb');

describe('report --print-commands', () => {
  it.each(['keepalive-race', 'sg-blocked'])('%s: the confirmed cause\'s move, fix and verification, filled, valid shell', (name) => {
    const lines = sessionCommands(journal(name), flow);
    expect(lines.some((l) => /^# .*: emergency move$/.test(l))).toBe(true);
    expect(lines).toContain('# verify: the 502s have stopped');
    const commands = lines.filter((l) => !l.startsWith('#'));
    expect(commands.length).toBeGreaterThan(1);
    expect(new Set(commands).size).toBe(commands.length);
    // A value the session never learnt (here the URL) leaves its command commented out, saying what to fill in.
    for (const c of commands) expect(c).not.toMatch(/\{\{|<[a-z][\w.-]*>/);
    expect(lines).toContainEqual(expect.stringMatching(/^# fill in <incident\.url> first: for i in/));
    const check = spawnSync('bash', ['-n'], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('the keep-alive race\'s emergency move changes the idle timeout, not one target', () => {
    const lines = sessionCommands(journal('keepalive-race'), flow);
    const move = lines.slice(lines.findIndex((l) => l.endsWith(': emergency move')) + 1);
    expect(move[0]).toMatch(/modify-load-balancer-attributes .*idle_timeout/);
    expect(lines.join('\n')).not.toMatch(/deregister-targets/);
  });

  it('a session with nothing confirmed prints nothing', () => {
    const start = journal('keepalive-race')[0];
    expect(sessionCommands([start], flow)).toEqual([]);
  });
});
