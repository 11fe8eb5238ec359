// The CloudWatch Logs reads against moto_server over HTTP: FilterLogEvents with a quoted
// filter pattern and a limit that spans pages, DescribeLogGroups by prefix, and a Logs
// Insights query (moto's parser takes only fields, sort and limit) polled until Complete.
import { expect, it } from 'vitest';
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
