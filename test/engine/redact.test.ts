import { describe, expect, it } from 'vitest';
import { createMasker, redactIdentifiers } from '../../src/engine/scrub.js';

// One example of every identifier shape a shared report must not carry (AWS ARN, id and DNS formats
// from the AWS General Reference and the ELB/EC2 API references).
const CORPUS: [string, string][] = [
  ['account id, also before a full stop', 'account 123456789012.'],
  ['account id with dashes (console style)', 'account 1234-5678-9012 here'],
  ['ARN', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop-alb/50dc6c495c0c9188'],
  ['URL-encoded ARN', 'arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A123456789012%3Atargetgroup%2Fweb%2F73e2d6bc24d8a067'],
  ['IPv4', 'target 10.0.16.5:8080'],
  ['IPv4 after "_" in an S3 key', '123456789012_elasticloadbalancing_us-east-1_app.shop.50dc6c495c0c9188_20261201T1005Z_10.0.1.17_2soosksi.log.gz'],
  ['compressed IPv6', 'client 2001:db8::42 and fe80::1'],
  ['IPv4-mapped IPv6', 'from ::ffff:10.1.2.3'],
  ['EC2 host name that spells the IP', 'host ip-10-0-16-5.ec2.internal'],
  ['ALB DNS name', 'internal-shop-alb-1234567890.us-east-1.elb.amazonaws.com'],
  ['e-mail', 'paged oncall@example.com'],
  ['bucket', 'logs in s3://shop-alb-logs/prod'],
  ['LB id', 'LoadBalancer app/shop-alb/50dc6c495c0c9188'],
  ['security group, instance, subnet, VPC, ENI, NACL, route table', 'sg-0a1b2c3d4e5f67890 i-0123456789abcdef0 subnet-12345678 vpc-0a1b2c3d eni-0a1b2c3d4e5f67890 acl-0a1b2c3d rtb-0a1b2c3d4e5f67890'],
];
const LEAKS = /\d{12}|1234-5678-9012|10\.0\.16\.5|10\.0\.1\.17|2001:db8|fe80::1|10\.1\.2\.3|ip-10-0-16-5|1234567890\.us-east-1|oncall@|shop-alb-logs|50dc6c495c0c9188|73e2d6bc24d8a067|sg-0a1b|i-0123|subnet-1234|vpc-0a1b|eni-0a1b|acl-0a1b|rtb-0a1b/;

describe('--redact', () => {
  it.each(CORPUS)('%s is masked', (_kind, text) => {
    expect(redactIdentifiers(text)).not.toMatch(LEAKS);
  });

  it('the same identifier gets the same mask across a document, another one another mask', () => {
    const mask = createMasker();
    const a = redactIdentifiers('sg-0a1b2c3d4e5f67890 blocks 10.0.16.5', mask);
    const b = redactIdentifiers('10.0.16.5 behind sg-0a1b2c3d4e5f67890, not 10.0.16.6', mask);
    expect(a).toBe('<sg-1> blocks <ip-1>');
    expect(b).toBe('<ip-1> behind <sg-1>, not <ip-2>');
  });

  it('names without a shape of their own are masked when the caller names them', () => {
    expect(redactIdentifiers('Load balancer shop-alb in us-east-1', createMasker(), [{ kind: 'lb', value: 'shop-alb' }])).toBe('Load balancer <lb-1> in us-east-1');
  });

  it('times, versions and plain words stay', () => {
    const text = 'at 10:00:06 UTC, nginx/1.22.1, HTTP/1.1, timeout 60 s, ::';
    expect(redactIdentifiers(text)).toBe(text);
  });
});

describe('--redact on a postmortem', () => {
  it('masks the incident\'s identifiers and leaves the catalog\'s text as written', async () => {
    const { buildPostmortem, renderPostmortem } = await import('../../src/report/postmortem.js');
    const { loadCatalog, loadFlow } = await import('../../src/flow-files.js');
    const start = { seq: 1, at: '2026-12-01T10:00:00.000Z', type: 'start' as const, sessionId: 's', flow: 'alb', flowTitle: 'ALB', version: 1 as const, start: 'intake-title', context: { mode: 'live' as const, lb: 'shop-alb' }, facts: { 'target.lb': 'shop-alb' } };
    const check = {
      seq: 2, at: '2026-12-01T10:01:00.000Z', type: 'check' as const, node: 'all-port', check: 'net.tcp-connect', params: { host: '10.0.16.5', port: '8080' }, next: 'x',
      result: { status: 'fail' as const, outcome: 'refused', summary: 'ip-10-0-16-5.ec2.internal (10.0.16.5:8080) refused; sg-0a1b2c3d4e5f67890 on i-0123456789abcdef0; logs s3://shop-alb-logs/prod; account 123456789012' },
    };
    const finding = { seq: 3, at: '2026-12-01T10:01:00.000Z', type: 'finding' as const, node: 'all-port', cause: 'target-not-listening', confidence: 'confirmed' as const, evidence: ['10.0.16.5:8080 refused (RST)'], via: 'check' as const, strength: 'measured' as const };
    const md = renderPostmortem(buildPostmortem([start, check, finding], loadFlow('alb'), loadCatalog()), { redact: true });
    expect(md).not.toMatch(LEAKS);
    expect(md).toContain('<sg-1>');
    // The catalog's explanation of target-not-listening says "bound to 127.0.0.1 only": that is not the responder's data.
    expect(md).toContain('bound to 127.0.0.1 only');
  });
});
