import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { logsAccessLog, evaluateAccessLog, logSourceFor } from '../../src/checks/logs-access-log.js';
import { logsNginxError } from '../../src/checks/logs-nginx-error.js';
import { logsChecks } from '../../src/checks/logs.js';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { LogObjectStore } from '../../src/logs/log-object-store.js';
import { DOC_HTTP, DOC_LAMBDA, NGINX_LINES, SEED_BAD, SEED_GOOD, T0, TG_TLS, albLine, iso } from './fixtures.js';
import type { AwsReader } from '../../src/aws/reader.js';
import { testContext } from '../helpers/check-context.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'badgate-chk-'));
  writeFileSync(path.join(dir, 'seed.log'), [SEED_GOOD, SEED_BAD].join('\n'));
  writeFileSync(path.join(dir, 'error.log'), Object.values(NGINX_LINES).join('\n'));
  writeFileSync(path.join(dir, 'clean-error.log'), [NGINX_LINES.notice, NGINX_LINES.timeout].join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ctx(params: Record<string, string>, facts: CheckContext['facts'] = {}, aws?: AwsReader | undefined): CheckContext {
  return testContext({ params, facts, aws, signal: new AbortController().signal, progress: () => {}, now: () => new Date('2024-03-05T12:00:00Z') });
}

function ev(lines: string[], opts = {}) {
  return { source: 'x.log', analysis: analyzeText({ 'x.log': lines.join('\n') }, opts), sources: [] };
}

describe('logs.access-log', () => {
  it('is registered with its outcomes, facts and APIs', () => {
    expect(logsChecks.map((c) => c.meta.id)).toEqual(['logs.access-log', 'logs.nginx-error']);
    expect(logsAccessLog.meta.apis).toEqual(['s3:ListBucket', 's3:GetObject', 'probe:file']);
    expect(logsAccessLog.meta.facts).toEqual(expect.arrayContaining(['logs.count502', 'logs.rate502', 'logs.topTarget', 'logs.sparkline']));
  });

  it('the seed article: keepalive-signature with facts, findings, series', async () => {
    const e = await logsAccessLog.collect(ctx({ source: path.join(dir, 'seed.log') }));
    const r = logsAccessLog.evaluate(e, { params: {}, facts: {} });
    expect(r).toMatchObject({
      status: 'fail', outcome: 'keepalive-signature',
      facts: { 'logs.count502': 1, 'logs.rate502': 0.5, 'logs.topTarget': '10.0.1.10:8080', 'logs.cause': 'keepalive-race' },
      findings: [{ cause: 'keepalive-race', confidence: 'likely', evidence: [expect.stringMatching(/^1 of 1 502s/), `${path.join(dir, 'seed.log')}:2`] }],
      sources: [{ api: 'probe:file' }],
    });
    expect(r.series?.[0]).toMatchObject({ name: '502s per minute', periodSeconds: 60, values: [1] });
    expect(typeof r.facts?.['logs.sparkline']).toBe('string');
  });

  it.each([
    [[albLine({ elb: '502', tstat: '502' })], 'target-generated'],
    [[DOC_LAMBDA], 'lambda'],
    [[albLine(), albLine({ elb: '502', tstat: '-', timings: '0.000 0.010 0.000' })], 'malformed'],
    [[albLine(), ...Array.from({ length: 5 }, (_, i) => albLine({ time: iso(T0 + i * 1000), target: '10.0.3.5:443', tg: TG_TLS, timings: '-1 -1 -1', elb: '502', tstat: '-' }))], 'tls'],
    [[albLine(), ...Array.from({ length: 5 }, (_, i) => albLine({ time: iso(T0 + i * 1000), target: '10.0.1.99:80', timings: '-1 -1 -1', elb: '502', tstat: '-' }))], 'connection-errors'],
    [[DOC_HTTP], 'no-502'],
  ])('outcome %#: %s', (lines, outcome) => {
    expect(evaluateAccessLog(ev(lines)).outcome).toBe(outcome);
  });

  it('deregistration outcome', () => {
    const lines: string[] = [];
    for (let t = T0; t < T0 + 200_000; t += 1000) lines.push(albLine({ time: iso(t), target: '10.0.1.20:8080' }));
    for (let t = T0; t < T0 + 60_000; t += 1000) lines.push(albLine({ time: iso(t), target: '10.0.9.9:8080' }));
    for (let k = 0; k < 3; k++) lines.push(albLine({ time: iso(T0 + 90_000), created: iso(T0 + 55_000 + k * 100), target: '10.0.9.9:8080', timings: '-1 -1 -1', elb: '502', tstat: '-' }));
    expect(evaluateAccessLog(ev(lines))).toMatchObject({ outcome: 'deregistration', findings: [{ cause: 'deregistration-delay' }] });
  });

  it('no source and no access-log facts: no-logs with a next step', async () => {
    const r = logsAccessLog.evaluate(await logsAccessLog.collect(ctx({})), { params: {}, facts: {} });
    expect(r).toMatchObject({ status: 'warn', outcome: 'no-logs', nextStep: expect.stringMatching(/access logs/) });
    const missing = logsAccessLog.evaluate(await logsAccessLog.collect(ctx({ source: '/nope.log' })), { params: {}, facts: {} });
    expect(missing).toMatchObject({ outcome: 'no-logs', summary: expect.stringMatching(/no such file/) });
  });

  it('builds the S3 source from the LB facts and reads it through the reader', async () => {
    expect(logSourceFor({}, { 'lb.accessLogs.bucket': 'logs', 'lb.accessLogs.prefix': '/team/alb/' })).toBe('s3://logs/team/alb');
    const key = 'team/alb/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/03/05/123456789012_elasticloadbalancing_us-east-1_app.shop-prod.50dc6c495c0c9188_20240305T1005Z_10.0.0.1_abc.log.gz';
    const body = gzipSync([SEED_GOOD, SEED_BAD, albLine({ time: '2024-03-05T10:00:07.000000Z' })].join('\n'));
    const store: LogObjectStore = {
      bucket: 'logs',
      async *list(prefix) { if (key.startsWith(prefix)) yield { key, size: body.length }; },
      async listPrefixes(prefix) { return key.startsWith(prefix) ? [prefix + key.slice(prefix.length).split('/')[0] + '/'] : []; },
      async get() { return Readable.from([body]); },
    };
    // Only the optional logObjectStore extension is exercised; the rest of the reader is unused here.
    const aws = { region: 'us-east-1', logObjectStore: () => store } as unknown as AwsReader | undefined;
    const c = ctx({ since: '2024-03-05T10:00:00Z', until: '2024-03-05T10:10:00Z' }, { 'lb.accessLogs.bucket': 'logs', 'lb.accessLogs.prefix': 'team/alb', 'lb.name': 'shop-prod', 'lb.idleTimeoutSeconds': 60 }, aws);
    const r = logsAccessLog.evaluate(await logsAccessLog.collect(c), { params: c.params, facts: c.facts });
    expect(r).toMatchObject({ outcome: 'keepalive-signature', facts: { 'logs.count502': 1 } });
    expect(r.sources?.map((s) => s.api)).toEqual(['s3:ListBucket', 's3:GetObject']);
  });

  it('S3 without AWS configured is an error for the runner (unknown), not a verdict', async () => {
    await expect(logsAccessLog.collect(ctx({ source: 's3://logs/x' }))).rejects.toThrow(/not configured/);
  });
});

describe('logs.nginx-error', () => {
  it('names the dominant upstream failure', async () => {
    const e = await logsNginxError.collect(ctx({ source: path.join(dir, 'error.log') }));
    const r = logsNginxError.evaluate(e, { params: {}, facts: {} });
    expect(r.status).toBe('fail');
    expect(r.outcome).toBe('refused');
    expect(r.facts).toMatchObject({ 'logs.nginx.count502': 8, 'logs.nginx.timeouts': 1, 'logs.nginx.kind': 'refused' });
    expect(r.findings?.map((f) => f.cause)).toContain('all-targets-unhealthy');
  });

  it.each([
    ['reset', 'reset'], ['premature', 'prematurely-closed'], ['tooBig', 'too-big-header'], ['invalid', 'invalid-header'], ['ssl', 'ssl'], ['noLive', 'no-live-upstreams'],
  ] as const)('%s → %s', (name, outcome) => {
    const a = analyzeText({ 'error.log': NGINX_LINES[name] });
    expect(logsNginxError.evaluate({ source: 'error.log', analysis: a, sources: [] }, { params: {}, facts: {} }).outcome).toBe(outcome);
  });

  it('clean and no-logs', async () => {
    const clean = logsNginxError.evaluate(await logsNginxError.collect(ctx({ source: path.join(dir, 'clean-error.log') })), { params: {}, facts: {} });
    expect(clean).toMatchObject({ status: 'pass', outcome: 'clean' });
    const none = logsNginxError.evaluate(await logsNginxError.collect(ctx({ source: path.join(dir, 'seed.log') })), { params: {}, facts: {} });
    expect(none.outcome).toBe('no-logs');
    const empty = logsNginxError.evaluate(await logsNginxError.collect(ctx({ source: '' })), { params: {}, facts: {} });
    expect(empty).toMatchObject({ outcome: 'no-logs', summary: 'no nginx error log given', nextStep: expect.stringMatching(/error_log/) });
  });
});
