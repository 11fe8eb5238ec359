import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { chunk } from '../batch.js';
import type { MetricDataRequest, MetricResult } from '../reader.js';

// GetMetricData allows 500 queries per call.
const QUERIES_PER_CALL = 500;

export async function getMetricData(client: CloudWatchClient, req: MetricDataRequest): Promise<MetricResult[]> {
  const byId = new Map<string, MetricResult>();
  for (const batch of chunk(req.queries, QUERIES_PER_CALL)) {
    const queries: MetricDataQuery[] = batch.map((q) => ({
      Id: q.id,
      MetricStat: {
        Metric: {
          Namespace: q.namespace,
          MetricName: q.metricName,
          Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: req.periodSeconds,
        Stat: q.stat,
      },
      ReturnData: true,
    }));
    let token: string | undefined;
    do {
      const res = await client.send(new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(req.start),
        EndTime: new Date(req.end),
        ScanBy: 'TimestampAscending',
        NextToken: token,
      }));
      for (const r of res.MetricDataResults ?? []) {
        const id = r.Id ?? '';
        const entry = byId.get(id) ?? { id, timestamps: [], values: [] };
        if (r.Label) entry.label = r.Label;
        if (r.StatusCode) entry.statusCode = r.StatusCode;
        (r.Timestamps ?? []).forEach((t, i) => {
          entry.timestamps.push(new Date(t).toISOString());
          entry.values.push(r.Values?.[i] ?? 0);
        });
        byId.set(id, entry);
      }
      token = res.NextToken;
    } while (token);
  }
  // Ascending order is asked for, but moto and some pages ignore ScanBy: sort to be sure.
  for (const r of byId.values()) {
    const pairs = r.timestamps.map((t, i) => [t, r.values[i]] as const).sort((a, b) => a[0].localeCompare(b[0]));
    r.timestamps = pairs.map((p) => p[0]);
    r.values = pairs.map((p) => p[1]);
  }
  return [...byId.values()];
}
