import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintCheck } from '../../src/checks/net-fingerprint.js';
import type { CheckContext } from '../../src/checks/types.js';
import { fingerprint, fingerprintTable, parseFingerprintTable, parsePastedResponse } from '../../src/net/fingerprint.js';
import { formatMessage } from '../../src/engine/load-flow.js';
import { answerLikeAlb502, closeAll, startHttp } from './helpers/servers.js';
import { testContext } from '../helpers/check-context.js';

afterAll(closeAll);

interface Case {
  file: string;
  kind: string;
  flow?: string;
  status: number;
  evidence?: string;
  alsoSeen?: string[];
  /** The maker's own stock page matched. */
  certain?: boolean;
}

const dir = new URL('../fixtures/net/fingerprint/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Case[];
const text = (file: string): string => readFileSync(new URL(file, dir), 'utf8');

function ctx(params: Record<string, string>): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

describe('gateway fingerprint from recorded responses', () => {
  it.each(cases)('$file → $kind', (c) => {
    const pasted = parsePastedResponse(text(c.file));
    expect(pasted.status).toBe(c.status);
    const fp = fingerprint(pasted);
    expect(fp.kind).toBe(c.kind);
    expect(fp.flow).toBe(c.flow);
    if (c.evidence) expect(fp.evidence.join('\n').toLowerCase()).toContain(c.evidence.toLowerCase());
    else expect(fp.evidence).toEqual([]);
    expect(fp.alsoSeen.map((s) => s.kind).sort()).toEqual((c.alsoSeen ?? []).sort());
    if (c.certain !== undefined) expect(fp.certain).toBe(c.certain);
    // A response nothing claims as its own blames no relay.
    if (c.kind === 'unknown') expect(fp.alsoSeen.every((s) => s.role === 'relayed')).toBe(true);
  });

  it.each(cases)('net.fingerprint check on pasted $file', async (c) => {
    const params = { headers: text(c.file) };
    const result = fingerprintCheck.evaluate(await fingerprintCheck.collect(ctx(params)), ctx(params));
    expect(result.outcome).toBe(c.kind !== 'unknown' ? c.kind : c.alsoSeen?.length ? 'relayed' : 'unknown-gateway');
    expect(result.facts?.['gateway.kind']).toBe(c.kind);
    expect(result.facts?.['gateway.flow']).toBe(c.flow);
  });

  it('uses the body param over a body inside the pasted headers', async () => {
    const params = { headers: 'Content-Type: text/html', body: '<hr><center>Microsoft-Azure-Application-Gateway/v2</center>' };
    const result = fingerprintCheck.evaluate(await fingerprintCheck.collect(ctx(params)), ctx(params));
    expect(result.outcome).toBe('appgw');
  });

  it('does not take a request header from curl -v output for a response header', () => {
    const fp = fingerprint(parsePastedResponse('> x-amzn-RequestId: 123\n< HTTP/1.1 200 OK\n< Content-Type: text/plain\n'));
    expect(fp.kind).toBe('unknown');
  });

  it('probes a url when nothing is pasted', async () => {
    const { port } = await startHttp((_q, res) => answerLikeAlb502(res));
    const params = { url: `http://127.0.0.1:${port}/` };
    const result = fingerprintCheck.evaluate(await fingerprintCheck.collect(ctx(params)), ctx(params));
    expect(result.outcome).toBe('alb');
    expect(result.sources?.[0].api).toBe('probe:http');
  });

  it('is unknown with a next step when there is nothing to look at', async () => {
    const result = fingerprintCheck.evaluate(await fingerprintCheck.collect(ctx({})), ctx({}));
    expect(result.outcome).toBe('unknown');
    expect(result.nextStep).toBeTruthy();
  });
});

describe('fingerprint table (flows/fingerprints.yml)', () => {
  it('loads the shipped table with every producer once', () => {
    const ids = fingerprintTable().map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['alb', 'cloudfront', 'apigw', 'appgw', 'nginx', 'apache', 'haproxy', 'lighttpd', 'caddy', 'varnish', 'envoy', 'cloudflare']));
  });

  it('reports a bad entry as file:line:col', () => {
    const text = [
      'producers:',
      '  - id: nginx',
      '    name: nginx',
      '    statuses: [502]',
      '    own:',
      "      - { body: '(unclosed' }",
      '    made: x',
      '    sources: [y]',
      '  - id: nginx',
      '    name: again',
      '    statuses: [502]',
      "    own: [{ header: Server, match: 'x' }]",
      '    made: x',
      '    sources: [y]',
    ].join('\n');
    const { messages } = parseFingerprintTable(text, 'fp.yml');
    const lines = messages.map(formatMessage);
    expect(lines.some((l) => /^fp\.yml:6:\d+ invalid regex/.test(l))).toBe(true);
    expect(lines.some((l) => /^fp\.yml:12:\d+ header names are lower case/.test(l))).toBe(true);
  });

  it('reports a duplicate producer at its id', () => {
    const entry = (n: number) => [`  - id: caddy`, `    name: c${n}`, '    statuses: [502]', '    own: [{ emptyBody: true }]', '    made: x', '    sources: [y]'];
    const { messages } = parseFingerprintTable(['producers:', ...entry(1), ...entry(2)].join('\n'), 'fp.yml');
    expect(messages.map(formatMessage)).toEqual(['fp.yml:8:9 duplicate producer "caddy"']);
  });

  it('does not blame nginx for the JSON 502 it relayed, and shows the Server it saw', () => {
    const fp = fingerprint(parsePastedResponse(text('captured/nginx-app-json-502-502.txt')));
    expect(fp.kind).toBe('unknown');
    expect(fp.server).toBe('nginx/1.22.1');
    expect(fp.alsoSeen).toEqual([{ kind: 'nginx', role: 'relayed', evidence: ['server: nginx/1.22.1'] }]);
  });

  it('says what to do when nginx made the 502 itself', () => {
    const fp = fingerprint(parsePastedResponse(text('captured/nginx-closed-502.txt')));
    expect(fp.certain).toBe(true);
    expect(fp.made).toMatch(/^nginx made this 502: its upstream failed/);
  });
});
