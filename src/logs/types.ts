/**
 * Shapes shared by the log parsers, the analyzer and the command. Everything that leaves
 * src/logs (LogAnalysis, NginxAnalysis) is plain JSON: no Maps, Dates or class instances.
 */

/** Cause ids from the catalog (flows/causes.yaml) that a log line can point to. */
export type LogCauseId =
  | 'keepalive-race'
  | 'target-not-listening'
  | 'target-crashed-or-overloaded'
  | 'all-targets-unhealthy'
  | 'target-tls-handshake'
  | 'malformed-response'
  | 'response-headers-too-large'
  | 'deregistration-delay'
  | 'target-generated-502'
  | 'lambda-invalid-response'
  | 'lambda-error-or-timeout'
  // ALB error_reason LambdaAccessDenied: the function's resource policy does not let the ALB invoke it.
  | 'lambda-invoke-permission-missing'
  // CloudFront standard logs: OriginDnsError, OriginCommError.
  | 'origin-dns-failure'
  | 'timeout-mismatch'
  // API Gateway execution and access logs.
  | 'lambda-invoke-permission-missing'
  | 'apigw-integration-misconfigured';

/** A 502 the analyzer could not tie to a cause (e.g. WAF or authenticate errors). */
export type LogCause = LogCauseId | 'unclassified';

export type LogFormat = 'alb' | 'clb' | 'nginx-error' | 'appgw' | 'cloudfront' | 'apigw-access' | 'apigw-execution' | 'lambda';

/** `file:line`, the unit of evidence every finding cites. */
export type LineRef = string;

export interface MalformedSample {
  ref: LineRef;
  reason: string;
  /** The start of the offending line (cut to 200 characters). */
  text: string;
}

/** One ALB or CLB access-log line, parsed in full (only done for 502s and on demand). */
export interface AccessRecord {
  format: 'alb' | 'clb';
  type: string;
  /** ISO time the LB finished the response (ALB) / received the request (CLB). */
  time: string;
  elb: string;
  client: string;
  /** `ip:port`, or `-` (Lambda, WAF block, no full request). */
  target: string;
  requestProcessingTime: number;
  targetProcessingTime: number;
  responseProcessingTime: number;
  elbStatusCode: number | null;
  /** Numeric status, or null when the field is `-` (no response from the target). */
  targetStatusCode: number | null;
  receivedBytes: number;
  sentBytes: number;
  request: string;
  method: string;
  url: string;
  path: string;
  userAgent: string;
  sslCipher: string;
  sslProtocol: string;
  targetGroupArn: string;
  traceId: string;
  domainName: string;
  chosenCertArn: string;
  matchedRulePriority: string;
  requestCreationTime: string;
  actionsExecuted: string;
  redirectUrl: string;
  errorReason: string;
  targetPortList: string;
  targetStatusCodeList: string;
  classification: string;
  classificationReason: string;
  connTraceId: string;
  transformedHost: string;
  transformedUri: string;
  requestTransformStatus: string;
  /** Fields AWS appended after the ones documented when this was written. */
  extra: string[];
}

export interface NginxErrorRecord {
  time: string;
  level: string;
  pid: number;
  connection: number | null;
  message: string;
  client: string;
  server: string;
  request: string;
  upstream: string;
  host: string;
}

/** Counts a consumer can show while work is under way. */
export interface LogProgress {
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  /** Bytes read from the source (compressed size for .gz). */
  bytesRead: number;
  lines: number;
  count502: number;
  /** The input being read right now, for a status line. */
  current?: string;
}

export interface SourceError {
  source: string;
  message: string;
  nextStep?: string;
}

export interface Breakdown {
  key: string;
  count502: number;
  /** All requests seen for this key (only known for targets). */
  requests?: number;
  rate502?: number;
}

export interface CauseTally {
  cause: LogCause;
  count: number;
  share: number;
  confidence: 'confirmed' | 'likely' | 'suspected';
  why: string;
  evidence: LineRef[];
  /** Causes this line pattern cannot be told apart from. */
  alternatives?: LogCauseId[];
}

export interface KeepaliveSignature {
  /** Threshold N: a 502 follows an idle gap when the previous response on that target ended ≥ N s earlier. */
  idleGapSeconds: number;
  /** ALB-generated 502s with no target response (connection closed or reset). */
  connectionClosed502: number;
  isolated: number;
  inBursts: number;
  afterIdleGap: number;
  afterIdleGapShare: number;
  /** Same share for the answered requests on those same targets (and ALB nodes): the baseline. */
  baselineAfterIdleGapShare: number;
  /** Share of requests after an idle gap (N s ≤ gap ≤ LB idle timeout) on those targets that failed this way. */
  rateAfterIdleGap: number;
  /** Same for requests that came less than N s after the previous response: the comparison. */
  rateWithoutIdleGap: number;
  /** Gaps (s) before isolated connection-closed 502s: [<1, 1–2, 2–5, 5–10, 10–30, 30–60, ≥60]. */
  gapHistogram502: number[];
  gapHistogramOk: number[];
  /** Median idle gap before the 502s; near the backend's keep-alive timeout when the race is real. */
  medianGapSeconds: number | null;
  /** True when most isolated 502s follow idle gaps and requests after a gap fail ≥ 3× as often as others. */
  signature: boolean;
}

export interface PerMinute {
  start: string;
  periodSeconds: number;
  total: number[];
  errors502: number[];
  /** The minute with the most 502s (inside a wider bucket when periodSeconds > 60); absent with no 502s. */
  peak502?: { minute: string; count: number };
}

export interface Verdict {
  cause: LogCause | null;
  confidence: 'confirmed' | 'likely' | 'suspected' | null;
  why: string;
  evidence: LineRef[];
}

export interface LogAnalysis {
  format: LogFormat | 'mixed' | 'none';
  window: { since?: string; until?: string; first?: string; last?: string };
  files: { count: number; bytes: number; errors: SourceError[] };
  lines: {
    total: number;
    blank: number;
    outOfWindow: number;
    malformed: number;
    malformedByReason: Record<string, number>;
    malformedSamples: MalformedSample[];
  };
  requests: number;
  count502: number;
  rate502: number;
  /** 502s the LB generated itself (target_status_code `-`) vs passed through from a target. */
  lb502: number;
  target502: number;
  perMinute: PerMinute;
  causes: CauseTally[];
  verdict: Verdict;
  byTarget: Breakdown[];
  /** Share of 502s on the worst target; near 1 with several targets means one bad target. */
  topTargetShare: number;
  targetsSeen: number;
  byTargetGroup: Breakdown[];
  byPath: Breakdown[];
  byClient: Breakdown[];
  keepalive: KeepaliveSignature;
  examples: { cause: LogCause; ref: LineRef; line: string }[];
  /** True when a source failed part-way: the counts cover only what was read. */
  partial: boolean;
  /** Present when the memory budget for per-target history was reached: what became approximate. */
  notes?: string[];
  /** nginx error-log lines by kind (refused, reset, …), timeouts and non-502 kinds included. */
  nginxKinds: Record<string, number>;
  /** nginx error logs: the upstream failures that make a 502, by request method (`POST: 12`). */
  nginxMethods?: Record<string, number>;
}
