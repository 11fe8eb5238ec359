// The CloudFront checks against moto over HTTP: each test seeds its own account with a
// distribution (broken or healthy) and, where the check probes the origin, a real TLS
// server on this machine standing in for it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRecordingReader, createReplayReader, newRecording } from '../../src/aws/recorded.js';
import { cloudfrontOriginTls } from '../../src/checks/cloudfront-origin-tls.js';
import { cloudfrontOrigins } from '../../src/checks/cloudfront-origins.js';
import { cloudfrontResolve } from '../../src/checks/cloudfront-resolve.js';
import { getCheck } from '../../src/checks/registry.js';
import type { Check } from '../../src/checks/types.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';
import { runCheckResult, testContext } from '../helpers/check-context.js';
import { describeMoto, newAccount, type MotoAccount } from '../helpers/moto.js';
import { seedAlb } from '../helpers/seed-alb.js';
import { seedDistribution } from '../helpers/seed-cloudfront.js';
import { makeCerts, type KeyPair } from '../net/helpers/certs.js';

const asserted = (r: CheckResult) => (r.findings ?? []).filter((f) => f.confidence !== 'ruled-out').map((f) => f.cause);

let certs: ReturnType<typeof makeCerts>;
let caFile = '';
const servers: tls.Server[] = [];
beforeAll(() => {
  certs = makeCerts();
  caFile = join(mkdtempSync(join(tmpdir(), 'badgate-cf-')), 'ca.pem');
  writeFileSync(caFile, certs.ca.cert);
});
afterAll(() => {
  for (const s of servers) s.close();
  certs?.cleanup();
});

async function tlsOrigin(pair: KeyPair): Promise<number> {
  const server = tls.createServer(pair, (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
  server.on('tlsClientError', () => {});
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** resolve → origins → origin TLS → origin DNS, fed one another's facts as the flow does. */
async function walk(account: MotoAccount, distribution: string, extra: { originSeconds?: string; caFile?: string } = {}) {
  const facts: Facts = {};
  const run = async (check: Check<unknown>, params: Record<string, string>) => {
    const r = await runCheckResult(check, testContext({ params, facts: { ...facts }, aws: account.reader() }));
    Object.assign(facts, r.facts ?? {});
    return r;
  };
  const resolve = await run(cloudfrontResolve as Check<unknown>, { distribution });
  const origins = await run(cloudfrontOrigins as Check<unknown>, { distribution: String(facts['cf.id']), ...(extra.originSeconds ? { originSeconds: extra.originSeconds } : {}) });
  const originTls = await run(cloudfrontOriginTls as Check<unknown>, {
    host: String(facts['cf.origin.domain']), port: String(facts['cf.origin.httpsPort']), name: String(facts['cf.origin.tlsName']),
    https: String(facts['cf.origin.https']), ...(extra.caFile ? { caFile: extra.caFile } : {}),
  });
  const dns = await run(getCheck('net.dns') as Check<unknown>, { name: String(facts['cf.origin.domain']) });
  const all = [resolve, origins, originTls, dns];
  return { resolve, origins, originTls, dns, facts, causes: [...new Set(all.flatMap(asserted))].sort() };
}

describeMoto('cloudfront checks against moto', (endpoint) => {
  it('resolve: finds a distribution by id, by alias in a URL and by its cloudfront.net name', async () => {
    const acct = await newAccount(endpoint());
    const d = await seedDistribution(acct, { origin: { domain: 'origin.example.com' }, aliases: ['www.example.com'] });
    for (const q of [d.id, 'https://www.example.com/cart', d.domainName]) {
      const r = await runCheckResult(cloudfrontResolve, testContext({ params: { distribution: q }, aws: acct.reader() }));
      expect(r.outcome, q).toBe('found');
      expect(r.facts?.['cf.id']).toBe(d.id);
      expect(r.facts?.['cf.origin.domain']).toBe('origin.example.com');
    }
    const missing = await runCheckResult(cloudfrontResolve, testContext({ params: { distribution: 'https://nope.example.org/' }, aws: acct.reader() }));
    expect(missing.outcome).toBe('not-found');
    await seedDistribution(acct, { origin: { domain: 'other.example.com' } });
    const two = await runCheckResult(cloudfrontResolve, testContext({ params: {}, aws: acct.reader() }));
    expect(two.outcome).toBe('ambiguous');
  });

  it('a healthy distribution (https-only origin whose certificate covers its domain) names no cause', async () => {
    const acct = await newAccount(endpoint());
    const port = await tlsOrigin(certs.trusted);
    const d = await seedDistribution(acct, { origin: { domain: 'localhost', httpsPort: port }, aliases: ['shop.example.com'] });
    // CloudFront trusts public CAs; the test's own CA stands in for one.
    const w = await walk(acct, d.id, { caFile: caFile });
    expect(w.origins.outcome).toBe('ok');
    expect(w.originTls.outcome).toBe('ok');
    expect(w.dns.status).toBe('pass');
    expect(w.causes).toEqual([]);
  });

  it('https-only origin with a certificate for another name: origin-tls-mismatch (SNI = origin domain)', async () => {
    const acct = await newAccount(endpoint());
    const port = await tlsOrigin(certs.mismatched);
    const d = await seedDistribution(acct, { origin: { domain: 'localhost', httpsPort: port } });
    const w = await walk(acct, d.id);
    expect(w.facts['cf.origin.tlsName']).toBe('localhost');
    expect(w.originTls.outcome).toBe('name-mismatch');
    expect(w.originTls.summary).toContain('wrong.example');
    expect(w.causes).toEqual(['origin-tls-mismatch']);
  });

  it('Host forwarded: the certificate must cover the viewer\'s Host, so a cert for the origin name alone fails', async () => {
    const acct = await newAccount(endpoint());
    const port = await tlsOrigin(certs.trusted);
    const d = await seedDistribution(acct, { origin: { domain: 'localhost', httpsPort: port }, aliases: ['wrong.example'], forwardHeaders: ['Host'] });
    const w = await walk(acct, d.id, { caFile: caFile });
    expect(w.facts['cf.origin.hostForwarded']).toBe('yes');
    expect(w.facts['cf.origin.tlsName']).toBe('wrong.example');
    expect(w.originTls.outcome).toBe('name-mismatch');
    expect(w.originTls.details?.join('\n')).toContain('AllViewerExceptHostHeader');
    expect(w.causes).toEqual(['origin-tls-mismatch']);
  });

  it('origin response timeout shorter than the origin takes: timeout-mismatch', async () => {
    const acct = await newAccount(endpoint());
    const d = await seedDistribution(acct, { origin: { domain: 'localhost', protocolPolicy: 'http-only', readTimeout: 5 } });
    const w = await walk(acct, d.id, { originSeconds: '12' });
    expect(w.facts['cf.origin.readTimeoutSeconds']).toBe(5);
    expect(w.originTls.outcome).toBe('not-https');
    expect(w.causes).toEqual(['timeout-mismatch']);
    const fast = await walk(acct, d.id, { originSeconds: '2' });
    expect(fast.causes).toEqual([]);
  });

  it('origin DNS that does not resolve: origin-dns-failure', async () => {
    const acct = await newAccount(endpoint());
    const d = await seedDistribution(acct, { origin: { domain: 'origin.badgate-test.invalid', protocolPolicy: 'http-only' } });
    const w = await walk(acct, d.id);
    expect(['nxdomain', 'dns-error']).toContain(w.dns.outcome);
    expect(w.causes).toEqual(['origin-dns-failure']);
  });

  it('ALB origin: keep-alive longer than the ALB idle timeout races; HTTPS to the *.elb.amazonaws.com name is a TLS mismatch', async () => {
    const acct = await newAccount(endpoint());
    const alb = await seedAlb(acct, { name: 'shop', lbAttributes: { 'idle_timeout.timeout_seconds': '30' } });
    const race = await seedDistribution(acct, { origin: { domain: alb.lbDns, keepaliveTimeout: 60, protocolPolicy: 'http-only' } });
    const r = await runCheckResult(cloudfrontOrigins, testContext({ params: { distribution: race.id }, aws: acct.reader() }));
    expect(r.facts?.['cf.origin.isAlb']).toBe(true);
    expect(r.facts?.['cf.origin.albName']).toBe('shop-alb');
    expect(r.facts?.['cf.origin.idleTimeoutSeconds']).toBe(30);
    expect(asserted(r)).toEqual(['keepalive-race']);
    expect(r.details?.join('\n')).toContain('badgate run alb --lb shop-alb');
    expect(r.sources?.map((s) => s.api)).toEqual(expect.arrayContaining(['cloudfront:GetDistributionConfig', 'elasticloadbalancing:DescribeLoadBalancerAttributes']));
    for (const s of r.sources ?? []) expect(cloudfrontOrigins.meta.apis).toContain(s.api);

    const elbName = await seedDistribution(acct, { origin: { domain: alb.lbDns, protocolPolicy: 'https-only' } });
    const t = await runCheckResult(cloudfrontOrigins, testContext({ params: { distribution: elbName.id }, aws: acct.reader() }));
    expect(asserted(t)).toEqual(['origin-tls-mismatch']);
    expect(t.summary).toContain('elb.amazonaws.com');
  });

  it('record and replay: the CloudFront and elbv2 answers replay offline to the same results', async () => {
    const acct = await newAccount(endpoint());
    const alb = await seedAlb(acct, { name: 'rec', lbAttributes: { 'idle_timeout.timeout_seconds': '30' } });
    const d = await seedDistribution(acct, { origin: { domain: alb.lbDns, keepaliveTimeout: 60, protocolPolicy: 'http-only' }, aliases: ['rec.example.com'] });
    const rec = newRecording('us-east-1', 'test');
    const live = createRecordingReader(acct.reader(), rec);
    const run = async (aws: typeof live) => [
      await runCheckResult(cloudfrontResolve, testContext({ params: { distribution: 'https://rec.example.com/' }, aws })),
      await runCheckResult(cloudfrontOrigins, testContext({ params: { distribution: d.id }, aws })),
    ];
    const first = await run(live);
    expect(rec.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['listDistributions', 'getDistributionConfig', 'describeLoadBalancers', 'describeLoadBalancerAttributes']));
    const again = await run(createReplayReader(JSON.parse(JSON.stringify(rec))));
    const strip = (r: CheckResult) => ({ outcome: r.outcome, summary: r.summary, facts: r.facts, findings: r.findings });
    expect(again.map(strip)).toEqual(first.map(strip));
    expect(asserted(again[1])).toEqual(['keepalive-race']);
  });

  it('wrong domain binding: HTTPS to an S3 website endpoint, and the viewer Host forwarded to an API Gateway origin', async () => {
    const acct = await newAccount(endpoint());
    const s3 = await seedDistribution(acct, { origin: { domain: 'assets.s3-website-us-east-1.amazonaws.com', protocolPolicy: 'https-only' } });
    const r = await runCheckResult(cloudfrontOrigins, testContext({ params: { distribution: s3.id }, aws: acct.reader() }));
    expect(asserted(r)).toEqual(['origin-tls-mismatch']);
    expect(r.summary).toMatch(/S3 website endpoint/);
    // AllViewer forwards the viewer's Host; an execute-api endpoint serves only its own name.
    const api = await seedDistribution(acct, { origin: { domain: 'abc123.execute-api.us-east-1.amazonaws.com' }, aliases: ['api.example.com'], originRequestPolicyId: '216adef6-5c7f-47e4-b989-5492eafa07d3' });
    const a = await runCheckResult(cloudfrontOrigins, testContext({ params: { distribution: api.id }, aws: acct.reader() }));
    expect(a.facts?.['cf.origin.hostForwarded']).toBe('yes');
    expect(a.facts?.['cf.origin.tlsName']).toBe('api.example.com');
    expect(asserted(a)).toEqual(['host-header-or-sni-mismatch']);
    // The managed policy meant for it sends the origin's own name: no finding.
    const fixed = await seedDistribution(acct, { origin: { domain: 'abc123.execute-api.us-east-1.amazonaws.com' }, aliases: ['api2.example.com'], originRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' });
    const f = await runCheckResult(cloudfrontOrigins, testContext({ params: { distribution: fixed.id }, aws: acct.reader() }));
    expect(f.outcome).toBe('ok');
  });
});
