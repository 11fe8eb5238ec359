import type { CheckResult } from '../engine/vocabulary.js';
import { tlsCheck, type TlsCheckEvidence } from './net-tls.js';
import type { Check } from './types.js';

export interface OriginTlsEvidence extends TlsCheckEvidence {
  /** The origin is reached over plain HTTP: there is no TLS to check. */
  httpOnly?: boolean;
  originDomain?: string;
  name?: string;
}

/**
 * CloudFront connects to the origin domain and sends, as SNI and as the name it checks the
 * certificate against, the origin domain, or the viewer's Host when Host is forwarded
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html).
 * This is the net.tls probe made that way.
 */
function evaluate(ev: OriginTlsEvidence): CheckResult {
  if (ev.httpOnly) {
    return { status: 'pass', outcome: 'not-https', summary: `CloudFront reaches ${ev.originDomain ?? 'the origin'} over HTTP only: no origin certificate to check`, skipped: true };
  }
  const r = tlsCheck.evaluate(ev, { params: {}, facts: {} });
  // At a CloudFront origin a failed handshake is CloudFront's 502; target-tls-handshake is the ALB's word for it.
  const findings = r.findings?.filter((f) => f.cause === 'origin-tls-mismatch');
  const forwarded = ev.name && ev.originDomain && ev.name !== ev.originDomain;
  const note = forwarded
    ? `CloudFront forwards the viewer's Host, so the certificate of ${ev.originDomain} must cover ${ev.name}: stop forwarding Host (AllViewerExceptHostHeader) or add ${ev.name} to the origin's certificate.`
    : `The certificate of ${ev.originDomain ?? 'the origin'} must cover that name; an *.elb.amazonaws.com origin name is never on your certificate: use a name of yours that points at the ALB.`;
  return {
    ...r,
    ...(findings ? { findings } : {}),
    details: [...(r.details ?? []), ...(r.status === 'fail' ? [note] : [])],
  };
}

export const cloudfrontOriginTls: Check<OriginTlsEvidence> = {
  meta: {
    id: 'cloudfront.origin-tls',
    title: 'The origin certificate as CloudFront sees it (SNI = origin domain, or the forwarded Host)',
    docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html',
    apis: ['probe:dns', 'probe:tls'],
    params: {
      host: { description: 'Origin domain (cf.origin.domain)', required: true },
      port: { description: 'Origin HTTPS port (default 443)' },
      name: { description: 'Name CloudFront validates: the forwarded Host or the origin domain (cf.origin.tlsName)' },
      https: { description: '"false" when the origin protocol policy is http-only' },
      caFile: { description: 'PEM file of a private CA (CloudFront itself trusts only public CAs)' },
    },
    outcomes: ['ok', 'expired', 'name-mismatch', 'untrusted', 'handshake-failed', 'not-https'],
    causes: ['origin-tls-mismatch'],
    facts: ['tls.expiresAt', 'tls.protocol', 'tls.cipher', 'tls.subject'],
  },
  async collect(ctx) {
    const host = ctx.params.host?.trim() ?? '';
    const name = ctx.params.name?.trim() || host;
    if (ctx.params.https?.trim() === 'false') return { httpOnly: true, originDomain: host };
    const ev = await tlsCheck.collect({ ...ctx, params: { ...ctx.params, host, servername: name, port: ctx.params.port?.trim() || '443' } });
    return { ...ev, originDomain: host, name };
  },
  evaluate,
};
