// `--help` on any command prints the help and does nothing else: no session, no request, exit 0.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfCommand } from '../../src/commands/io.js';
import { runCli } from '../helpers/cli.js';

describe('help', () => {
  it.each([
    [['--help']], [['-h']], [['help']], [['run', 'alb', '--help']], [['check', 'alb', '--help']], [['probe', 'http://127.0.0.1:9/', '--help']],
    [['lab', 'keepalive', '--help']], [['logs', '/nonexistent', '--help']], [['drill', '--help']], [['resume', '--help']], [['report', 'x', '--help']],
    [['sessions', '--help']], [['flows', 'lint', '--help']], [['iam-policy', '--help']],
  ])('badgate %j prints the help, exits 0 and leaves nothing behind', (args) => {
    const state = mkdtempSync(join(tmpdir(), 'badgate-help-'));
    const r = runCli(args, { BADGATE_STATE_DIR: state });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage');
    expect(r.err).toBe('');
    expect(existsSync(join(state, 'sessions')) ? readdirSync(join(state, 'sessions')) : []).toEqual([]);
  });

  it('hints name the command the user can run: npm start -- inside the repo, badgate when installed', () => {
    expect(selfCommand({ npm_lifecycle_event: 'start' }, '/repo/dist/cli.js')).toBe('npm start --');
    expect(selfCommand({}, '/usr/local/bin/badgate')).toBe('badgate');
    expect(selfCommand({}, `${process.cwd()}/dist/cli.js`)).toBe('node dist/cli.js');
  });
});
