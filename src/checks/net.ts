import type { Check } from './types.js';
import { httpProbeCheck } from './net-http-probe.js';
import { fingerprintCheck } from './net-fingerprint.js';
import { keepAliveCheck } from './net-keepalive.js';
import { tlsCheck } from './net-tls.js';
import { dnsCheck } from './net-dns.js';
import { tcpConnectCheck } from './net-tcp-connect.js';

/** The net checks, registered by id in ./registry.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check has its own evidence type; the registry only needs the shape
export const netChecks: Check<any>[] = [httpProbeCheck, fingerprintCheck, keepAliveCheck, tlsCheck, dnsCheck, tcpConnectCheck];
