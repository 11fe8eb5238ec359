import { collectLogs, findingsOf, seriesOf, type LogsEvidence } from './logs-access-log.js';
import { sparkline } from '../logs/sparkline.js';
import { NEXT_STEP } from '../logs/next-steps.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';

/** nginx kinds that answer the client with a 502, in the order a tie is broken. */
const KINDS_502 = ['no-live-upstreams', 'refused', 'ssl', 'too-big-header', 'invalid-header', 'reset', 'prematurely-closed'] as const;

/** Methods nginx does not retry once the request was sent (ngx_http_upstream_next), unless proxy_next_upstream has non_idempotent. */
const NON_IDEMPOTENT = new Set(['POST', 'LOCK', 'PATCH']);

/**
 * An error-log line is one failed try, not one client 502: on a reused connection nginx tries
 * idempotent requests again, so those lines often ended well for the client; POST, PATCH, LOCK did not.
 */
function methodLine(byMethod: Record<string, number> | undefined, kind: string): { line: string; nonIdempotent: number } | undefined {
  const entries = Object.entries(byMethod ?? {}).sort((x, y) => y[1] - x[1]);
  if (!entries.length) return undefined;
  const nonIdempotent = entries.filter(([m]) => NON_IDEMPOTENT.has(m)).reduce((s, [, c]) => s + c, 0);
  const list = entries.map(([m, c]) => `${m} ${c}`).join(', ');
  if (kind !== 'reset' && kind !== 'prematurely-closed') return { line: `By method: ${list}.`, nonIdempotent };
  return {
    nonIdempotent,
    line: `By method: ${list}. Each line is one failed try: nginx tries the other methods (GET, HEAD, PUT, DELETE, …) again on another connection (proxy_next_upstream error timeout, the default), so those often ended as a 200; ${nonIdempotent} on POST/PATCH/LOCK, which nginx does not retry once sent, reached the client as 502.`,
  };
}

export function evaluateNginxError(ev: LogsEvidence): CheckResult {
  const a = ev.analysis;
  const kinds = a?.nginxKinds ?? {};
  const total = Object.values(kinds).reduce((s, n) => s + n, 0);
  if (!a || total === 0) {
    return {
      status: 'warn', outcome: 'no-logs',
      summary: ev.problem?.message ?? `no nginx error-log lines in ${ev.source || 'the source'} for the window`,
      nextStep: ev.problem?.nextStep ?? 'pass the error log (often /var/log/nginx/error.log; see error_log in nginx.conf)',
      sources: ev.sources,
    };
  }
  const counts = KINDS_502.map((k) => [k, kinds[k] ?? 0] as const).filter(([, n]) => n > 0);
  const facts: Facts = {
    'logs.nginx.count502': a.count502,
    'logs.nginx.topUpstream': a.byTarget[0]?.key ?? '',
    'logs.nginx.sparkline': sparkline(a.perMinute.errors502, 60),
    'logs.nginx.timeouts': kinds.timeout ?? 0,
  };
  const details = Object.entries(kinds).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k}: ${n}`);
  if (kinds.timeout) details.push(`${kinds.timeout} upstream timeouts: nginx answers those with 504, not 502`);
  if (counts.length === 0) {
    return { status: 'pass', outcome: 'clean', summary: `No upstream errors that make a 502 in ${total} error-log lines`, facts, details, sources: ev.sources };
  }
  const [kind, n] = [...counts].sort((x, y) => y[1] - x[1])[0];
  facts['logs.nginx.kind'] = kind;
  const methods = methodLine(a.nginxMethods, kind);
  if (methods) {
    facts['logs.nginx.nonIdempotent'] = methods.nonIdempotent;
    details.push(methods.line);
  }
  const cause = a.verdict.cause ?? 'unclassified';
  for (const t of a.byTarget.slice(0, 5)) details.push(`upstream ${t.key}: ${t.count502}`);
  details.push(`Next step: ${NEXT_STEP[cause]}`);
  return {
    status: 'fail',
    outcome: kind,
    summary: `${a.count502} upstream errors that make a 502; most are ${kind} (${n}), pointing to ${cause}`,
    details,
    facts,
    findings: findingsOf(a),
    series: seriesOf(a)?.slice(0, 1),
    sources: ev.sources,
  };
}

export const logsNginxError: Check<LogsEvidence> = {
  meta: {
    id: 'logs.nginx-error',
    title: 'nginx error log: which upstream failure made the 502s',
    docs: 'https://nginx.org/en/docs/http/ngx_http_upstream_module.html',
    apis: ['probe:file'],
    params: {
      source: { description: 'The nginx error log (file, directory or glob)', required: true },
      since: { description: 'Start of the window (duration or ISO time); nginx times are read as UTC' },
      until: { description: 'End of the window' },
    },
    outcomes: ['refused', 'prematurely-closed', 'reset', 'too-big-header', 'invalid-header', 'ssl', 'no-live-upstreams', 'clean', 'no-logs'],
    facts: ['logs.nginx.count502', 'logs.nginx.topUpstream', 'logs.nginx.sparkline', 'logs.nginx.timeouts', 'logs.nginx.kind', 'logs.nginx.nonIdempotent'],
  },
  async collect(ctx) {
    const source = ctx.params.source?.trim() ?? '';
    if (!source) {
      return { source, analysis: null, sources: [], problem: { message: 'no nginx error log given', nextStep: 'copy the error log from a target (see error_log in nginx.conf, often /var/log/nginx/error.log) and pass its path' } };
    }
    return collectLogs(ctx, source);
  },
  evaluate: (ev) => evaluateNginxError(ev),
};
