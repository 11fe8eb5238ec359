import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { breakdownSql, classificationSql, createAlbTableSql, isAllowedAthenaSql, perMinuteSql, windowWhere } from '../../src/logs/athena-sql.js';
import { analyzeWithAthena, type AthenaQueryRunner } from '../../src/logs/athena-analysis.js';
import { createAthenaQueryRunner } from '../../src/aws/sdk/athena.js';
import { runLogsCommand } from '../../src/commands/logs.js';
import type { LogObjectStore } from '../../src/logs/log-object-store.js';

const spec = {
  database: 'default', table: 'badgate_alb_logs', bucket: 'my-logs', prefix: 'team/alb', account: '123456789012', region: 'us-east-1',
  fromDay: '2024/02/01', sinceMs: Date.UTC(2024, 1, 29, 23, 0), untilMs: Date.UTC(2024, 2, 1, 1, 0), lb: 'shop-prod', top: 5,
};

describe('Athena SQL', () => {
  it('CREATE TABLE with day partition projection over the log location', () => {
    const sql = createAlbTableSql(spec);
    expect(sql).toMatchSnapshot();
    expect(sql).toContain("LOCATION 's3://my-logs/team/alb/AWSLogs/123456789012/elasticloadbalancing/us-east-1/'");
    expect(sql).toContain("'projection.enabled' = 'true'");
    expect(sql).toContain("'projection.day.type' = 'date'");
    expect(sql).toContain("'projection.day.format' = 'yyyy/MM/dd'");
    expect(sql).toContain("'projection.day.range' = '2024/02/01,NOW'");
    expect(sql).toContain("'storage.location.template' = 's3://my-logs/team/alb/AWSLogs/123456789012/elasticloadbalancing/us-east-1/${day}'");
    expect(sql).toContain('PARTITIONED BY (day string)');
    // One column per capture group of the regex, or the SerDe fails at query time.
    const columns = sql.slice(sql.indexOf('(') + 1, sql.indexOf(')\nPARTITIONED')).split(',').length;
    const regex = /'input\.regex' = '(.*)'\n/.exec(sql)?.[1] ?? '';
    const groups = (regex.replace(/\\\\./g, '').match(/\((?!\?)/g) ?? []).length;
    expect(groups).toBe(columns);
  });

  it('the regex reads a real line with trailing fields', () => {
    const regex = /'input\.regex' = '(.*)'\n/.exec(createAlbTableSql(spec))?.[1] ?? '';
    const re = new RegExp(`^${regex.replace(/\\\\/g, '\\')}$`);
    const line = 'https 2024-03-01T00:00:01.000000Z app/shop-prod/50dc6c495c0c9188 203.0.113.7:51234 10.0.1.10:8080 0.000 0.000 -1 502 - 310 272 "GET https://shop.example.com:443/api/cart HTTP/1.1" "curl/8.5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65e6ed50-0123456789abcdef01234567" "shop.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/x" 0 2024-03-01T00:00:01.000000Z "forward" "-" "-" "10.0.1.10:8080" "-" "-" "-" TID_0123 "-" "-" "-"';
    const m = re.exec(line);
    expect(m?.slice(6, 13)).toEqual(['10.0.1.10', '8080', '0.000', '0.000', '-1', '502', '-']);
    expect(m?.[34]).toBe('TID_0123');
  });

  it('every query prunes partitions by day and filters the window and LB', () => {
    expect(windowWhere(spec)).toBe([
      "day BETWEEN '2024/02/29' AND '2024/03/01'",
      "time >= '2024-02-29T23:00:00.000Z'",
      "time < '2024-03-01T01:00:00.000Z'",
      "(elb = 'shop-prod' OR elb LIKE '%/shop-prod/%')",
    ].join('\n  AND '));
    for (const q of [perMinuteSql(spec), classificationSql(spec), breakdownSql(spec)]) {
      expect(q).toContain(windowWhere(spec));
      expect(isAllowedAthenaSql(q)).toBe(true);
    }
    expect(classificationSql(spec)).toMatchSnapshot();
    expect(breakdownSql(spec)).toContain('LIMIT 5');
  });

  it('only reads and table metadata may be sent', () => {
    expect(isAllowedAthenaSql(createAlbTableSql(spec))).toBe(false);
    expect(isAllowedAthenaSql('DROP TABLE x')).toBe(false);
    expect(isAllowedAthenaSql('INSERT INTO x SELECT 1')).toBe(false);
    expect(() => createAlbTableSql({ ...spec, table: 'x; DROP TABLE y' })).toThrow(/identifier/);
  });
});

describe('Athena runner (SDK, mocked)', () => {
  it('starts, polls and pages results, skipping the header row', async () => {
    const athena = mockClient(AthenaClient);
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    const meta = { ColumnInfo: [{ Name: 'minute', Type: 'varchar' }, { Name: 'requests', Type: 'bigint' }] };
    athena.on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: undefined }).resolves({
      NextToken: 't2', ResultSet: { ResultSetMetadata: meta, Rows: [{ Data: [{ VarCharValue: 'minute' }, { VarCharValue: 'requests' }] }, { Data: [{ VarCharValue: '2024-03-01T00:00:00.000Z' }, { VarCharValue: '7' }] }] },
    });
    athena.on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: 't2' }).resolves({
      ResultSet: { ResultSetMetadata: meta, Rows: [{ Data: [{ VarCharValue: '2024-03-01T00:01:00.000Z' }, { VarCharValue: '9' }] }] },
    });
    const runner = createAthenaQueryRunner({ client: new AthenaClient({ region: 'us-east-1' }), sleep: async () => {}, outputLocation: 's3://out/', workGroup: 'primary' });
    expect(await runner.query('SELECT 1')).toEqual([
      { minute: '2024-03-01T00:00:00.000Z', requests: '7' },
      { minute: '2024-03-01T00:01:00.000Z', requests: '9' },
    ]);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toMatchObject({ QueryString: 'SELECT 1', WorkGroup: 'primary', ResultConfiguration: { OutputLocation: 's3://out/' } });
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(2);
    await expect(runner.query('DELETE FROM t')).rejects.toThrow(/not a read/);
    athena.restore();
  });

  it('a failed query says why', async () => {
    const athena = mockClient(AthenaClient);
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: line 1:15' } } });
    const runner = createAthenaQueryRunner({ client: new AthenaClient({ region: 'us-east-1' }), sleep: async () => {} });
    await expect(runner.query('SELECT 1')).rejects.toThrow(/q2 failed: TABLE_NOT_FOUND/);
    athena.restore();
  });
});

/** Answers each query kind with canned rows. */
function fakeRunner(sent: string[]): AthenaQueryRunner {
  return {
    async query(sql) {
      sent.push(sql);
      if (sql.startsWith('CREATE')) return [];
      if (sql.includes('AS minute')) return [{ minute: '2024-02-29T23:10:00.000Z', requests: '100', c502: '3' }, { minute: '2024-02-29T23:11:00.000Z', requests: '100', c502: '0' }];
      if (sql.includes('AS cause')) {
        return [
          { cause: 'keepalive-race', target: '10.0.1.10:8080', target_group_arn: 'tg/web', n: '2', after_idle_gap: '2', first_time: '2024-02-29T23:10:05Z', example_trace: 'Root=1-a' },
          { cause: 'target-generated-502', target: '10.0.1.11:8080', target_group_arn: 'tg/web', n: '1', after_idle_gap: '0', first_time: '2024-02-29T23:10:09Z', example_trace: 'Root=1-b' },
        ];
      }
      return [
        { kind: 'target', key: '10.0.1.10:8080', requests: '100', c502: '2' },
        { kind: 'target', key: '10.0.1.11:8080', requests: '100', c502: '1' },
        { kind: 'path', key: '/api/cart', requests: '3', c502: '3' },
        { kind: 'client', key: '203.0.113.7', requests: '3', c502: '3' },
      ];
    },
  };
}

describe('Athena results in the analysis shape', () => {
  it('reads the rows into the same LogAnalysis', async () => {
    const sent: string[] = [];
    const a = await analyzeWithAthena(fakeRunner(sent), spec);
    expect(sent.map((s) => s.slice(0, 6))).toEqual(['SELECT', 'WITH b', 'WITH w']);
    expect(a).toMatchObject({
      requests: 200, count502: 3, lb502: 2, target502: 1,
      verdict: { cause: 'keepalive-race' },
      byTarget: [{ key: '10.0.1.10:8080', count502: 2, requests: 100 }, { key: '10.0.1.11:8080', count502: 1 }],
      byPath: [{ key: '/api/cart', count502: 3 }],
      keepalive: { isolated: 2, afterIdleGap: 2, signature: true },
    });
    expect(a.perMinute.errors502[10]).toBe(3);
    expect(a.perMinute.total).toHaveLength(120);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

function memoryStore(bucket: string, objects: Record<string, number>): LogObjectStore {
  return {
    bucket,
    async *list(prefix) {
      for (const [key, size] of Object.entries(objects)) if (key.startsWith(prefix)) yield { key, size };
    },
    async listPrefixes(prefix) {
      const out = new Set<string>();
      for (const key of Object.keys(objects)) if (key.startsWith(prefix)) out.add(prefix + key.slice(prefix.length).split('/')[0] + '/');
      return [...out];
    },
    async get() {
      return Readable.from([]);
    },
  };
}

describe('badgate logs offers Athena for big windows', () => {
  const key = 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/03/01/123456789012_elasticloadbalancing_us-east-1_app.shop-prod.50dc6c495c0c9188_20240301T0005Z_10.0.0.1_abc.log.gz';
  const opts = { source: 's3://my-logs/', since: '2024-03-01T00:00:00Z', until: '2024-03-01T00:10:00Z', json: false, maxDownloadBytes: 1000 };

  it('prints the CREATE TABLE and the query instead of downloading', async () => {
    let out = '';
    let err = '';
    const code = await runLogsCommand(opts, { out: (s) => (out += s), err: (s) => (err += s) }, { createStore: (b) => memoryStore(b, { [key]: 6 * 1024 ** 3 }) });
    expect(code).toBe(2);
    expect(err).toMatch(/6\.0 GB compressed: too much to download/);
    expect(err).toMatch(/--athena/);
    expect(out).toContain("LOCATION 's3://my-logs/AWSLogs/123456789012/elasticloadbalancing/us-east-1/'");
    expect(out).toContain('AS cause');
  });

  it('with --athena runs the queries and prints the same report', async () => {
    let out = '';
    const sent: string[] = [];
    const code = await runLogsCommand({ ...opts, athena: true, json: true }, { out: (s) => (out += s), err: () => {} }, {
      createStore: (b) => memoryStore(b, { [key]: 6 * 1024 ** 3 }),
      createAthena: () => fakeRunner(sent),
    });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ count502: 3, verdict: { cause: 'keepalive-race' } });
    expect(sent.every((q) => /^(SELECT|WITH)/.test(q))).toBe(true);
  });

  it('with --athena and no table yet, prints the CREATE TABLE for the user to run and sends no write', async () => {
    let out = '';
    let err = '';
    const sent: string[] = [];
    const code = await runLogsCommand({ ...opts, athena: true }, { out: (s) => (out += s), err: (s) => (err += s) }, {
      createStore: (b) => memoryStore(b, { [key]: 6 * 1024 ** 3 }),
      createAthena: () => ({ async query(sql) { sent.push(sql); throw new Error('q1 failed: TABLE_NOT_FOUND: line 3:6: Table awsdatacatalog.default.badgate_alb_logs does not exist'); } }),
    });
    expect(code).toBe(2);
    expect(out).toContain("'storage.location.template' = 's3://my-logs/AWSLogs/123456789012/elasticloadbalancing/us-east-1/${day}'");
    expect(err).toContain('does not exist yet');
    expect(sent.some((q) => q.startsWith('CREATE'))).toBe(false);
  });
});
