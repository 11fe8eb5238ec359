import net from 'node:net';
import { readFileSync } from 'node:fs';
import tls, { type DetailedPeerCertificate } from 'node:tls';
import { codedError, describeNetError, type NetError } from './net-error.js';

export interface CertInfo {
  subject?: string;
  subjectAltNames: string[];
  issuer?: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  selfSigned: boolean;
}

export interface TlsEvidence {
  host: string;
  port: number;
  /** The name sent as SNI and checked against the certificate (the gateway's Host). */
  name: string;
  checkedAt: string;
  /** The TCP connection opened; a later failure is the TLS handshake's. */
  tcpConnected?: boolean;
  protocol?: string;
  cipher?: string;
  alpn?: string;
  /** Leaf first. */
  chain?: CertInfo[];
  /** Whether the chain verified against the trust store. */
  authorized?: boolean;
  authorizationError?: string;
  /** Set when the certificate does not cover `name`. */
  nameError?: string;
  /** Whether a name went out as SNI (not for an IP address). */
  sniSent?: boolean;
  error?: NetError;
}

export interface TlsProbeOptions {
  host: string;
  port: number;
  servername?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Extra trust anchors (tests); the system store otherwise. */
  ca?: string | Buffer;
  /** PEM file of extra trust anchors (a private CA), read here. */
  caFile?: string;
  now?: () => Date;
}

function toIso(date: string): string {
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? date : d.toISOString();
}

function field(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function certInfo(c: DetailedPeerCertificate): CertInfo {
  const sans = (c.subjectaltname ?? '').split(/,\s*/).filter(Boolean);
  return {
    subject: field(c.subject?.CN) ?? field(c.subject?.O),
    subjectAltNames: sans,
    issuer: field(c.issuer?.CN) ?? field(c.issuer?.O),
    validFrom: toIso(c.valid_from),
    validTo: toIso(c.valid_to),
    fingerprint256: c.fingerprint256,
    selfSigned: c.issuerCertificate === c || c.fingerprint256 === c.issuerCertificate?.fingerprint256,
  };
}

function chainOf(leaf: DetailedPeerCertificate): CertInfo[] {
  const out: CertInfo[] = [];
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = leaf; c && c.fingerprint256 && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(certInfo(c));
    if (out.length >= 10) break;
  }
  return out;
}

/**
 * Handshakes with host:port sending `servername` as SNI, without trusting blindly:
 * records protocol, cipher, chain, whether it verifies and whether it covers the name.
 * Never throws.
 */
export function probeTls(opts: TlsProbeOptions): Promise<TlsEvidence> {
  const now = opts.now ?? (() => new Date());
  const name = opts.servername || opts.host;
  const evidence: TlsEvidence = { host: opts.host, port: opts.port, name, checkedAt: now().toISOString(), sniSent: !net.isIP(name) };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let ca = opts.ca;
  if (opts.caFile) {
    try {
      ca = readFileSync(opts.caFile);
    } catch (err) {
      evidence.error = { code: 'ECAFILE', message: `cannot read the CA file ${opts.caFile}: ${describeNetError(err).message}` };
      return Promise.resolve(evidence);
    }
  }
  return new Promise((resolve) => {
    let settled = false;
    const socket = tls.connect({
      host: opts.host,
      port: opts.port,
      servername: net.isIP(name) ? undefined : name,
      // Verification is judged below, so a bad certificate is described instead of refused.
      rejectUnauthorized: false,
      ca,
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    const done = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) evidence.error = describeNetError(err);
      socket.destroy();
      resolve(evidence);
    };
    const onAbort = (): void => done(codedError('ABORT_ERR', 'aborted'));
    const timer = setTimeout(() => done(codedError('TIMEOUT', `no TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      evidence.tcpConnected = true;
    });
    socket.once('error', done);
    socket.once('close', () => done(codedError('ECONNRESET', 'connection closed during the TLS handshake')));
    socket.once('secureConnect', () => {
      evidence.protocol = socket.getProtocol() ?? undefined;
      evidence.cipher = socket.getCipher()?.standardName || socket.getCipher()?.name;
      evidence.alpn = socket.alpnProtocol || undefined;
      evidence.authorized = socket.authorized;
      if (!socket.authorized && socket.authorizationError) evidence.authorizationError = String(socket.authorizationError);
      const peer = socket.getPeerCertificate(true);
      if (peer && Object.keys(peer).length) {
        evidence.chain = chainOf(peer);
        const idErr = tls.checkServerIdentity(name, peer);
        if (idErr) evidence.nameError = idErr.message;
      }
      done();
    });
  });
}
