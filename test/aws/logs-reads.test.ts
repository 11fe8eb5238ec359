// The CloudWatch Logs reads against moto_server over HTTP: FilterLogEvents with a quoted
// filter pattern and a limit that spans pages, DescribeLogGroups by prefix, and a Logs
// Insights query (moto's parser takes only fields, sort and limit) polled until Complete.
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createRecordingReader, createReplayReader, newRecording } from '../../src/aws/recorded.js';
import type { AwsReader } from '../../src/aws/reader.js';
import { queryLogs } from '../../src/aws/sdk/logs-reads.js';
import { describeMoto, newAccount } from '../helpers/moto.js';
import { eventsAt, seedLogGroup } from '../helpers/seed-logs.js';

describeMoto('logs reads against moto', (endpoint) => {
  it('filters by phrase, stops at the limit, lists groups and runs an Insights query', async () => {
    const acct = await newAccount(endpoint());
    const now = Date.now();
    const group = 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod';
    // Lines as the Knowledge Center shows them (https://repost.aws/knowledge-center/malformed-502-api-gateway).
    const lines = Array.from({ length: 30 }, (_, i) => i % 2 === 0
      ? `(req-${i}) Execution failed due to configuration error: Malformed Lambda proxy response`
      : `(req-${i - 1}) Method completed with status: 502`);
    await seedLogGroup(acct, group, eventsAt(now, lines));
    await seedLogGroup(acct, '/aws/lambda/orders', []);
    const reader = acct.reader();

    const failed = await reader.filterLogEvents({ logGroupName: group, filterPattern: '"Malformed Lambda proxy response"', startTime: now - 3_600_000, endTime: now + 1000, limit: 100 });
    expect(failed).toHaveLength(15);
    expect(failed[0]).toMatchObject({ message: '(req-0) Execution failed due to configuration error: Malformed Lambda proxy response' });
    expect(failed.every((e) => e.timestamp > now - 60_000)).toBe(true);
    const capped = await reader.filterLogEvents({ logGroupName: group, startTime: now - 3_600_000, endTime: now + 1000, limit: 7 });
    expect(capped).toHaveLength(7);
    // Outside the window: nothing.
    expect(await reader.filterLogEvents({ logGroupName: group, startTime: now - 7_200_000, endTime: now - 3_600_000, limit: 10 })).toEqual([]);
    await expect(reader.filterLogEvents({ logGroupName: 'API-Gateway-Execution-Logs_nope/prod', startTime: 0, endTime: now, limit: 10 })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    expect((await reader.describeLogGroups('API-Gateway-Execution-Logs_')).map((g) => g.name)).toEqual([group]);
    expect(await reader.describeLogGroups('/aws/lambda/nothing')).toEqual([]);

    const q = await reader.queryLogs({ logGroupNames: [group], queryString: 'fields @timestamp, @message | sort @timestamp desc | limit 5', startTime: now - 3_600_000, endTime: now + 1000, limit: 5 }, new AbortController().signal);
    expect(q.status).toBe('Complete');
    expect(q.rows).toHaveLength(5);
    expect(q.rows[0]['@message']).toBe('(req-28) Method completed with status: 502');
  });
});

describe('Logs Insights polling', () => {
  const q = { logGroupNames: ['/aws/apigateway/x'], queryString: 'fields @timestamp, @message | limit 5', startTime: 1_700_000_000_500, endTime: 1_700_000_600_000, limit: 5 };

  it('polls until Complete, sends whole seconds, and returns rows as field maps', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs.on(GetQueryResultsCommand).resolvesOnce({ status: 'Running' }).resolves({ status: 'Complete', results: [[{ field: '@timestamp', value: '2026-12-03 08:00:01.000' }, { field: '@message', value: '{"status":"502"}' }, { field: '@ptr', value: 'abc' }]] });
    const res = await queryLogs(new CloudWatchLogsClient({ region: 'us-east-1' }), q, undefined, { intervalMs: 1 });
    expect(res).toEqual({ status: 'Complete', rows: [{ '@timestamp': '2026-12-03 08:00:01.000', '@message': '{"status":"502"}', '@ptr': 'abc' }] });
    expect(logs.commandCalls(StartQueryCommand)[0].args[0].input).toMatchObject({ startTime: 1_700_000_000, endTime: 1_700_000_600, limit: 5 });
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
    expect(logs.commandCalls(StopQueryCommand)).toHaveLength(0);
    logs.restore();
  });

  it('stops its query when the check is cancelled, and when it runs too long', async () => {
    const logs = mockClient(CloudWatchLogsClient);
    logs.on(StartQueryCommand).resolves({ queryId: 'q-2' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logs.on(StopQueryCommand).resolves({ success: true });
    const client = new CloudWatchLogsClient({ region: 'us-east-1' });
    const ac = new AbortController();
    const pending = queryLogs(client, q, ac.signal, { intervalMs: 20 });
    setTimeout(() => ac.abort(new Error('cancelled')), 30);
    await expect(pending).rejects.toThrow('cancelled');
    expect(logs.commandCalls(StopQueryCommand)[0].args[0].input).toEqual({ queryId: 'q-2' });
    await expect(queryLogs(client, q, undefined, { intervalMs: 1, timeoutMs: 10 })).rejects.toMatchObject({ name: 'LogsQueryTimeoutError' });
    expect(logs.commandCalls(StopQueryCommand)).toHaveLength(2);
    logs.restore();
  });
});

describe('recorded log reads', () => {
  it('replay on a later run: the window is not part of the key, and events move with it', async () => {
    const events = [{ timestamp: 1_000_500, message: '(r1) Method completed with status: 502' }];
    const live = { region: 'us-east-1', filterLogEvents: async () => events } as unknown as AwsReader;
    const rec = newRecording('us-east-1', 'test');
    await createRecordingReader(live, rec).filterLogEvents({ logGroupName: 'g', filterPattern: '"Method completed"', startTime: 0, endTime: 1_001_000, limit: 10 });
    const replay = createReplayReader(rec);
    const later = await replay.filterLogEvents({ logGroupName: 'g', filterPattern: '"Method completed"', startTime: 5_000_000, endTime: 6_001_000, limit: 10 });
    expect(later).toEqual([{ timestamp: 6_000_500, message: '(r1) Method completed with status: 502' }]);
  });
});
