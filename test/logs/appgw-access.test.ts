// App Gateway access logs (ApplicationGatewayAccessLog, one JSON record a line as diagnostics
// export them). The first line of each fixture is Microsoft's own example, compacted to one line,
// from https://learn.microsoft.com/azure/application-gateway/monitor-application-gateway-reference
// (v2: the 200 to 52.239.221.65:443; v1: the 404 with SERVER-ROUTED/SERVER-STATUS in requestQuery).
// The 502 rows are that example with httpStatus 502 and the documented error_info codes
// (ERRORINFO_UPSTREAM_CLOSED_CONNECTION, ERRORINFO_UPSTREAM_TIMED_OUT), serverStatus empty when
// the gateway made the response, "502" when the backend did; and a 127.0.0.1 row, which the
// page says comes from the gateway's internal process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyAppGw502, parseAppGwLine } from '../../src/logs/appgw-access.js';
import { detectLine } from '../../src/logs/line-format.js';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { runCli } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, '../fixtures/logs');
const v2 = readFileSync(join(FIX, 'appgw-v2-access.json'), 'utf8');
const v1 = readFileSync(join(FIX, 'appgw-v1-access.json'), 'utf8');

describe('App Gateway access log', () => {
  it('detects the format per line; ALB and nginx lines still detect as before', () => {
    const line = v2.split('\n')[0];
    expect(detectLine(Buffer.from(line), 0, line.length).format).toBe('appgw');
    const alb = 'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"';
    expect(detectLine(Buffer.from(alb), 0, alb.length).format).toBe('alb');
    const other = '{"category":"ApplicationGatewayFirewallLog","properties":{}}';
    expect(detectLine(Buffer.from(other), 0, other.length).format).toBe(null);
  });

  it('parses v2 and v1 records (v1 routing and status from requestQuery)', () => {
    const a = parseAppGwLine(v2.split('\n')[0]);
    expect(a).toMatchObject({ ok: true, record: { httpStatus: 200, serverStatus: 200, serverRouted: '52.239.221.65:443', errorInfo: 'ERRORINFO_NO_ERROR', time: '2021-10-14T22:17:11+00:00' } });
    const b = parseAppGwLine(v1.split('\n')[0]);
    expect(b).toMatchObject({ ok: true, record: { httpStatus: 404, serverStatus: 404, serverRouted: '10.4.0.4', errorInfo: '' } });
    expect(parseAppGwLine('{"category":"ApplicationGatewayAccessLog"')).toMatchObject({ ok: false });
  });

  it('classifies 502s by who made them and error_info', () => {
    const rows = v2.trim().split('\n').map((l) => parseAppGwLine(l)).flatMap((r) => (r.ok && r.record.httpStatus === 502 && r.record.clientIp !== '127.0.0.1' ? [r.record] : []));
    expect(rows.map((r) => classifyAppGw502(r).cause)).toEqual(['keepalive-race', 'keepalive-race', 'target-crashed-or-overloaded', 'target-generated-502']);
  });

  it('badgate logs: counts requests and 502s, gateway-made vs backend-made, and skips internal rows', () => {
    const a = analyzeText({ 'appgw.json': v2 });
    expect(a.format).toBe('appgw');
    expect(a.requests).toBe(5);
    expect(a.count502).toBe(4);
    expect(a.lb502).toBe(3);
    expect(a.target502).toBe(1);
    expect(a.causes[0]).toMatchObject({ cause: 'keepalive-race', count: 2, alternatives: ['target-crashed-or-overloaded'] });
    expect(a.causes[0].evidence).toEqual(['appgw.json:2', 'appgw.json:3']);
    expect(a.byPath[0]).toMatchObject({ key: '/cart', count502: 4 });
  });

  it('v1: a SERVER-STATUS=502 row is the backend\'s 502', () => {
    const a = analyzeText({ 'v1.json': v1 });
    expect(a.format).toBe('appgw');
    expect(a.count502).toBe(1);
    expect(a.causes.map((c) => c.cause)).toEqual(['target-generated-502']);
  });

  it('the badgate logs command detects and reads the file (built binary)', () => {
    const r = runCli(['logs', join(FIX, 'appgw-v2-access.json'), '--json']);
    const out = JSON.parse(r.out) as { format: string; count502: number; lb502: number; verdict: { cause: string } };
    expect(out).toMatchObject({ format: 'appgw', count502: 4, lb502: 3 });
    expect(out.verdict.cause).toBe('keepalive-race');
  });
});
