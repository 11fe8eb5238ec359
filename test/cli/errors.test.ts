import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const state = mkdtempSync(join(tmpdir(), 'badgate-err-'));
const run = (args: string[]) => runCli(args, { BADGATE_STATE_DIR: state });

describe('one error handler', () => {
  it('a usage error is one line and a next step on stderr, exit 2, never a stack', () => {
    const r = run(['check']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('badgate check: which flow?\n  next: badgate check alb --lb my-alb\n');
    expect(r.out).toBe('');
  });

  it('with --json the error is also on stdout as {error:{message,nextStep}}', () => {
    const r = run(['check', 'alb', '--json', '--answer', 'nope=1']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out) as { error: { message: string; nextStep?: string } };
    expect(j.error.message).toContain('the flow has no question "nope"');
    expect(j.error.nextStep).toContain('question ids');
    const replay = JSON.parse(run(['check', 'alb', '--json', '--replay', join(state, 'missing.json')]).out) as { error: { message: string; nextStep: string } };
    expect(replay.error).toEqual({ message: expect.stringContaining('cannot read the replay file'), nextStep: expect.stringContaining('check the path') });
  });

  it('an unknown command names the help', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "frobnicate"');
    expect(r.err).toContain('badgate --help');
  });
});

describe('targeting flags are checked before anything runs', () => {
  it.each([
    [['--since', 'banana'], /--since "banana" is neither a duration nor a time/, /--since 2h/],
    [['--url', 'notaurl'], /--url "notaurl" is not an http or https URL/, /--url https:/],
    [['--region', 'mars-1'], /--region "mars-1" is not an AWS region name/, /us-east-1/],
    [['--lb'], /--lb needs a value/, /--lb VALUE/],
    [['--lbb', 'x'], /unknown flag --lbb \(did you mean --lb\?\)/, /badgate --help/],
  ])('check alb %j: exit 2, the problem and the fix', (flags, problem, next) => {
    const r = run(['check', 'alb', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(problem);
    expect(r.err).toMatch(next);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
