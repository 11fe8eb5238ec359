import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resumeCommand } from '../../src/commands/run.js';
import { reportError } from '../../src/commands/io.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli.js');
const KEEPALIVE = join(ROOT, 'flows/recordings/alb-keepalive-race.json');
let state: string;
let sessions: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: 'utf8', input: '',
    env: { ...process.env, BADGATE_STATE_DIR: state, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: '', AWS_PROFILE: '', NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), 'badgate-cli-journal-'));
  sessions = join(state, 'sessions');
  mkdirSync(sessions, { recursive: true });
  writeFileSync(join(sessions, '20261121-100000-empt.jsonl'), '');
  writeFileSync(join(sessions, '20261121-100000-bina.jsonl'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00]));
  writeFileSync(join(sessions, '20261121-100000-nost.jsonl'), '{"seq":4,"at":"2026-11-21T10:00:00.000Z","type":"note","text":"x"}\n');
});

describe('damaged journals on the command line (built binary)', () => {
  it('sessions lists them as damaged with the reason, in text and JSON', () => {
    const r = run(['sessions']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^20261121-100000-empt\s+damaged\s+.*the file is empty \(0 bytes\)$/m);
    expect(r.out).toMatch(/^20261121-100000-bina\s+damaged\s+.*binary data, not JSON lines \(6 bytes\)$/m);
    expect(r.out).toMatch(/^20261121-100000-nost\s+damaged\s+.*its beginning is missing: the first event is "note" \(seq 4\), not "start"$/m);
    expect(r.out).toContain('3 damaged journals cannot be resumed or reported');
    const json = JSON.parse(run(['sessions', '--json']).out) as { id: string; damaged?: boolean; reason?: string; kind?: string }[];
    const empty = json.find((s) => s.id === '20261121-100000-empt');
    expect(empty).toMatchObject({ damaged: true, kind: 'empty', reason: 'the file is empty (0 bytes)' });
    expect(json.filter((s) => s.damaged)).toHaveLength(3);
  });

  it('report of a damaged journal says what is wrong with it and what to do', () => {
    const r = run(['report', '20261121-100000-bina']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^badgate report: session 20261121-100000-bina is damaged: the file holds binary data, not JSON lines \(6 bytes\)\n {2}next: its file is .*20261121-100000-bina\.jsonl/);
    noStack(r.err);
  });

  it('report states how many lines it skipped', () => {
    const c = run(['check', 'alb', '--replay', KEEPALIVE]);
    const id = /Session (\S+):/.exec(c.out)![1];
    const path = join(sessions, `${id}.jsonl`);
    appendFileSync(path, 'garbage from a bad disk\n{"seq":99,"at":"2026-11-21T10:00:00.000Z","type":"answ');
    const r = run(['report', id]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('## Timeline (UTC)');
    expect(r.err).toMatch(new RegExp(`skipped 2 unreadable lines of session ${id} \\(line \\d+: not valid JSON; line \\d+: cut off mid-write \\(likely a crash\\)\\); the report covers the other \\d+ events`));
  });
});

describe('resume of a damaged journal', () => {
  const tty = process.stdin.isTTY;
  afterEach(() => { process.stdin.isTTY = tty; delete process.env.BADGATE_STATE_DIR; });

  it('says what is wrong with it instead of "no session"', async () => {
    process.env.BADGATE_STATE_DIR = state;
    process.stdin.isTTY = true;
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => { err.push(s); } };
    // As the command line does: a thrown BadgateError goes through the one handler.
    const code = await resumeCommand('20261121-100000-empt', {}, io).catch((e: unknown) => reportError(e, io, { command: 'resume' }));
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/^badgate resume: session 20261121-100000-empt is damaged: the file is empty \(0 bytes\)\n {2}next: /);
  });
});
