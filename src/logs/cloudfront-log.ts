/**
 * CloudFront standard logs (W3C, tab-separated, `#Version:` and `#Fields:` header lines).
 * Fields and values: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
import type { LogCause } from './types.js';

/** The 33 fields of a standard (legacy) log, in their documented order: used until a `#Fields:` line says otherwise. */
export const CLOUDFRONT_FIELDS = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status', 'cs(Referer)',
  'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id', 'x-host-header', 'cs-protocol',
  'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher', 'x-edge-response-result-type', 'cs-protocol-version',
  'fle-status', 'fle-encrypted-fields', 'c-port', 'time-to-first-byte', 'x-edge-detailed-result-type', 'sc-content-type',
  'sc-content-len', 'sc-range-start', 'sc-range-end',
] as const;

export interface CloudFrontFieldIndex {
  date: number;
  time: number;
  status: number;
  detailed: number;
  result: number;
  path: number;
  client: number;
  host: number;
  count: number;
}

export function fieldIndex(fields: readonly string[]): CloudFrontFieldIndex {
  const at = (name: string) => fields.indexOf(name);
  return {
    date: at('date'), time: at('time'), status: at('sc-status'), detailed: at('x-edge-detailed-result-type'),
    result: at('x-edge-result-type'), path: at('cs-uri-stem'), client: at('c-ip'), host: at('x-host-header'), count: fields.length,
  };
}

export const DEFAULT_INDEX = fieldIndex(CLOUDFRONT_FIELDS);

/** `#Fields: date time …` → the field names, or null for other header lines (`#Version: 1.0`). */
export function parseFieldsHeader(line: string): string[] | null {
  return line.startsWith('#Fields:') ? line.slice('#Fields:'.length).trim().split(/\s+/) : null;
}

/**
 * What a 502's x-edge-detailed-result-type says. CloudFront logs no OriginReadTimeout value:
 * read timeouts are OriginCommError. `Error` on a 502 is the origin's own 502, passed on.
 */
export function classifyCloudFront502(detailed: string): { cause: LogCause; why: string } {
  switch (detailed) {
    case 'OriginDnsError': return { cause: 'origin-dns-failure', why: 'OriginDnsError: CloudFront could not resolve the origin domain' };
    case 'OriginConnectError': return { cause: 'target-not-listening', why: 'OriginConnectError: CloudFront could not connect to the origin (refused, or the TLS handshake failed)' };
    case 'OriginCommError': return { cause: 'timeout-mismatch', why: 'OriginCommError: CloudFront timed out connecting to or reading from the origin' };
    case 'OriginHeaderTooBigError': return { cause: 'response-headers-too-large', why: "OriginHeaderTooBigError: the origin's response headers are over CloudFront's limit" };
    case 'OriginInvalidResponseError':
    case 'OriginReadError':
    case 'OriginContentRangeLengthError':
      return { cause: 'malformed-response', why: `${detailed}: the origin's response was not valid HTTP CloudFront could pass on` };
    case 'Error': return { cause: 'target-generated-502', why: 'Error: the origin answered 502 and CloudFront passed it on' };
    default: return { cause: 'unclassified', why: `${detailed || '-'}: no origin error named (an edge function's validation error, or another kind)` };
  }
}
