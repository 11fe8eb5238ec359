/**
 * Application Gateway access-log records (category ApplicationGatewayAccessLog) as diagnostics
 * export them: one JSON object a line. Fields and error codes as Microsoft documents them
 * (https://learn.microsoft.com/azure/application-gateway/monitor-application-gateway-reference):
 * v2 carries httpStatus, serverStatus, serverRouted, timeTaken (s), serverResponseLatency and
 * error_info; v1 has no error_info and puts SERVER-ROUTED and SERVER-STATUS in requestQuery,
 * with timeTaken in ms.
 */
import type { LogCauseId } from './types.js';

export interface AppGwRecord {
  time: string;
  clientIp: string;
  method: string;
  uri: string;
  httpStatus: number | null;
  /** What the backend answered, or null when it did not (the gateway made the response). */
  serverStatus: number | null;
  serverRouted: string;
  errorInfo: string;
  host: string;
}

type Props = Record<string, unknown>;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : Number(str(v));
  return str(v).trim() === '' || !Number.isFinite(n) ? null : n;
};

/** `SERVER-ROUTED=10.4.0.4&…&SERVER-STATUS=404` (v1). */
function queryField(query: string, key: string): string {
  const m = new RegExp(`(?:^|&)${key}=([^&]*)`).exec(query);
  return m ? decodeURIComponent(m[1]) : '';
}

export function parseAppGwLine(text: string): { ok: true; record: AppGwRecord } | { ok: false; reason: string } {
  let o: { category?: unknown; timeStamp?: unknown; time?: unknown; properties?: unknown };
  try {
    o = JSON.parse(text) as typeof o;
  } catch {
    return { ok: false, reason: 'not valid JSON (a record split over lines?)' };
  }
  if (o.category !== 'ApplicationGatewayAccessLog' || !o.properties || typeof o.properties !== 'object') return { ok: false, reason: 'not an ApplicationGatewayAccessLog record' };
  const p = o.properties as Props;
  const query = str(p.requestQuery);
  const routed = str(p.serverRouted) || queryField(query, 'SERVER-ROUTED');
  return {
    ok: true,
    record: {
      time: str(o.timeStamp ?? o.time),
      clientIp: str(p.clientIP),
      method: str(p.httpMethod),
      uri: str(p.requestUri) || '/',
      httpStatus: num(p.httpStatus),
      serverStatus: num(p.serverStatus ?? queryField(query, 'SERVER-STATUS')),
      serverRouted: routed,
      errorInfo: str(p.error_info),
      host: str(p.host),
    },
  };
}

/** A 502 row in the catalog's words, and why. */
export function classifyAppGw502(r: AppGwRecord): { cause: LogCauseId | 'unclassified'; why: string; alternatives?: LogCauseId[] } {
  if (r.serverStatus === 502) return { cause: 'target-generated-502', why: 'App Gateway: serverStatus 502, the backend answered 502 itself' };
  switch (r.errorInfo) {
    case 'ERRORINFO_UPSTREAM_CLOSED_CONNECTION':
      // The backend closed the connection: on an idle reused connection the keep-alive race, else a backend at its limits.
      return { cause: 'keepalive-race', why: 'App Gateway: ERRORINFO_UPSTREAM_CLOSED_CONNECTION (the backend closed the connection before answering)', alternatives: ['target-crashed-or-overloaded'] };
    case 'ERRORINFO_UPSTREAM_TIMED_OUT':
      return { cause: 'target-crashed-or-overloaded', why: 'App Gateway: ERRORINFO_UPSTREAM_TIMED_OUT (no answer within the request timeout)' };
    case 'ERRORINFO_UPSTREAM_NO_LIVE':
      return { cause: 'all-targets-unhealthy', why: 'App Gateway: ERRORINFO_UPSTREAM_NO_LIVE (no reachable backend)' };
    default:
      return { cause: 'unclassified', why: `App Gateway: 502 with ${r.errorInfo ? `error_info ${r.errorInfo}` : 'no error_info (v1)'}${r.serverRouted ? `, routed to ${r.serverRouted}` : ', not routed'}` };
  }
}
