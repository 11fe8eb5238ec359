import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitizeDeep, sanitizeText } from '../../src/engine/sanitize.js';
import { interpolateShell } from '../../src/engine/template.js';

// Sequences terminals act on (ECMA-48 / xterm ctlseqs): each must come out inert.
const CORPUS: [string, string][] = [
  ['OSC 0 window title, BEL-terminated', 'a\u001b]0;pwned\u0007b'],
  ['OSC 52 clipboard write, ST-terminated', 'a\u001b]52;c;ZWNobyBoaQ==\u001b\\b'],
  ['OSC 8 hyperlink', 'a\u001b]8;;http://evil.example/\u001b\\b'],
  ['CSI clear screen', 'a\u001b[2Jb'],
  ['CSI cursor home and SGR', 'a\u001b[H\u001b[31mb'],
  ['8-bit CSI', 'a\u009b2Jb'],
  ['8-bit OSC', 'a\u009d0;pwned\u009cb'],
  ['DCS', 'a\u001bPq#0;2;0;0;0\u001b\\b'],
  ['bare ESC at the end', 'ab\u001b'],
  ['BEL, backspace, NUL, DEL', 'a\u0007\u0008\u0000\u007fb'],
  ['carriage return that overwrites the line', 'a\rb'],
];

describe('the one sanitizer', () => {
  it.each(CORPUS)('%s comes out with no control character', (_name, text) => {
    const out = sanitizeText(text);
    expect(out).toBe('ab');
  });

  it('keeps newlines and tabs, turns CRLF into LF, and reaches every string of a value', () => {
    expect(sanitizeText('a\tb\r\nc\n')).toBe('a\tb\nc\n');
    expect(sanitizeDeep({ t: ['x\u001b]0;y\u0007'], n: 3, k: { 'k\u001b[2J': true } })).toEqual({ t: ['x'], n: 3, k: { k: true } });
  });
});

describe('commands are quoted for the shell they are pasted into', () => {
  const dir = mkdtempSync(join(tmpdir(), 'badgate-quote-'));
  const evil = `/health$(touch ${dir}/pwned)\`touch ${dir}/pwned2\`'"; touch ${dir}/pwned3`;
  const printed = (cmd: string) => execFileSync('bash', ['-c', cmd], { encoding: 'utf8' });

  it.each([
    ['bare', 'printf %s {{tg.healthCheckPath}}'],
    ['inside single quotes', "printf %s '{{tg.healthCheckPath}}'"],
    ['inside double quotes', 'printf %s "{{tg.healthCheckPath}}"'],
  ])('%s: the value is printed as it is, and nothing in it runs', (_where, template) => {
    const cmd = interpolateShell(template, { 'tg.healthCheckPath': evil });
    expect(printed(cmd)).toBe(evil);
    expect(['pwned', 'pwned2', 'pwned3'].filter((f) => existsSync(join(dir, f)))).toEqual([]);
  });

  it('safe values stay as they are and unknown facts stay visible', () => {
    expect(interpolateShell('curl -s http://{{ip}}:{{port}}/', { ip: '10.0.1.5', port: 8080 })).toBe('curl -s http://10.0.1.5:8080/');
    expect(interpolateShell('ss -ltnp | grep :{{tg.port}}', {})).toBe('ss -ltnp | grep :<tg.port>');
  });
});
