import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog, lintFlowText } from '../../src/flow-files.js';
import { formatMessage } from '../../src/engine/load-flow.js';
import { fixture } from '../helpers/flows.js';

const mini = readFileSync(fixture('flows/mini.yaml'), 'utf8');
const lint = (text: string) => lintFlowText(text, 'x.yaml', loadCatalog()).messages.map(formatMessage);

describe('flow linter', () => {
  it('passes the fixture flow', () => {
    expect(lint(mini)).toEqual([]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const out = lint(`${mini}\n  - id: [broken\n`);
    expect(out[0]).toMatch(/^x\.yaml:\d+:\d+ /);
  });

  it('points schema errors at the offending node', () => {
    const out = lint(mini.replace('    kind: finding\n', '    kind: finding\n    colour: red\n'));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^x\.yaml:\d+:\d+ Unrecognized key: "colour" at node "down"/);
    const line = Number(out[0].split(':')[1]);
    expect(mini.split('\n')[line - 1]).toContain('- id: down');
  });

  it('finds unknown nodes, checks, causes, facts and outcomes where they are written', () => {
    const text = mini
      .replace('next: route', 'next: nowhere')
      .replace('run: local.port-listening', 'run: local.port-listenin')
      .replace('cause: target-not-listening', 'cause: gremlins')
      .replace('port {{backend.port}} closed', 'port {{backend.prot}} closed');
    const out = lint(text);
    const at = (needle: string) => out.find((m) => m.includes(needle));
    expect(at('unknown check "local.port-listenin"')).toBeDefined();
    expect(at('unknown cause "gremlins"')).toBeDefined();
    expect(at('unknown fact "{{backend.prot}}"')).toBeDefined();
    const lineOf = (m: string) => text.split('\n')[Number(m.split(':')[1]) - 1];
    expect(lineOf(at('unknown cause')!)).toContain('cause: gremlins');
    expect(lineOf(at('unknown fact')!)).toContain('evidence: port {{backend.prot}}');
    expect(lint(mini.replace('next: route', 'next: nowhere')).some((m) => m.includes('unknown node "nowhere"'))).toBe(true);
    expect(lint(mini.replace('when: not-listening', 'when: closed')).some((m) => m.includes('has no outcome "closed"'))).toBe(true);
  });

  it('requires a headless default on every question', () => {
    const out = lint(mini.replace('    default: some\n', ''));
    expect(out.some((m) => m.includes('question "pattern" has no headless default'))).toBe(true);
  });

  it('finds unreachable nodes and nodes from which no end can be reached', () => {
    const orphan = `${mini}\n  - id: orphan\n    kind: end\n    phase: wrap-up\n    title: Orphan\n`;
    expect(lint(orphan).some((m) => m.includes('node "orphan" is unreachable'))).toBe(true);
    const trap = mini
      .replace('    default: done\n  - id: ka', '    default: loop-a\n  - id: loop-a\n    kind: branch\n    phase: lb-config\n    title: A\n    cases: [{ if: { fact: scope.pattern, eq: x }, next: loop-b }]\n    default: loop-b\n  - id: loop-b\n    kind: branch\n    phase: lb-config\n    title: B\n    cases: [{ if: { fact: scope.pattern, eq: y }, next: loop-a }]\n    default: loop-a\n  - id: ka');
    const out = lint(trap);
    expect(out.some((m) => m.includes('no end can be reached from node "loop-a"'))).toBe(true);
  });
});
