// Escape sequences from data never reach the terminal raw, on any output path of the binary.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { albLine } from '../logs/fixtures.js';

const state = mkdtempSync(join(tmpdir(), 'badgate-esc-'));
const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';
// eslint-disable-next-line no-control-regex -- the test looks for raw control characters
const raw = /[\u001b\u0007\u009b\u009d]/;

const run = (args: string[]) => runCli(args, { BADGATE_STATE_DIR: state });

describe('terminal injection', () => {
  it('badgate logs: an OSC in a user agent is not printed raw', () => {
    const file = join(state, 'alb.log');
    writeFileSync(file, `${albLine({ time: '2024-03-05T10:00:06.000000Z', created: '2024-03-05T10:00:06.000000Z', timings: '0.000 0.000 -1', elb: '502', tstat: '-', path: `/x${TITLE}` })}\n`);
    const r = run(['logs', file]);
    expect(r.out + r.err).not.toMatch(raw);
  });

  it('check: an answer with escape sequences is stored and printed without them; sessions lists it clean', () => {
    const r = run(['check', 'alb', '--answer', `intake-title=checkout ${TITLE}down${CLEAR}`]);
    expect(r.out + r.err).not.toMatch(raw);
    const dir = join(state, 'sessions');
    // eslint-disable-next-line no-control-regex -- neither the raw ESC nor its JSON escape may be on disk
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/\\u001b|\u001b/);
    const list = run(['sessions']);
    expect(list.out).toContain('checkout down');
    expect(list.out + list.err).not.toMatch(raw);
  });

  it('a crafted journal is read without its escape sequences (report, sessions)', () => {
    const id = '20260101-000000-evil';
    const start = { seq: 1, at: '2026-01-01T00:00:00.000Z', type: 'start', sessionId: id, flow: 'alb', flowTitle: 'ALB', version: 1, start: 'intake-title', context: { mode: 'manual' } };
    const answer = { seq: 2, at: '2026-01-01T00:00:01.000Z', type: 'answer', node: 'intake-title', value: `x${TITLE}`, label: `x${TITLE}`, set: { 'incident.title': `evil ${TITLE}title` }, next: 'intake-started' };
    writeFileSync(join(state, 'sessions', `${id}.jsonl`), `${JSON.stringify(start)}\n${JSON.stringify(answer)}\n`);
    expect(run(['sessions']).out).toContain('evil title');
    const report = run(['report', id]);
    expect(report.out).toContain('evil title');
    expect(report.out + report.err).not.toMatch(raw);
  });
});
