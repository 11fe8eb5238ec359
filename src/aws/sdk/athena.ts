/**
 * AthenaQueryRunner over the SDK. Sends only StartQueryExecution, GetQueryExecution and
 * GetQueryResults, and only statements isAllowedAthenaSql accepts.
 */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { AthenaQueryRunner } from '../../logs/athena-analysis.js';
import { isAllowedAthenaSql } from '../../logs/athena-sql.js';
import { resolveClientConfig, type SdkOptions } from './client-config.js';

export interface AthenaRunnerOptions extends SdkOptions {
  workGroup?: string;
  /** s3://bucket/path/ for results, unless the workgroup sets one. */
  outputLocation?: string;
  database?: string;
  pollMs?: number;
  timeoutMs?: number;
  client?: AthenaClient;
  sleep?: (ms: number) => Promise<void>;
}

export class AthenaQueryError extends Error {
  override readonly name = 'AthenaQueryError';
}

export function createAthenaQueryRunner(opts: AthenaRunnerOptions = {}): AthenaQueryRunner {
  const client = opts.client ?? new AthenaClient(resolveClientConfig(opts));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const poll = opts.pollMs ?? 1000;
  const timeout = opts.timeoutMs ?? 15 * 60_000;
  return {
    async query(sql: string): Promise<Record<string, string>[]> {
      if (!isAllowedAthenaSql(sql)) throw new AthenaQueryError('refusing to send a statement that is not a read');
      const start = await client.send(new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: opts.workGroup,
        QueryExecutionContext: opts.database ? { Database: opts.database } : undefined,
        ResultConfiguration: opts.outputLocation ? { OutputLocation: opts.outputLocation } : undefined,
      }));
      const id = start.QueryExecutionId;
      if (!id) throw new AthenaQueryError('Athena returned no query execution id');
      const began = Date.now();
      for (;;) {
        const ex = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
        const state = ex.QueryExecution?.Status?.State;
        if (state === 'SUCCEEDED') break;
        if (state === 'FAILED' || state === 'CANCELLED') {
          throw new AthenaQueryError(`Athena query ${id} ${state.toLowerCase()}: ${ex.QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`);
        }
        if (Date.now() - began > timeout) throw new AthenaQueryError(`Athena query ${id} still running after ${Math.round(timeout / 1000)} s`);
        await sleep(poll);
      }
      const rows: Record<string, string>[] = [];
      let columns: string[] | null = null;
      let token: string | undefined;
      let first = true;
      do {
        const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
        columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
        const data = page.ResultSet?.Rows ?? [];
        // The first row of the first page repeats the column names for SELECTs.
        for (let i = first && data.length && columns.length ? 1 : 0; i < data.length; i++) {
          const row: Record<string, string> = {};
          (data[i].Data ?? []).forEach((d, j) => {
            row[(columns as string[])[j] ?? `c${j}`] = d.VarCharValue ?? '';
          });
          rows.push(row);
        }
        first = false;
        token = page.NextToken;
      } while (token);
      return rows;
    },
  };
}
