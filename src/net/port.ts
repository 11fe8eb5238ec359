import { lookup, resolveCname } from 'node:dns/promises';
import type { PortSpec } from '../ports/port.js';
import { resolveChain, type DnsEvidence, type DnsProbeOptions } from './dns-probe.js';
import { probeHttp, type HttpProbeEvidence, type HttpProbeOptions } from './http-probe.js';
import { confirmRace, measureKeepAlive, type KeepAliveEvidence, type KeepAliveOptions, type RaceConfirmation } from './keepalive-probe.js';
import { probeTcp, type TcpEvidence, type TcpProbeOptions } from './tcp-probe.js';
import { probeTls, type TlsEvidence, type TlsProbeOptions } from './tls-probe.js';

/** The probes badgate runs itself; checks reach the network only through this port. */
export interface NetPort {
  http(opts: HttpProbeOptions): Promise<HttpProbeEvidence>;
  tcp(opts: TcpProbeOptions): Promise<TcpEvidence>;
  tls(opts: TlsProbeOptions): Promise<TlsEvidence>;
  keepalive(opts: KeepAliveOptions): Promise<KeepAliveEvidence>;
  confirmRace(opts: KeepAliveOptions, idleMs: number): Promise<RaceConfirmation>;
}

export type SystemLookup = { addresses: string[] } | { error: string };

/** Name resolution: the CNAME chain through a resolver, the system's own lookup, one CNAME hop. */
export interface DnsPort {
  chain(opts: DnsProbeOptions): Promise<DnsEvidence>;
  lookup(name: string): Promise<SystemLookup>;
  cname(host: string): Promise<string[]>;
}

/** getaddrinfo, bounded: it has no timeout of its own. */
async function systemLookup(name: string): Promise<SystemLookup> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<{ error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ error: 'TIMEOUT' }), 3000);
  });
  const found = lookup(name, { all: true }).then(
    (all) => ({ addresses: all.map((a) => a.address) }),
    (err: NodeJS.ErrnoException) => ({ error: err.code ?? 'ERROR' }),
  );
  try {
    return await Promise.race([found, bound]);
  } finally {
    clearTimeout(timer);
  }
}

export const liveNet: NetPort = { http: probeHttp, tcp: probeTcp, tls: probeTls, keepalive: measureKeepAlive, confirmRace };

export const liveDns: DnsPort = { chain: resolveChain, lookup: systemLookup, cname: (host) => resolveCname(host) };

/** Where a probe went, as a source cites it. */
function whereOf(opts: unknown): Record<string, unknown> {
  const o = (opts ?? {}) as { target?: { display?: string }; host?: string; port?: number; servername?: string; count?: number; name?: string };
  if (o.target?.display) return { target: o.target.display, ...(o.count !== undefined ? { count: o.count } : {}) };
  return Object.fromEntries(Object.entries({ host: o.host, port: o.port, servername: o.servername, name: o.name }).filter(([, v]) => v !== undefined));
}

export const NET_PORT: PortSpec<NetPort> = {
  name: 'net',
  methods: ['http', 'tcp', 'tls', 'keepalive', 'confirmRace'],
  describe: (method, args) => ({ api: `probe:${method === 'confirmRace' ? 'keepalive' : method}`, params: whereOf(args[0]) }),
};

export const DNS_PORT: PortSpec<DnsPort> = {
  name: 'dns',
  methods: ['chain', 'lookup', 'cname'],
  describe: (method, args) => ({ api: 'probe:dns', params: { [method === 'chain' ? 'chain' : method]: typeof args[0] === 'string' ? args[0] : (args[0] as { name?: string })?.name } }),
};
