import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintCheck } from '../../src/checks/net-fingerprint.js';
import type { CheckContext } from '../../src/checks/types.js';
import { fingerprint, parsePastedResponse } from '../../src/net/fingerprint.js';
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
  });

  it.each(cases)('net.fingerprint check on pasted $file', async (c) => {
    const params = { headers: text(c.file) };
    const result = fingerprintCheck.evaluate(await fingerprintCheck.collect(ctx(params)), ctx(params));
    expect(result.outcome).toBe(c.kind === 'unknown' ? 'unknown-gateway' : c.kind);
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
