import { Resolver } from 'node:dns/promises';

/** The resolver calls the DNS probe needs; node's `dns.promises.Resolver` fits. */
export interface DnsResolver {
  resolveCname(name: string): Promise<string[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  cancel?(): void;
}

/** DNS failure classes: NXDOMAIN, SERVFAIL, NOERROR with no records, and the rest. */
export type DnsFailure = 'NXDOMAIN' | 'SERVFAIL' | 'NODATA' | 'REFUSED' | 'TIMEOUT' | 'LOOP' | 'ERROR';

export interface DnsEvidence {
  name: string;
  /** The queried name, then each CNAME target in order. */
  chain: string[];
  addresses4: string[];
  addresses6: string[];
  checkedAt: string;
  /** Set for localhost names: answered here with loopback (RFC 6761 §6.3), no DNS server asked. */
  local?: boolean;
  error?: { failure: DnsFailure; code: string; at: string; query: 'CNAME' | 'A/AAAA' };
}

export interface DnsProbeOptions {
  name: string;
  resolver?: DnsResolver;
  signal?: AbortSignal;
  /** Bound on the whole lookup, whatever the resolver does. */
  timeoutMs?: number;
  maxDepth?: number;
  now?: () => Date;
}

function codeOf(err: unknown): string {
  return (err as { code?: string } | undefined)?.code ?? 'ERROR';
}

export function failureOf(code: string): DnsFailure {
  switch (code) {
    case 'ENOTFOUND':
      return 'NXDOMAIN';
    case 'ESERVFAIL':
      return 'SERVFAIL';
    case 'ENODATA':
      return 'NODATA';
    case 'EREFUSED':
      return 'REFUSED';
    case 'ETIMEOUT':
    case 'TIMEOUT':
    case 'ECANCELLED':
      return 'TIMEOUT';
    case 'LOOP':
      return 'LOOP';
    default:
      return 'ERROR';
  }
}

/** A resolver with bounded retries, as the system would use. */
export function defaultResolver(): DnsResolver {
  return new Resolver({ timeout: 3000, tries: 2 });
}

async function follow(opts: DnsProbeOptions, resolver: DnsResolver, ev: DnsEvidence): Promise<void> {
  const maxDepth = opts.maxDepth ?? 10;
  let current = ev.name;
  for (let depth = 0; depth < maxDepth; depth++) {
    let targets: string[];
    try {
      targets = await resolver.resolveCname(current);
    } catch (err) {
      const code = codeOf(err);
      if (code === 'ENODATA') break; // no CNAME here: this is the end of the chain
      ev.error = { failure: failureOf(code), code, at: current, query: 'CNAME' };
      return;
    }
    if (!targets.length) break;
    const next = targets[0].replace(/\.$/, '');
    if (ev.chain.includes(next)) {
      ev.chain.push(next);
      ev.error = { failure: 'LOOP', code: 'LOOP', at: next, query: 'CNAME' };
      return;
    }
    ev.chain.push(next);
    current = next;
  }
  const [a, aaaa] = await Promise.allSettled([resolver.resolve4(current), resolver.resolve6(current)]);
  if (a.status === 'fulfilled') ev.addresses4 = a.value;
  if (aaaa.status === 'fulfilled') ev.addresses6 = aaaa.value;
  if (ev.addresses4.length || ev.addresses6.length) return;
  // Prefer the A answer's error; NODATA on both means the name exists with no addresses.
  const codes = [a, aaaa].map((r) => (r.status === 'rejected' ? codeOf(r.reason) : 'ENODATA'));
  const code = codes.find((c) => c !== 'ENODATA') ?? 'ENODATA';
  ev.error = { failure: failureOf(code), code, at: current, query: 'A/AAAA' };
}

/** `localhost` and any name under it (RFC 6761 §6.3). */
export function isLocalhostName(name: string): boolean {
  const n = name.replace(/\.$/, '').toLowerCase();
  return n === 'localhost' || n.endsWith('.localhost');
}

/**
 * Follows the CNAME chain of a name (resolveCname repeatedly), then resolves A and
 * AAAA at its end. Never throws: failures land in `error` with where they happened.
 */
export async function resolveChain(opts: DnsProbeOptions): Promise<DnsEvidence> {
  const now = opts.now ?? (() => new Date());
  const name = opts.name.replace(/\.$/, '').toLowerCase();
  const ev: DnsEvidence = { name, chain: [name], addresses4: [], addresses6: [], checkedAt: now().toISOString() };
  // A network resolver's answer for localhost is not what the system uses (and may leak the query).
  if (isLocalhostName(name)) return { ...ev, addresses4: ['127.0.0.1'], addresses6: ['::1'], local: true };
  const resolver = opts.resolver ?? defaultResolver();
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => resolver.cancel?.();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const bound = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolver.cancel?.();
      resolve('timeout');
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([follow(opts, resolver, ev), bound]);
    if (outcome === 'timeout') {
      // A snapshot: the abandoned lookup may still write into `ev` when it unwinds.
      return {
        ...ev,
        chain: [...ev.chain],
        addresses4: [...ev.addresses4],
        addresses6: [...ev.addresses6],
        error: ev.error ?? { failure: 'TIMEOUT', code: 'TIMEOUT', at: ev.chain[ev.chain.length - 1], query: 'A/AAAA' },
      };
    }
  } catch (err) {
    const code = codeOf(err);
    ev.error = { failure: failureOf(code), code, at: ev.chain[ev.chain.length - 1], query: 'A/AAAA' };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  return ev;
}
