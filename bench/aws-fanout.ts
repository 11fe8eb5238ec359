// AWS fan-out: the full ALB check set against one ALB with 20 target groups × 50 targets in
// moto, counting the HTTP requests that reach "AWS", versus a naive per-target baseline
// measured in the same run. Prints ratios; asserts nothing.
//   node --import tsx bench/aws-fanout.ts [groups] [targetsPerGroup]
import { createServer, type IncomingMessage } from 'node:http';
import { createMemoReader } from '../src/aws/memo-reader.js';
import { createSdkReader } from '../src/aws/sdk/index.js';
import type { AwsReader } from '../src/aws/reader.js';
import { newAccount, startMoto, type MotoAccount } from '../test/helpers/moto-server.js';
import { runAwsChecks } from '../test/helpers/moto-check-run.js';
import { seedAlb } from '../test/helpers/seed-alb.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const groups = Number(process.argv[2] ?? 20);
const perGroup = Number(process.argv[3] ?? 50);

/** A pass-through proxy in front of moto that counts requests by API action. */
async function countingProxy(target: string): Promise<{ url: string; counts: Map<string, number>; reset(): void; close(): void }> {
  const counts = new Map<string, number>();
  const read = (req: IncomingMessage) => new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const action = String(req.headers['x-amz-target'] ?? '').split('.').pop() || /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString())?.[1] || `${req.method} ${req.url}`;
    counts.set(action, (counts.get(action) ?? 0) + 1);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length').map(([k, v]) => [k, String(v)]));
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, ...(body.length ? { body } : {}) });
    const skip = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection']);
    res.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([k]) => !skip.has(k))));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, counts, reset: () => counts.clear(), close: () => server.close() };
}

/** What a straightforward implementation does: one call per target, one group at a time. */
async function naiveFanout(aws: AwsReader, lbArn: string): Promise<void> {
  const tgs = await aws.describeTargetGroups({ loadBalancerArn: lbArn });
  for (const tg of tgs) {
    await aws.describeTargetGroupAttributes(tg.arn);
    for (const t of await aws.describeTargetHealth(tg.arn)) {
      const [inst] = await aws.describeInstances([t.id]);
      await aws.describeInstanceStatus([t.id]);
      if (inst) {
        await aws.describeSecurityGroups(inst.securityGroups);
        await aws.describeSubnets({ subnetIds: inst.subnetId ? [inst.subnetId] : [] });
      }
    }
  }
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const moto = await startMoto();
  const proxy = await countingProxy(moto.endpoint);
  try {
    const account: MotoAccount = await newAccount(moto.endpoint);
    const t0 = performance.now();
    const seeded = await seedAlb(account, { name: 'fan', targetGroups: groups, instancesPerGroup: perGroup });
    const seedMs = performance.now() - t0;
    const reader = createSdkReader({ region: 'us-east-1', endpoint: proxy.url, credentials: account.clientConfig.credentials });

    proxy.reset();
    let t = performance.now();
    const perCheck: string[] = [];
    const run = await runAwsChecks(createMemoReader(reader), { 'elbv2.resolve': { lb: seeded.lbName }, 'timeout.chain': { server: 'node', nodeVersion: '20' } }, new Date(), (id, ms) => perCheck.push(`${id} ${ms.toFixed(0)} ms`));
    const checkMs = performance.now() - t;
    const checkCalls = new Map(proxy.counts);

    proxy.reset();
    t = performance.now();
    await naiveFanout(reader, seeded.lbArn);
    const naiveMs = performance.now() - t;
    const naiveCalls = new Map(proxy.counts);

    const targets = groups * perGroup;
    console.log(`ALB with ${groups} target groups × ${perGroup} targets = ${targets} targets (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
    console.log(`full check set (${Object.keys(run.results).length} checks, per-run memo reader): ${total(checkCalls)} API calls in ${checkMs.toFixed(0)} ms`);
    console.log(`  ${[...checkCalls].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  per check: ${perCheck.join(', ')}`);
    console.log(`  outcomes: ${Object.entries(run.results).map(([id, r]) => `${id}=${r.outcome}`).join(' ')}`);
    console.log(`naive per-target fan-out (health, instances, status, SGs, subnets only): ${total(naiveCalls)} API calls in ${naiveMs.toFixed(0)} ms`);
    console.log(`ratio: ${(total(naiveCalls) / total(checkCalls)).toFixed(1)}× fewer calls, ${(naiveMs / checkMs).toFixed(1)}× less wall time than the naive baseline (which covers less)`);
    console.log(`calls per target: ${(total(checkCalls) / targets).toFixed(3)} vs naive ${(total(naiveCalls) / targets).toFixed(2)}`);
  } catch (err) {
    console.error(moto.stderr().split('\n').filter((l) => !/HTTP\/1\.1" 200/.test(l)).slice(-25).join('\n'));
    throw err;
  } finally {
    proxy.close();
    await moto.stop();
  }
}

await main();
