// CloudFront standard logs in `badgate logs`. The header and the two data lines are the
// example log file of the AWS documentation, "Standard logging reference" → "Log file fields"
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html):
// a Hit for /index.html and a 502 for /favicon.ico whose x-edge-detailed-result-type is OriginDnsError.
import { describe, expect, it } from 'vitest';
import { detectLine } from '../../src/logs/line-format.js';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { logsAccessLog } from '../../src/checks/logs-access-log.js';
import { DOC_HTTP } from './fixtures.js';

const t = (...f: string[]) => f.join('\t');
const VERSION = '#Version: 1.0';
const FIELDS = '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end';
const UA = 'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/78.0.3904.108%20Safari/537.36';
const DOC_HIT = t('2019-12-04', '21:02:31', 'LAX1', '392', '192.0.2.100', 'GET', 'd111111abcdef8.cloudfront.net', '/index.html', '200', '-', UA, '-', '-', 'Hit', 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==', 'd111111abcdef8.cloudfront.net', 'https', '23', '0.001', '-', 'TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', 'Hit', 'HTTP/2.0', '-', '-', '11040', '0.001', 'Hit', 'text/html', '78', '-', '-');
const DOC_DNS_502 = t('2019-12-13', '22:36:27', 'SEA19-C1', '900', '192.0.2.200', 'GET', 'd111111abcdef8.cloudfront.net', '/favicon.ico', '502', 'http://www.example.com/', UA, '-', '-', 'Error', '1pkpNfBQ39sYMnjjUQjmH2w1wdJnbHYTbag21o_3OfcQgPzdL2RSSQ==', 'www.example.com', 'http', '675', '0.102', '-', '-', '-', 'Error', 'HTTP/1.1', '-', '-', '25260', '0.102', 'OriginDnsError', 'text/html', '507', '-', '-');
/** The same 502 with the other documented origin kinds (x-edge-detailed-result-type values of the same page). */
const with502 = (detailed: string) => DOC_DNS_502.replace('\tOriginDnsError\t', `\t${detailed}\t`);

const ALL = { sinceMs: Date.parse('2019-12-01T00:00:00Z'), untilMs: Date.parse('2019-12-31T00:00:00Z') };

describe('CloudFront standard logs', () => {
  it('detects the header and data lines, and leaves ALB lines to the ALB reader', () => {
    for (const line of [VERSION, FIELDS, DOC_HIT, DOC_DNS_502]) {
      const b = Buffer.from(line);
      expect(detectLine(b, 0, b.length).format, line.slice(0, 30)).toBe('cloudfront');
    }
    const alb = Buffer.from(DOC_HTTP);
    expect(detectLine(alb, 0, alb.length).format).toBe('alb');
  });

  it('reads the documentation example: one 502 of two requests, OriginDnsError → origin-dns-failure', () => {
    const a = analyzeText({ 'E2EXAMPLE.2019-12-13-22.a1b2c3d4': [VERSION, FIELDS, DOC_HIT, DOC_DNS_502].join('\n') }, ALL);
    expect(a.format).toBe('cloudfront');
    expect(a.requests).toBe(2);
    expect(a.count502).toBe(1);
    expect(a.lines.malformed).toBe(0);
    expect(a.causes[0]).toMatchObject({ cause: 'origin-dns-failure', evidence: ['E2EXAMPLE.2019-12-13-22.a1b2c3d4:4'] });
  });

  it('maps OriginConnectError, OriginCommError, OriginHeaderTooBigError and a passed-on Error', () => {
    const lines = [FIELDS, with502('OriginConnectError'), with502('OriginCommError'), with502('OriginCommError'), with502('OriginHeaderTooBigError'), with502('Error')];
    const a = analyzeText({ 'cf.log': lines.join('\n') }, ALL);
    expect(a.count502).toBe(5);
    const by = Object.fromEntries(a.causes.map((c) => [c.cause, c.count]));
    expect(by).toEqual({ 'timeout-mismatch': 2, 'target-not-listening': 1, 'response-headers-too-large': 1, 'target-generated-502': 1 });
  });

  it('follows the #Fields line when a v2 log selects fewer fields, in another order', () => {
    const fields = '#Fields: date time sc-status x-edge-detailed-result-type cs-uri-stem';
    const a = analyzeText({ 'v2.log': [fields, t('2019-12-13', '22:36:27', '502', 'OriginDnsError', '/favicon.ico'), t('2019-12-13', '22:36:28', '200', '-', '/')].join('\n') }, ALL);
    expect(a.requests).toBe(2);
    expect(a.causes[0]).toMatchObject({ cause: 'origin-dns-failure', count: 1 });
  });

  it('logs.access-log names origin-dns-failure with the origin-dns outcome', async () => {
    const a = analyzeText({ 'cf.log': [FIELDS, DOC_HIT, DOC_DNS_502].join('\n') }, ALL);
    const r = logsAccessLog.evaluate({ source: 'cf.log', analysis: a, sources: [] }, { params: {}, facts: {} });
    expect(r.outcome).toBe('origin-dns');
    expect(r.findings?.[0]?.cause).toBe('origin-dns-failure');
  });
});
