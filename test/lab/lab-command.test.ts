import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labCommand, type LabFlags } from '../../src/commands/lab.js';
import { reportError } from '../../src/commands/io.js';
import { seeded, tempLog } from './helpers.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => { out.push(s); }, err: (s: string) => { err.push(s); } } };
}

async function bad(args: string[], flags: LabFlags = {}): Promise<string> {
  const t = io();
  // As the command line does: a thrown BadgateError goes through the one handler.
  expect(await labCommand(args, flags, t.io, { interactive: false }).catch((e: unknown) => reportError(e, t.io, { command: 'lab' }))).toBe(2);
  expect(t.out).toEqual([]);
  expect(t.err).toHaveLength(1);
  return t.err[0];
}

describe('badgate lab', () => {
  it('an unknown or missing lab name: exit 2, one line, the command to run instead', async () => {
    expect(await bad(['keepalive-race'])).toBe('badgate lab: unknown lab "keepalive-race"; there is: keepalive\n  next: badgate lab keepalive');
    expect(await bad([])).toContain('next: badgate lab keepalive');
    expect(await bad(['keepalive', 'now'])).toContain('unexpected argument "now"');
  });

  it('bad numbers: exit 2 with the flag to use', async () => {
    expect(await bad(['keepalive'], { scale: Number.NaN })).toContain('next: --scale 0.2');
    expect(await bad(['keepalive'], { scale: 2 })).toContain('--scale must be a number from 0.01 to 1, got 2');
    expect(await bad(['keepalive'], { idleTimeout: 0 })).toContain('--idle-timeout must be seconds from 1 to 4000');
    expect(await bad(['keepalive'], { keepaliveTimeout: -5 })).toContain('--keepalive-timeout');
    expect(await bad(['keepalive'], { maxRequests: 2.5 })).toContain('--max-requests must be a whole number');
    expect(await bad(['keepalive'], { duration: 'forever' })).toContain('next: --duration 5m');
    expect(await bad(['keepalive'], { duration: '2h' })).toContain('from 1s to 1h');
    expect(await bad(['keepalive'], { scale: 0.01, keepaliveTimeout: 1 })).toContain('too short to time reliably');
  });

  it('without a terminal: runs to its limit, prints progress on stderr and the summary on stdout', async () => {
    const t = io();
    const out = tempLog();
    const code = await labCommand(['keepalive'], { scale: 0.02, maxRequests: 60, out }, t.io, { interactive: false, random: seeded(5) });
    expect(code).toBe(0);
    expect(t.err[0]).toContain('everything runs on 127.0.0.1');
    expect(t.err[0]).toContain(`badgate logs ${out}`);
    expect(t.out[0]).toMatch(/^badgate lab keepalive: stopped at the request limit after \d+m\d\ds: 60 requests, \d+ answered 2xx, [1-9]\d* × 502/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(60);
  });
});
