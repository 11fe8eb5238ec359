import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsCheck } from '../../src/checks/net-dns.js';
import type { CheckContext } from '../../src/checks/types.js';
import { classifyName } from '../../src/net/dns-classify.js';
import { resolveChain } from '../../src/net/dns-probe.js';
import { startMiniDns, type MiniDns } from './helpers/mini-dns.js';
import { testContext } from '../helpers/check-context.js';

let dns: MiniDns;

beforeAll(async () => {
  dns = await startMiniDns({
    'shop.example.test': { cname: 'www.example.test' },
    'www.example.test': { cname: 'my-web-alb-1234567890.eu-central-1.elb.amazonaws.com' },
    'my-web-alb-1234567890.eu-central-1.elb.amazonaws.com': { a: ['192.0.2.10', '192.0.2.11'] },
    'cdn.example.test': { cname: 'd111111abcdef8.cloudfront.net' },
    'd111111abcdef8.cloudfront.net': { a: ['198.51.100.7'], aaaa: ['2001:db8::7'] },
    'api.example.test': { cname: 'd-abc123xyz.execute-api.us-east-1.amazonaws.com' },
    'd-abc123xyz.execute-api.us-east-1.amazonaws.com': { a: ['203.0.113.5'] },
    'app.example.test': { cname: 'contoso-gw.westeurope.cloudapp.azure.com' },
    'contoso-gw.westeurope.cloudapp.azure.com': { a: ['20.50.1.2'] },
    'plain.example.test': { a: ['192.0.2.99'] },
    'old.example.test': { cname: 'internal-gone-alb-987654.us-west-2.elb.amazonaws.com' },
    'broken.example.test': { rcode: 2 },
    'empty.example.test': {},
    'loop-a.example.test': { cname: 'loop-b.example.test' },
    'loop-b.example.test': { cname: 'loop-a.example.test' },
  });
});
afterAll(() => dns.close());

const check = () => createDnsCheck(() => dns.resolver(), { systemFallback: false });

function ctx(params: Record<string, string>): CheckContext {
  return testContext({ params, facts: {}, signal: new AbortController().signal, progress: () => {}, now: () => new Date() });
}

async function run(name: string) {
  const c = check();
  const ev = await c.collect(ctx({ name }));
  return { ev, result: c.evaluate(ev, ctx({ name })) };
}

describe('net.dns against a local DNS server', () => {
  it('follows a CNAME chain to an ALB and parses its name and region', async () => {
    const { result } = await run('https://shop.example.test/checkout');
    expect(result.outcome).toBe('aws-lb');
    expect(result.facts).toMatchObject({
      'dns.chain': 'shop.example.test → www.example.test → my-web-alb-1234567890.eu-central-1.elb.amazonaws.com',
      'dns.addresses': '192.0.2.10, 192.0.2.11',
      'lb.dns': 'my-web-alb-1234567890.eu-central-1.elb.amazonaws.com',
      'lb.name': 'my-web-alb',
      'dns.region': 'eu-central-1',
    });
    expect(dns.queries).toContain('CNAME www.example.test');
    expect(result.sources?.[0].api).toBe('probe:dns');
  });

  it('recognises CloudFront (with IPv6), API Gateway and Azure', async () => {
    const cf = await run('cdn.example.test');
    expect(cf.result.outcome).toBe('cloudfront');
    expect(cf.result.facts?.['dns.addresses']).toBe('198.51.100.7, 2001:db8::7');
    const api = await run('api.example.test');
    expect(api.result.outcome).toBe('apigw');
    expect(api.result.facts?.['apigw.id']).toBe('d-abc123xyz');
    const az = await run('app.example.test');
    expect(az.result.outcome).toBe('azure');
    expect(az.result.facts?.['dns.service']).toMatch(/Azure public IP/);
  });

  it('is other for a plain A record', async () => {
    const { result } = await run('plain.example.test');
    expect(result.outcome).toBe('other');
    expect(result.facts?.['dns.chain']).toBe('plain.example.test');
  });

  it('finds a dangling CNAME to a deleted load balancer (NXDOMAIN at the end of the chain)', async () => {
    const { result } = await run('old.example.test');
    expect(result.outcome).toBe('nxdomain');
    expect(result.facts?.['lb.name']).toBe('gone-alb');
    expect(result.facts?.['dns.rcode']).toBe('NXDOMAIN');
    expect(result.summary).toMatch(/dangling CNAME/);
    expect(result.findings?.[0]).toMatchObject({ cause: 'origin-dns-failure', confidence: 'suspected' });
  });

  it('tells NXDOMAIN, SERVFAIL, no answer and a CNAME loop apart', async () => {
    expect((await run('nope.example.test')).result.outcome).toBe('nxdomain');
    const servfail = await run('broken.example.test');
    expect(servfail.result.outcome).toBe('dns-error');
    expect(servfail.result.facts?.['dns.rcode']).toBe('SERVFAIL');
    const empty = await run('empty.example.test');
    expect(empty.result.outcome).toBe('dns-error');
    expect(empty.result.facts?.['dns.rcode']).toBe('NODATA');
    const loop = await resolveChain({ name: 'loop-a.example.test', resolver: dns.resolver() });
    expect(loop.error?.failure).toBe('LOOP');
  });

  it('answers localhost itself, never asking the network resolver (RFC 6761)', async () => {
    const before = dns.queries.length;
    const c = createDnsCheck(() => dns.resolver());
    for (const name of ['localhost', 'LOCALHOST.', 'api.localhost']) {
      const result = c.evaluate(await c.collect(ctx({ name })), ctx({ name }));
      expect(result.status).toBe('pass');
      expect(result.facts?.['dns.addresses']).toBe('127.0.0.1, ::1');
    }
    expect(dns.queries.length).toBe(before);
  });

  const hostsName = loopbackHostsName();
  it.skipIf(!hostsName)('asks the system resolver before calling a hosts-file name gone', async () => {
    const name = hostsName ?? '';
    const c = createDnsCheck(() => dns.resolver());
    const result = c.evaluate(await c.collect(ctx({ name })), ctx({ name }));
    expect(result.outcome).toBe('other');
    expect(result.status).toBe('warn');
    expect(result.facts?.['dns.rcode']).toBe('NXDOMAIN');
    expect(String(result.facts?.['dns.addresses'])).toMatch(/127\.0\.0\.1|::1/);
    expect(result.findings).toBeUndefined();
  });

  it('does not query DNS for an IP address', async () => {
    const before = dns.queries.length;
    const { result } = await run('10.0.1.15');
    expect(result.outcome).toBe('other');
    expect(dns.queries.length).toBe(before);
  });
});

/** A name other than localhost that /etc/hosts maps to loopback (ip6-localhost, the host name…). */
function loopbackHostsName(): string | undefined {
  let text = '';
  try {
    text = readFileSync('/etc/hosts', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!addr || !/^(127\.|::1$)/.test(addr)) continue;
    const name = names.find((n) => n && !/(^|\.)localhost\.?$/i.test(n));
    if (name) return name;
  }
  return undefined;
}

describe('classifyName', () => {
  it.each([
    ['my-alb-1234567890.us-east-1.elb.amazonaws.com', 'aws-lb', 'my-alb', 'us-east-1', 'application-or-classic', false],
    ['internal-api-lb-42.eu-west-1.elb.amazonaws.com', 'aws-lb', 'api-lb', 'eu-west-1', 'application-or-classic', true],
    ['dualstack.web-0123456789.ap-southeast-2.elb.amazonaws.com', 'aws-lb', 'web', 'ap-southeast-2', 'application-or-classic', false],
    ['my-nlb-0123456789abcdef.elb.us-west-2.amazonaws.com', 'aws-lb', 'my-nlb', 'us-west-2', 'network', false],
    ['cn-lb-123.cn-north-1.elb.amazonaws.com.cn', 'aws-lb', 'cn-lb', 'cn-north-1', 'application-or-classic', false],
  ])('%s', (host, kind, name, region, type, internal) => {
    const c = classifyName(host);
    expect(c?.kind).toBe(kind);
    expect(c?.lb).toMatchObject({ name, region, type, internal });
  });

  it('leaves ordinary names alone', () => {
    expect(classifyName('www.example.com')).toBeUndefined();
    expect(classifyName('elb.amazonaws.com.evil.example')).toBeUndefined();
    expect(classifyName('x.azurefd.net')?.service).toBe('Azure Front Door');
  });
});
