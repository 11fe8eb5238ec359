// `badgate run --url …` with no flow, when the error page names no maker: the URL's DNS name decides.
// AWS names load balancers (DNS name in DescribeLoadBalancers):
//   ALB and Classic  <name>-<id>.<region>.elb.amazonaws.com   (alike: one elbv2 / elb read tells them apart)
//   NLB              <name>-<16 hex>.elb.<region>.amazonaws.com (e.g. rabbit-chat-27f072f1b3fbf05b.elb.us-east-1.amazonaws.com)
// moto names them <name>-1.<region>.elb.amazonaws.com (elbv2) and <name>.us-east-1.elb.amazonaws.com (elb).
// Real HTTP servers on 127.0.0.1; a real DNS server on 127.0.0.1 answers the names (CNAME chain and A).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowForUrl } from '../../src/commands/pick-flow.js';
import { liveEnv } from '../../src/checks/env.js';
import type { CheckEnv } from '../../src/checks/types.js';
import { liveDns, liveNet } from '../../src/net/port.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { seedAlb } from '../helpers/seed-alb.js';
import { seedClb } from '../helpers/seed-clb.js';
import { startMiniDns, type MiniDns } from './helpers/mini-dns.js';
import { closeAll, startRaw } from './helpers/servers.js';

const NLB = 'pay-nlb-0a1b2c3d4e5f6a7b.elb.us-east-1.amazonaws.com';
const ALL = ['alb', 'clb', 'nlb', 'cloudfront', 'nginx', 'apigw'];

let dns: MiniDns;
beforeAll(async () => {
  dns = await startMiniDns({
    'pay.example.test': { cname: 'pay-edge.example.test' },
    'pay-edge.example.test': { cname: NLB },
    [NLB]: { a: ['127.0.0.1'] },
    'legacy.example.test': { cname: 'legacy.us-east-1.elb.amazonaws.com' },
    'legacy.us-east-1.elb.amazonaws.com': { a: ['127.0.0.1'] },
    'shop.example.test': { cname: 'shop-alb-1.us-east-1.elb.amazonaws.com' },
    'shop-alb-1.us-east-1.elb.amazonaws.com': { a: ['127.0.0.1'] },
  });
});
afterAll(async () => {
  await dns.close();
  await closeAll();
});

/** The live ports, with names resolved by the local DNS server instead of the system's. */
function env(): CheckEnv {
  const live = liveEnv();
  return {
    ...live,
    dns: { ...liveDns, cname: (h) => dns.resolver().resolveCname(h) },
    net: { ...liveNet, http: (o) => liveNet.http({ ...o, lookup: (h) => dns.resolver().resolve4(h) }) },
  };
}

/** A server that sends `raw` to each request; `reset` destroys the connection instead (RST, no answer). */
async function serve(raw: string | 'reset'): Promise<number> {
  const { port } = await startRaw((s) => {
    s.on('error', () => {});
    s.once('data', () => (raw === 'reset' ? s.resetAndDestroy() : s.end(raw)));
  });
  return port;
}

// A 502 no gateway signs: a bare status line, Content-Length 0, no Server (the Classic ELB row of
// shared reference domain-gateways.md §10, which marks that form unconfirmed: the AWS read decides here).
const BARE_502 = 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

describe.concurrent('an NLB name on the URL\'s CNAME chain opens the nlb flow', () => {
  it('a connection reset with no HTTP answer', async () => {
    const port = await serve('reset');
    const choice = await flowForUrl(`http://pay.example.test:${port}/v1/charge`, { env: env(), flows: ALL });
    expect(choice.flow).toBe('nlb');
    expect(choice.why).toMatch(/did not answer \(.*(reset|closed).*\); pay-nlb-0a1b2c3d4e5f6a7b\.elb\.us-east-1\.amazonaws\.com \(pay\.example\.test → pay-edge\.example\.test → pay-nlb-.*\) is a Network Load Balancer .*resets or stays silent.*opening the nlb flow/i);
  });

  it('an HTTP 502 nobody signs: the NLB makes no HTTP response, so the proxy behind it did', async () => {
    const port = await serve(BARE_502);
    const choice = await flowForUrl(`http://pay.example.test:${port}/v1/charge`, { env: env(), flows: ALL });
    expect(choice.flow).toBe('nlb');
    expect(choice.why).toMatch(/answered 502; .* is a Network Load Balancer .*a proxy behind it made this one: opening the nlb flow/);
  });

  it('without the nlb flow shipped it falls back to the ALB flow and says so', async () => {
    const port = await serve('reset');
    const choice = await flowForUrl(`http://pay.example.test:${port}/`, { env: env(), flows: ['alb'] });
    expect(choice.flow).toBe('alb');
  });

  it('an ALB-or-Classic name with no AWS to ask: the ALB flow, naming the clb flow as the other choice', async () => {
    const port = await serve(BARE_502);
    const choice = await flowForUrl(`http://legacy.example.test:${port}/`, { env: env(), flows: ALL, aws: async () => undefined });
    expect(choice.flow).toBe('alb');
    expect(choice.why).toMatch(/an Application or a Classic Load Balancer's name, and AWS could not tell which \(no AWS credentials for this run\): starting the ALB flow; for a Classic one: badgate run clb/);
  });
});

describeMoto('an ALB-or-Classic name: one AWS read tells which', (endpoint) => {
  it('a Classic ELB with that DNS name opens the clb flow; an ALB opens the alb flow', async () => {
    const account = await newAccount(endpoint());
    const clb = await seedClb(account, { name: 'legacy' });
    const alb = await seedAlb(account, { name: 'shop' });
    expect(clb.dns).toBe('legacy.us-east-1.elb.amazonaws.com');
    expect(alb.lbDns).toBe('shop-alb-1.us-east-1.elb.amazonaws.com');
    const aws = async () => account.reader();
    const port = await serve(BARE_502);

    const classic = await flowForUrl(`http://legacy.example.test:${port}/`, { env: env(), flows: ALL, aws });
    expect(classic.flow).toBe('clb');
    expect(classic.why).toMatch(/legacy\.us-east-1\.elb\.amazonaws\.com \(legacy\.example\.test → legacy\.us-east-1\.elb\.amazonaws\.com\) is a Classic Load Balancer \(legacy, read from AWS\): opening the clb flow/);

    const application = await flowForUrl(`http://shop.example.test:${port}/`, { env: env(), flows: ALL, aws });
    expect(application.flow).toBe('alb');
    expect(application.why).toMatch(/is an Application Load Balancer \(shop-alb, read from AWS\): opening the alb flow/);
  }, 30_000);

  it('a name no load balancer in the account has: the ALB flow, saying why', async () => {
    const account = await newAccount(endpoint());
    const port = await serve(BARE_502);
    const choice = await flowForUrl(`http://legacy.example.test:${port}/`, { env: env(), flows: ALL, aws: async () => account.reader() });
    expect(choice.flow).toBe('alb');
    expect(choice.why).toMatch(/AWS could not tell which \(no load balancer in us-east-1 has that DNS name\)/);
  }, 30_000);
});
