/** Runs the Athena queries and reads their rows into the same LogAnalysis shape. */
import { breakdownSql, classificationSql, isAllowedAthenaSql, perMinuteSql, type AlbQuerySpec, type AlbTableSpec } from './athena-sql.js';
import type { Breakdown, CauseTally, LogAnalysis, LogCause } from './types.js';

/** The narrow Athena port; src/aws/sdk/athena.ts implements it with the SDK. */
export interface AthenaQueryRunner {
  /** Runs one statement and returns its rows keyed by column name. */
  query(sql: string): Promise<Record<string, string>[]>;
}

export type AthenaSpec = AlbTableSpec & AlbQuerySpec;

const CONFIDENCE: Record<LogCause, CauseTally['confidence']> = {
  'target-generated-502': 'confirmed', 'lambda-invalid-response': 'confirmed', 'lambda-error-or-timeout': 'confirmed',
  'malformed-response': 'likely', 'response-headers-too-large': 'likely', 'target-not-listening': 'likely',
  'target-crashed-or-overloaded': 'likely', 'all-targets-unhealthy': 'likely', 'keepalive-race': 'suspected',
  'target-tls-handshake': 'suspected', 'deregistration-delay': 'suspected', unclassified: 'suspected',
  'origin-dns-failure': 'confirmed', 'timeout-mismatch': 'likely',
  'lambda-invoke-permission-missing': 'confirmed', 'apigw-integration-misconfigured': 'likely',
};

const WHY: Partial<Record<LogCause, string>> = {
  'target-generated-502': 'target_status_code is 502: the target produced it',
  'lambda-invalid-response': "the function's response is malformed or over 1 MB",
  'lambda-error-or-timeout': 'the function failed, timed out, was throttled or could not start',
  'lambda-invoke-permission-missing': "the function's resource policy does not let the ALB invoke it (LambdaAccessDenied)",
  'malformed-response': 'the target answered but its response was not accepted',
  'target-not-listening': 'the target never answered a request in the window',
  'target-tls-handshake': 'an HTTPS target that never completed a connection',
  'target-crashed-or-overloaded': 'a burst of closed connections on the target',
  'keepalive-race': 'isolated closed connections on targets that answer other requests',
};

async function run(runner: AthenaQueryRunner, sql: string): Promise<Record<string, string>[]> {
  if (!isAllowedAthenaSql(sql)) throw new Error('refusing to send a statement that is not a read');
  return runner.query(sql);
}

const num = (v: string | undefined): number => (v === undefined || v === '' ? 0 : Number(v));

/** Queries an existing table over the logs; creating it is left to the user (printed DDL). */
export async function analyzeWithAthena(runner: AthenaQueryRunner, spec: AthenaSpec): Promise<LogAnalysis> {
  const minutes = await run(runner, perMinuteSql(spec));
  const classes = await run(runner, classificationSql(spec));
  const breakdown = await run(runner, breakdownSql(spec));

  const firstMinute = Math.floor(spec.sinceMs / 60000);
  const len = Math.max(0, Math.ceil(spec.untilMs / 60000) - firstMinute);
  const total = new Array<number>(len).fill(0);
  const errors502 = new Array<number>(len).fill(0);
  let requests = 0;
  let count502 = 0;
  let first: string | undefined;
  let last: string | undefined;
  for (const r of minutes) {
    const i = Math.floor(Date.parse(r.minute) / 60000) - firstMinute;
    requests += num(r.requests);
    count502 += num(r.c502);
    if (i >= 0 && i < len) {
      total[i] += num(r.requests);
      errors502[i] += num(r.c502);
    }
    first ??= r.minute;
    last = r.minute;
  }

  const byCause = new Map<LogCause, { count: number; afterGap: number; evidence: string[] }>();
  const byGroup = new Map<string, number>();
  let lb502 = 0;
  for (const r of classes) {
    const cause = r.cause as LogCause;
    const c = byCause.get(cause) ?? { count: 0, afterGap: 0, evidence: [] };
    c.count += num(r.n);
    c.afterGap += num(r.after_idle_gap);
    if (c.evidence.length < 20) c.evidence.push(`athena:${r.first_time} ${r.target} ${r.example_trace}`);
    byCause.set(cause, c);
    byGroup.set(r.target_group_arn, (byGroup.get(r.target_group_arn) ?? 0) + num(r.n));
    if (cause !== 'target-generated-502') lb502 += num(r.n);
  }
  const causes: CauseTally[] = [...byCause.entries()]
    .map(([cause, c]) => ({ cause, count: c.count, share: count502 ? c.count / count502 : 0, confidence: CONFIDENCE[cause] ?? 'suspected', why: WHY[cause] ?? '', evidence: c.evidence }))
    .sort((x, y) => y.count - x.count);
  const race = byCause.get('keepalive-race');
  const isolated = race?.count ?? 0;
  const afterGap = race?.afterGap ?? 0;
  const closed = ['keepalive-race', 'target-crashed-or-overloaded', 'target-not-listening', 'target-tls-handshake', 'deregistration-delay']
    .reduce((s, k) => s + (byCause.get(k as LogCause)?.count ?? 0), 0);

  const rows = (kind: string): Breakdown[] => breakdown.filter((r) => r.kind === kind && num(r.c502) > 0)
    .map((r) => (kind === 'target' ? { key: r.key, count502: num(r.c502), requests: num(r.requests), rate502: num(r.requests) ? num(r.c502) / num(r.requests) : 0 } : { key: r.key, count502: num(r.c502) }));
  const byTarget = rows('target');
  const best = causes.find((c) => c.cause !== 'unclassified') ?? causes[0];
  return {
    format: 'alb',
    window: { since: new Date(spec.sinceMs).toISOString(), until: new Date(spec.untilMs).toISOString(), first, last },
    files: { count: 0, bytes: 0, errors: [] },
    lines: { total: requests, blank: 0, outOfWindow: 0, malformed: 0, malformedByReason: {}, malformedSamples: [] },
    requests, count502, rate502: requests ? count502 / requests : 0, lb502, target502: count502 - lb502,
    perMinute: { start: new Date(firstMinute * 60000).toISOString(), periodSeconds: 60, total, errors502 },
    causes,
    verdict: best
      ? { cause: best.cause, confidence: best.confidence, why: `${best.count} of ${count502} 502s: ${best.why} (Athena)`, evidence: best.evidence.slice(0, 10) }
      : { cause: null, confidence: null, why: `no 502s among ${requests} requests`, evidence: [] },
    byTarget,
    topTargetShare: count502 && byTarget.length ? byTarget[0].count502 / count502 : 0,
    targetsSeen: byTarget.length,
    byTargetGroup: [...byGroup.entries()].sort((a, b) => b[1] - a[1]).slice(0, spec.top ?? 10).map(([key, count502]) => ({ key, count502 })),
    byPath: rows('path'),
    byClient: rows('client'),
    keepalive: {
      idleGapSeconds: spec.idleGapSeconds ?? 2, connectionClosed502: closed, isolated, inBursts: closed - isolated,
      afterIdleGap: afterGap, afterIdleGapShare: isolated ? afterGap / isolated : 0,
      // The SQL does not compute the ordinary-request baseline; say so by leaving it at 0.
      baselineAfterIdleGapShare: 0, rateAfterIdleGap: 0, rateWithoutIdleGap: 0, gapHistogram502: [], gapHistogramOk: [], medianGapSeconds: null,
      signature: isolated > 0 && afterGap / isolated >= 0.5,
    },
    examples: [],
    partial: false,
    nginxKinds: {},
  };
}
