/**
 * S3 listing and reading against moto over HTTP (the shared server from the vitest
 * global setup; with CI=true a missing moto_server fails the run there, loudly).
 */
import { beforeAll, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describeMoto } from '../helpers/moto.js';
import { createS3LogStore } from '../../src/aws/sdk/s3-log-store.js';
import { planS3 } from '../../src/logs/s3-plan.js';
import { loadSource } from '../../src/logs/load-source.js';
import { analyzeInputs } from '../../src/logs/run-analysis.js';
import { runLogsCommand } from '../../src/commands/logs.js';
import { albLine, iso } from './fixtures.js';

const ACCT = '123456789012';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function key(prefix: string, region: string, endMs: number, lb = 'shop-prod', node = '10.0.0.1'): string {
  const d = new Date(endMs).toISOString();
  const end = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
  return `${prefix}AWSLogs/${ACCT}/elasticloadbalancing/${region}/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/` +
    `${ACCT}_elasticloadbalancing_${region}_app.${lb}.50dc6c495c0c9188_${end}_${node}_${Math.random().toString(36).slice(2, 10)}.log.gz`;
}

/** One line per minute of the file's 5-minute window; a 502 in the last one. */
function body(endMs: number): Buffer {
  const lines = [];
  for (let m = 5; m >= 1; m--) lines.push(albLine({ time: iso(endMs - m * 60_000 + 30_000), elb: m === 1 ? '502' : '200', tstat: m === 1 ? '502' : '200' }));
  return gzipSync(lines.join('\n') + '\n');
}

describeMoto('S3 access logs on moto', (endpoint) => {
  let s3: S3Client;
  const bucket = `badgate-logs-${Date.now().toString(36)}`;
  const ends = [
    Date.UTC(2024, 1, 28, 12, 0), // another day entirely
    Date.UTC(2024, 1, 29, 23, 50),
    Date.UTC(2024, 1, 29, 23, 55), // covers 23:50–23:55: before the window
    Date.UTC(2024, 2, 1, 0, 0), // covers 23:55–00:00 across midnight and the month end
    Date.UTC(2024, 2, 1, 0, 5),
    Date.UTC(2024, 2, 1, 0, 10), // covers 00:05–00:10: overlaps until 00:06
    Date.UTC(2024, 2, 1, 0, 15),
  ];
  const sinceMs = Date.UTC(2024, 1, 29, 23, 56);
  const untilMs = Date.UTC(2024, 2, 1, 0, 6);
  const store = (): ReturnType<typeof createS3LogStore> => createS3LogStore({ bucket, endpoint: endpoint(), region: 'us-east-1', credentials });

  beforeAll(async () => {
    s3 = new S3Client({ endpoint: endpoint(), region: 'us-east-1', credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const puts: { Key: string; Body: Buffer }[] = [];
    for (const e of ends) puts.push({ Key: key('team/alb/', 'us-east-1', e), Body: body(e) });
    // Another LB in the same folder, and another region under the same account.
    puts.push({ Key: key('team/alb/', 'us-east-1', Date.UTC(2024, 2, 1, 0, 5), 'other-lb'), Body: body(Date.UTC(2024, 2, 1, 0, 5)) });
    puts.push({ Key: key('team/alb/', 'eu-west-1', Date.UTC(2024, 2, 1, 0, 5)), Body: body(Date.UTC(2024, 2, 1, 0, 5)) });
    // 1,100 files in one day (no prefix): more than one ListObjectsV2 page.
    const day = Date.UTC(2024, 4, 31, 0, 0);
    for (let i = 0; i < 1100; i++) {
      puts.push({ Key: key('', 'us-east-1', day + (i % 288) * 300_000, 'big-lb', `10.0.${Math.floor(i / 288)}.1`), Body: gzipSync(`${albLine({ time: iso(day + (i % 288) * 300_000 - 1000) })}\n`) });
    }
    for (let i = 0; i < puts.length; i += 50) {
      await Promise.all(puts.slice(i, i + 50).map((p) => s3.send(new PutObjectCommand({ Bucket: bucket, ...p }))));
    }
  }, 120_000);

  it('lists only the day folders of the window and keeps files whose interval meets it', async () => {
    const plan = await planS3(store(), 'team/alb', { sinceMs, untilMs, region: 'us-east-1', lb: 'shop-prod' });
    const endsKept = plan.objects.map((o) => /_(\d{8}T\d{4})Z_/.exec(o.key)?.[1]);
    expect(endsKept).toEqual(['20240301T0000', '20240301T0005', '20240301T0010']);
    expect(plan.roots).toEqual([`team/alb/AWSLogs/${ACCT}/elasticloadbalancing/us-east-1/`]);
    // Feb 28 is never listed: only 02/29 and 03/01 are.
    expect(plan.listed).toBe(7);
  });

  it('discovers account and regions with Delimiter listings when they are not given', async () => {
    const plan = await planS3(store(), 'team/alb/', { sinceMs, untilMs });
    expect(plan.roots.sort()).toEqual([
      `team/alb/AWSLogs/${ACCT}/elasticloadbalancing/eu-west-1/`,
      `team/alb/AWSLogs/${ACCT}/elasticloadbalancing/us-east-1/`,
    ]);
    expect(plan.objects).toHaveLength(5);
  });

  it('reads the planned files while they download and keeps only lines in the window', async () => {
    const loaded = await loadSource(`s3://${bucket}/team/alb`, { sinceMs, untilMs, region: 'us-east-1', lb: 'shop-prod', createStore: () => store() });
    const a = await analyzeInputs(loaded.inputs, { sinceMs, untilMs, concurrency: 3 });
    // Lines at 23:55:30, 23:56:30 … 00:05:30: 10 minutes of one line each, 2 of them 502s.
    expect(a).toMatchObject({ requests: 10, count502: 2, partial: false });
    expect(a.lines.outOfWindow).toBe(5);
    expect(a.causes[0].evidence[0]).toMatch(new RegExp(`^s3://${bucket}/team/alb/AWSLogs/.*\\.log\\.gz:5$`));
  });

  it('pages through more than 1,000 keys', async () => {
    const day = Date.UTC(2024, 4, 31, 0, 0);
    const plan = await planS3(store(), '', { sinceMs: day - 300_000, untilMs: day + 86_400_000, lb: 'big-lb' });
    expect(plan.objects).toHaveLength(1100);
    const a = await analyzeInputs((await loadSource(`s3://${bucket}`, { sinceMs: day - 300_000, untilMs: day + 86_400_000, lb: 'big-lb', createStore: () => store() })).inputs, { concurrency: 8 });
    expect(a.requests).toBe(1100);
  }, 60_000);

  it('runs badgate logs on an s3:// source end to end', async () => {
    let out = '';
    let err = '';
    const code = await runLogsCommand(
      { source: `s3://${bucket}/team/alb/`, since: '2024-02-29T23:56:00Z', until: '2024-03-01T00:06:00Z', lb: 'shop-prod', region: 'us-east-1', json: true },
      { out: (s) => (out += s), err: (s) => (err += s) },
      { createStore: () => store() },
    );
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ count502: 2, requests: 10, verdict: { cause: 'target-generated-502' } });
  });

  it('a missing bucket and an empty window are one-line errors with a next step', async () => {
    let err = '';
    const io = { out: () => {}, err: (s: string) => (err += s) };
    const missing = createS3LogStore({ bucket: 'no-such-bucket-badgate', endpoint: endpoint(), region: 'us-east-1', credentials });
    expect(await runLogsCommand({ source: 's3://no-such-bucket-badgate/x', since: '1h', json: false }, io, { createStore: () => missing })).toBe(2);
    expect(err).toMatch(/badgate logs: Not found: .*bucket/i);
    expect(err).toMatch(/next step:/);
    err = '';
    expect(await runLogsCommand({ source: `s3://${bucket}/team/alb`, since: '2023-01-01T00:00:00Z', until: '2023-01-01T01:00:00Z', json: false }, io, { createStore: () => store() })).toBe(2);
    expect(err).toMatch(/no log files in s3:.* for 2023-01-01T00:00:00.000Z → 2023-01-01T01:00:00.000Z/);
    expect(err.split('\n').filter(Boolean)).toHaveLength(2);
  });
});
