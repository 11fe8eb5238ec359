import { describe, expect, it } from 'vitest';
import { advance } from '../../src/engine/advance.js';
import { parseHost } from '../../src/engine/inputs.js';
import { parseFlow } from '../../src/engine/load-flow.js';
import { MemoryJournal } from '../helpers/flows.js';

const flow = parseFlow(`
id: hosts
title: Backend address
gateway: alb
phases: [network]
start: host
nodes:
  - { id: host, kind: question, phase: network, title: Backend, input: { type: host, fact: backend.host }, next: which }
  - id: which
    kind: branch
    phase: network
    title: Port known
    cases:
      - { if: { fact: backend.port, exists: true }, next: done }
    default: port
  - { id: port, kind: question, phase: network, title: Backend port, input: { type: port, fact: backend.port }, next: done }
  - { id: done, kind: end, phase: network, title: Done }
`, 'hosts.yaml').flow!;

describe('a backend address typed with its port', () => {
  it.each([
    ['10.0.1.23', { value: '10.0.1.23' }],
    ['127.0.0.1:8098', { value: '127.0.0.1', port: '8098' }],
    ['[fd00::5]:8080', { value: 'fd00::5', port: '8080' }],
    ['http://10.0.1.5:8098/health', { value: '10.0.1.5', port: '8098' }],
    ['ip-10-0-1-23.ec2.internal', { value: 'ip-10-0-1-23.ec2.internal' }],
  ])('%s', (typed, want) => expect(parseHost(typed)).toEqual({ ok: true, ...want }));

  it('rejects what is no address, with an example', () => {
    expect(parseHost('10.0.1.23:99999')).toMatchObject({ ok: false, error: expect.stringContaining('not a port') });
    expect(parseHost('not an address')).toMatchObject({ ok: false, error: expect.stringContaining('10.0.1.23:8080') });
  });

  it('127.0.0.1:8098 is not followed by a port question (no http://127.0.0.1:8098:8098/)', () => {
    expect(flow).toBeDefined();
    const j = new MemoryJournal(flow);
    const r = advance(flow, j.state(), { kind: 'answer', value: '127.0.0.1:8098' }, j.append, j.now());
    expect(r.ok && r.state.facts).toMatchObject({ 'backend.host': '127.0.0.1', 'backend.port': '8098' });
    expect(r.waiting.kind).toBe('done');
    const j2 = new MemoryJournal(flow);
    const r2 = advance(flow, j2.state(), { kind: 'answer', value: '127.0.0.1' }, j2.append, j2.now());
    expect(r2.waiting).toMatchObject({ kind: 'ask', node: { id: 'port' } });
  });
});
