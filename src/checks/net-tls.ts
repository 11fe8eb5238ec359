import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import type { TlsEvidence } from '../net/tls-probe.js';
import { hostOf } from '../net/target.js';
import { numberParam, paramProblem, probeSource } from './net-shared.js';

export interface TlsCheckEvidence {
  tls?: TlsEvidence;
  paramError?: string;
}

const DAY = 86_400_000;

function certLines(ev: TlsEvidence): string[] {
  return (ev.chain ?? []).map((c, i) =>
    `${i === 0 ? 'leaf' : `#${i}`}: ${c.subject ?? '?'} (issuer ${c.issuer ?? '?'}${c.selfSigned ? ', self-signed' : ''}), valid ${c.validFrom.slice(0, 10)} → ${c.validTo.slice(0, 10)}${i === 0 && c.subjectAltNames.length ? `, SAN ${c.subjectAltNames.join(' ')}` : ''}`,
  );
}

function evaluate(ev: TlsCheckEvidence): CheckResult {
  if (ev.paramError || !ev.tls) {
    return paramProblem(ev.paramError ?? 'no probe ran', 'Pass host (and port, servername when the gateway sends another Host), e.g. host: origin.example.com.');
  }
  const t = ev.tls;
  const sources = [probeSource('probe:tls', { host: t.host, port: t.port, servername: t.name }, t.checkedAt)];
  const where = `${t.host}:${t.port}${t.name !== t.host ? ` (SNI ${t.name})` : ''}`;
  if (t.error && !t.tcpConnected) {
    return {
      status: 'unknown',
      outcome: 'unknown',
      summary: `Could not connect to ${where}: ${t.error.message}`,
      sources,
      nextStep: 'This is not a TLS problem yet: check the port with net.tcp-connect and the name with net.dns.',
    };
  }
  if (t.error?.code === 'ECAFILE') {
    return { status: 'unknown', outcome: 'unknown', summary: `Not run: ${t.error.message}`, sources, nextStep: 'Pass a readable PEM file with --ca-file (caFile).' };
  }
  if (t.error) {
    const code = t.error.code;
    const oldTls = ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE'].includes(code);
    const sniLike = ['ERR_SSL_TLSV1_UNRECOGNIZED_NAME', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', 'ECONNRESET'].includes(code);
    const noSni = t.sniSent === false && sniLike;
    const why = oldTls
      ? 'The server offers only TLS 1.0/1.1 (or older). ALB and CloudFront security policies and current clients need TLS 1.2+: enable TLS 1.2 on the server.'
      : noSni
        ? `No SNI went out (${t.host} is an IP address) and the server refused the handshake: it probably serves by name only. Run again with --sni <name> (servername param) set to the Host the gateway sends.`
        : 'Check the protocols and ciphers the server offers (openssl s_client -connect host:port -servername name), and whether the port speaks TLS at all.';
    const findings: Finding[] = [
      { cause: 'origin-tls-mismatch', confidence: 'likely', evidence: [`TLS handshake with ${where} failed: ${t.error.message}`] },
      { cause: 'target-tls-handshake', confidence: 'likely', evidence: [`TLS handshake with ${where} failed: ${t.error.message}`] },
    ];
    return {
      status: 'fail',
      outcome: 'handshake-failed',
      summary: `TLS handshake with ${where} failed: ${t.error.message}`,
      details: [why],
      sources,
      findings,
      nextStep: oldTls ? 'Enable TLS 1.2 (and 1.3) on the server, then probe again.' : noSni ? 'badgate probe https://<ip>/ --sni api.example.com' : undefined,
    };
  }
  const leaf = t.chain?.[0];
  const facts: Facts = {};
  if (leaf) facts['tls.expiresAt'] = leaf.validTo;
  if (t.protocol) facts['tls.protocol'] = t.protocol;
  if (t.cipher) facts['tls.cipher'] = t.cipher;
  if (leaf?.subject) facts['tls.subject'] = leaf.subject;
  const checked = Date.parse(t.checkedAt);
  const details = [`Negotiated ${t.protocol ?? '?'} ${t.cipher ?? ''}${t.alpn ? `, ALPN ${t.alpn}` : ''}`.trim(), ...certLines(t)];
  const expiredCert = (t.chain ?? []).find((c) => Date.parse(c.validTo) < checked);
  const finding = (evidence: string): Finding[] => [{ cause: 'origin-tls-mismatch', confidence: 'likely', evidence: [evidence] }];
  const note = 'A CloudFront or Application Gateway origin must present a valid, trusted certificate for the name it connects to; an ALB does not verify target certificates.';

  if (expiredCert || t.authorizationError === 'CERT_HAS_EXPIRED') {
    const which = expiredCert && expiredCert !== leaf ? `a chain certificate (${expiredCert.subject ?? '?'})` : 'the certificate';
    const when = expiredCert?.validTo ?? leaf?.validTo ?? '?';
    return {
      status: 'fail',
      outcome: 'expired',
      summary: `${where}: ${which} expired on ${when}`,
      details: [...details, note],
      facts,
      sources,
      findings: finding(`${where} presents ${which} that expired on ${when}`),
    };
  }
  if (t.nameError) {
    const names = leaf?.subjectAltNames.length ? leaf.subjectAltNames.join(' ') : `CN ${leaf?.subject ?? '?'}`;
    return {
      status: 'fail',
      outcome: 'name-mismatch',
      summary: `${where}: the certificate does not cover ${t.name} (it covers ${names})`,
      details: [...details, note],
      facts,
      sources,
      findings: finding(`certificate of ${where} covers ${names}, not ${t.name}`),
    };
  }
  if (!t.authorized) {
    return {
      status: 'fail',
      outcome: 'untrusted',
      summary: `${where}: the certificate chain does not verify (${t.authorizationError ?? 'untrusted'})`,
      details: [...details, 'Serve the full chain (leaf then intermediates) from a public CA.', note],
      facts,
      sources,
      findings: finding(`certificate chain of ${where} does not verify: ${t.authorizationError ?? 'untrusted'}`),
      nextStep: 'If a private CA signed it on purpose, probe again with --ca-file <ca.pem> (caFile) to verify against that CA.',
    };
  }
  const daysLeft = leaf ? Math.floor((Date.parse(leaf.validTo) - checked) / DAY) : undefined;
  const soon = daysLeft !== undefined && daysLeft < 14;
  return {
    status: soon ? 'warn' : 'pass',
    outcome: 'ok',
    summary: `${where}: ${t.protocol ?? 'TLS'} handshake ok, certificate valid for ${t.name}${daysLeft !== undefined ? `, expires in ${daysLeft} days` : ''}`,
    details,
    facts,
    sources,
  };
}

export const tlsCheck: Check<TlsCheckEvidence> = {
  meta: {
    id: 'net.tls',
    title: 'TLS certificate and handshake of a host or origin (expiry, name, chain, protocol)',
    docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html',
    apis: ['probe:dns', 'probe:tls'],
    params: {
      host: { description: 'Host to connect to (a URL is accepted)', required: true },
      port: { description: 'Port (default 443)' },
      servername: { description: 'SNI/Host the gateway sends to the origin, when it differs from host' },
      caFile: { description: 'PEM file of a private CA that signed the certificate' },
    },
    outcomes: ['ok', 'expired', 'name-mismatch', 'untrusted', 'handshake-failed'],
    causes: ['origin-tls-mismatch', 'target-tls-handshake'],
    facts: ['tls.expiresAt', 'tls.protocol', 'tls.cipher', 'tls.subject'],
  },
  async collect(ctx) {
    const host = hostOf(ctx.params.host ?? '');
    if (!host) return { paramError: 'host is required' };
    let fallbackPort = 443;
    const m = /^(?:https?:\/\/)?(?:\[[^\]]+\]|[^/:]+):(\d+)/i.exec((ctx.params.host ?? '').trim());
    if (m) fallbackPort = Number(m[1]);
    const port = numberParam(ctx.params, 'port', fallbackPort, { min: 1, max: 65535, integer: true });
    if (!port.ok) return { paramError: port.error };
    const servername = ctx.params.servername?.trim() || undefined;
    ctx.progress(`TLS handshake with ${host}:${port.value}${servername ? ` (SNI ${servername})` : ''}`);
    const tls = await ctx.env.net.tls({ host, port: port.value, servername, caFile: ctx.params.caFile?.trim() || undefined, signal: ctx.signal, now: () => ctx.env.clock.now() });
    return { tls };
  },
  evaluate,
};
