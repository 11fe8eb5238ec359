/**
 * SQL for reading ALB logs in place with Athena when the window is too big to download:
 * a table over the documented log format with partition projection on the day folder
 * (no MSCK REPAIR, no crawler), and queries that reproduce the analysis in SQL.
 */

export interface AlbTableSpec {
  database: string;
  table: string;
  bucket: string;
  /** The access_logs.s3.prefix, without AWSLogs (may be empty). */
  prefix: string;
  account: string;
  region: string;
  /** First day the projection covers, yyyy/MM/dd. */
  fromDay: string;
}

export interface AlbQuerySpec {
  database: string;
  table: string;
  sinceMs: number;
  untilMs: number;
  lb?: string;
  idleGapSeconds?: number;
  top?: number;
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function ident(s: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`"${s}" is not a valid Athena identifier (letters, digits, _)`);
  return s;
}

/** `yyyy/MM/dd` of a UTC instant. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

export function logLocation(spec: Pick<AlbTableSpec, 'bucket' | 'prefix' | 'account' | 'region'>): string {
  const prefix = spec.prefix.replace(/^\/+|\/+$/g, '');
  return `s3://${spec.bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/${spec.account}/elasticloadbalancing/${spec.region}/`;
}

// The AWS-documented RegexSerDe pattern for ALB logs; the optional tail `( .*)?` keeps
// lines with fields added after this was written.
const ALB_REGEX =
  '([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) ' +
  '\\"([^ ]*) (.*) (- |[^ ]*)\\" \\"([^\\"]*)\\" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) \\"([^\\"]*)\\" \\"([^\\"]*)\\" \\"([^\\"]*)\\" ' +
  '([-.0-9]*) ([^ ]*) \\"([^\\"]*)\\" \\"([^\\"]*)\\" \\"([^ ]*)\\" \\"([^\\s]+?)\\" \\"([^\\s]+)\\" \\"([^ ]*)\\" \\"([^ ]*)\\" ?([^ ]*)?( .*)?';

export function createAlbTableSql(spec: AlbTableSpec): string {
  const location = logLocation(spec);
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${ident(spec.database)}.${ident(spec.table)} (
  type string,
  time string,
  elb string,
  client_ip string,
  client_port int,
  target_ip string,
  target_port int,
  request_processing_time double,
  target_processing_time double,
  response_processing_time double,
  elb_status_code int,
  target_status_code string,
  received_bytes bigint,
  sent_bytes bigint,
  request_verb string,
  request_url string,
  request_proto string,
  user_agent string,
  ssl_cipher string,
  ssl_protocol string,
  target_group_arn string,
  trace_id string,
  domain_name string,
  chosen_cert_arn string,
  matched_rule_priority string,
  request_creation_time string,
  actions_executed string,
  redirect_url string,
  lambda_error_reason string,
  target_port_list string,
  target_status_code_list string,
  classification string,
  classification_reason string,
  conn_trace_id string,
  extra_fields string
)
PARTITIONED BY (day string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES (
  'serialization.format' = '1',
  'input.regex' = '${ALB_REGEX}'
)
LOCATION ${lit(location)}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.day.type' = 'date',
  'projection.day.range' = '${spec.fromDay},NOW',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'storage.location.template' = '${location}\${day}'
)`;
}

/** WHERE clause shared by every query: partitions first (so Athena prunes), then time and LB. */
export function windowWhere(q: AlbQuerySpec): string {
  // A file ending up to 5 minutes after `until` holds lines from the window; partitions are by end day.
  const parts = [
    `day BETWEEN ${lit(dayOf(q.sinceMs))} AND ${lit(dayOf(q.untilMs + 5 * 60_000))}`,
    `time >= ${lit(new Date(q.sinceMs).toISOString())}`,
    `time < ${lit(new Date(q.untilMs).toISOString())}`,
  ];
  if (q.lb) parts.push(`(elb = ${lit(q.lb)} OR elb LIKE ${lit(`%/${q.lb}/%`)})`);
  return parts.join('\n  AND ');
}

function table(q: AlbQuerySpec): string {
  return `${ident(q.database)}.${ident(q.table)}`;
}

export function perMinuteSql(q: AlbQuerySpec): string {
  return `SELECT to_iso8601(date_trunc('minute', from_iso8601_timestamp(time))) AS minute,
  count(*) AS requests,
  count_if(elb_status_code = 502) AS c502
FROM ${table(q)}
WHERE ${windowWhere(q)}
GROUP BY 1
ORDER BY 1`;
}

/**
 * One row per (cause, target, target group): the same rules as the streaming analyzer,
 * with window functions for the previous response on the target and the per-minute burst.
 */
export function classificationSql(q: AlbQuerySpec): string {
  const gapMs = (q.idleGapSeconds ?? 2) * 1000;
  return `WITH base AS (
  SELECT *,
    from_iso8601_timestamp(time) AS t_end,
    from_iso8601_timestamp(IF(request_creation_time LIKE '____-__-__T%', request_creation_time, time)) AS t_req,
    concat(target_ip, ':', coalesce(CAST(target_port AS varchar), '')) AS target
  FROM ${table(q)}
  WHERE ${windowWhere(q)}
),
seq AS (
  SELECT *,
    max(IF(target_status_code <> '-', t_end)) OVER (PARTITION BY target ORDER BY t_end ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_response,
    sum(IF(elb_status_code = 502 AND target_status_code = '-' AND lambda_error_reason = '-' AND target_ip <> '' AND NOT (request_processing_time >= 0 AND target_processing_time >= 0 AND response_processing_time >= 0), 1, 0))
      OVER (PARTITION BY target, date_trunc('minute', t_req)) AS closed_in_minute,
    count(*) OVER (PARTITION BY target, date_trunc('minute', t_req)) AS requests_in_minute,
    sum(IF(target_status_code <> '-', 1, 0)) OVER (PARTITION BY target) AS target_responded
  FROM base
),
classified AS (
  SELECT *,
    CASE
      WHEN target_status_code = '502' THEN 'target-generated-502'
      WHEN lambda_error_reason IN ('LambdaInvalidResponse', 'LambdaResponseTooLarge') THEN 'lambda-invalid-response'
      WHEN lambda_error_reason = 'LambdaAccessDenied' THEN 'lambda-invoke-permission-missing'
      WHEN lambda_error_reason LIKE 'Lambda%' THEN 'lambda-error-or-timeout'
      WHEN lambda_error_reason <> '-' OR target_status_code <> '-' OR target_ip = '' THEN 'unclassified'
      WHEN request_processing_time >= 0 AND target_processing_time >= 0 AND response_processing_time >= 0 THEN 'malformed-response'
      WHEN target_responded = 0 THEN IF(target_port IN (443, 8443), 'target-tls-handshake', 'target-not-listening')
      WHEN closed_in_minute >= 3 AND closed_in_minute * 2 >= requests_in_minute THEN 'target-crashed-or-overloaded'
      ELSE 'keepalive-race'
    END AS cause,
    prev_response IS NOT NULL AND date_diff('millisecond', prev_response, t_req) >= ${gapMs} AS after_idle_gap
  FROM seq
  WHERE elb_status_code = 502
)
SELECT cause, target, target_group_arn,
  count(*) AS n,
  count_if(after_idle_gap) AS after_idle_gap,
  min(time) AS first_time,
  arbitrary(trace_id) AS example_trace
FROM classified
GROUP BY cause, target, target_group_arn
ORDER BY n DESC`;
}

/** Top targets (with their request counts), paths and clients for the 502s. */
export function breakdownSql(q: AlbQuerySpec): string {
  const top = Math.max(1, Math.floor(q.top ?? 10));
  return `WITH w AS (
  SELECT concat(target_ip, ':', coalesce(CAST(target_port AS varchar), '')) AS target,
    url_extract_path(request_url) AS path, client_ip, elb_status_code
  FROM ${table(q)}
  WHERE ${windowWhere(q)}
)
SELECT kind, key, requests, c502 FROM (
  SELECT 'target' AS kind, target AS key, count(*) AS requests, count_if(elb_status_code = 502) AS c502
  FROM w GROUP BY target ORDER BY c502 DESC LIMIT ${top}
)
UNION ALL
SELECT kind, key, requests, c502 FROM (
  SELECT 'path' AS kind, path AS key, count(*) AS requests, count(*) AS c502
  FROM w WHERE elb_status_code = 502 GROUP BY path ORDER BY c502 DESC LIMIT ${top}
)
UNION ALL
SELECT kind, key, requests, c502 FROM (
  SELECT 'client' AS kind, client_ip AS key, count(*) AS requests, count(*) AS c502
  FROM w WHERE elb_status_code = 502 GROUP BY client_ip ORDER BY c502 DESC LIMIT ${top}
)`;
}

/** Only these statements may be sent: reads, and table metadata that touches no data. */
export function isAllowedAthenaSql(sql: string): boolean {
  const s = sql.trimStart().toUpperCase();
  // Read-only toward AWS: even a CREATE TABLE writes to the Glue catalog, so the user runs that one.
  return s.startsWith('SELECT') || s.startsWith('WITH');
}
