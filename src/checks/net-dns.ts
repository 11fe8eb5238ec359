import { isIP } from 'node:net';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import type { DnsEvidence, DnsResolver } from '../net/dns-probe.js';
import { classifyChain } from '../net/dns-classify.js';
import { hostOf } from '../net/target.js';
import { listFact, paramProblem, probeSource } from './net-shared.js';

export interface DnsCheckEvidence {
  dns?: DnsEvidence;
  /** What the system resolver (hosts file, search domains) says when DNS itself failed. */
  system?: { addresses: string[] } | { error: string };
  /** Set when the name is an IP address: nothing to resolve. */
  literal?: string;
  paramError?: string;
}

function evaluate(ev: DnsCheckEvidence): CheckResult {
  if (ev.literal) {
    return {
      status: 'pass',
      outcome: 'other',
      summary: `${ev.literal} is an IP address: nothing to resolve`,
      facts: { 'dns.chain': ev.literal, 'dns.addresses': ev.literal },
    };
  }
  if (ev.paramError || !ev.dns) return paramProblem(ev.paramError ?? 'no lookup ran', 'Pass name as a host name or URL, e.g. name: api.example.com.');
  const d = ev.dns;
  if (d.local) {
    const addresses = [...d.addresses4, ...d.addresses6];
    return {
      status: 'pass',
      outcome: 'other',
      summary: `${d.name} is a loopback name (RFC 6761): ${listFact(addresses)}, answered without asking a DNS server`,
      facts: { 'dns.chain': d.name, 'dns.addresses': listFact(addresses) },
    };
  }
  const chain = d.chain.join(' → ');
  const addresses = [...d.addresses4, ...d.addresses6];
  const facts: Facts = { 'dns.chain': chain };
  if (addresses.length) facts['dns.addresses'] = listFact(addresses);
  const cls = classifyChain(d.chain);
  if (cls) {
    facts['dns.kind'] = cls.kind;
    facts['dns.service'] = cls.service;
    if (cls.region) facts['dns.region'] = cls.region;
    if (cls.lb) {
      facts['lb.dns'] = cls.lb.dns;
      if (cls.lb.name) facts['lb.name'] = cls.lb.name;
    }
    if (cls.apiId) facts['apigw.id'] = cls.apiId;
  }
  const sources = [probeSource('probe:dns', { name: d.name, queries: ['CNAME', 'A', 'AAAA'] }, d.checkedAt)];
  const details = [`Chain: ${chain}`];
  if (addresses.length) details.push(`Addresses: ${listFact(addresses)}`);
  if (cls) {
    details.push(`${cls.matched} is an ${cls.service}${cls.lb?.name ? ` named ${cls.lb.name}` : ''}${cls.region ? ` in ${cls.region}` : ''}`);
  }

  if (d.error && ev.system && 'addresses' in ev.system && ev.system.addresses.length && d.chain.length === 1) {
    facts['dns.rcode'] = d.error.failure;
    facts['dns.addresses'] = listFact(ev.system.addresses);
    return {
      status: 'warn',
      outcome: 'other',
      summary: `${d.name} is not in DNS (${d.error.failure}), but this machine resolves it to ${listFact(ev.system.addresses)} (hosts file or a local resolver)`,
      details: [...details, 'A gateway resolving with public DNS (CloudFront does) would not find this name.'],
      facts,
      sources,
    };
  }
  if (d.error) {
    facts['dns.rcode'] = d.error.failure;
    const nx = d.error.failure === 'NXDOMAIN';
    const what =
      nx ? 'does not exist (NXDOMAIN)'
      : d.error.failure === 'NODATA' ? 'exists but has no A/AAAA records (no answer)'
      : d.error.failure === 'SERVFAIL' ? 'could not be resolved: the DNS server failed (SERVFAIL)'
      : d.error.failure === 'LOOP' ? 'is part of a CNAME loop'
      : `could not be resolved (${d.error.code})`;
    const dangling = nx && d.error.at !== d.name;
    const summary = `${d.error.at} ${what}${dangling ? `: ${d.name} points at a name that is gone (dangling CNAME)` : ''}`;
    if (dangling && cls) details.push(`The ${cls.service} this name points at may have been deleted or renamed.`);
    details.push('CloudFront and other gateways resolve origins with public DNS: a failure here is a 502 (OriginDnsError) for them.');
    const findings: Finding[] = [{ cause: 'origin-dns-failure', confidence: 'suspected', evidence: [`${chain}: ${what}`] }];
    return {
      status: 'fail',
      outcome: nx ? 'nxdomain' : 'dns-error',
      summary,
      details,
      facts,
      findings,
      sources,
      nextStep: nx ? `Check the record for ${d.error.at} (dig ${d.error.at}).` : `Retry, then query the authoritative servers (dig +trace ${d.name}).`,
    };
  }
  return {
    status: 'pass',
    outcome: cls?.kind ?? 'other',
    summary: cls
      ? `${d.name} lands on ${cls.service}${cls.lb?.name ? ` ${cls.lb.name}` : ''}${cls.region ? ` (${cls.region})` : ''}: ${listFact(addresses)}`
      : `${d.name} resolves to ${listFact(addresses)}${d.chain.length === 1 ? ' (no CNAME; an alias record would hide the service behind it)' : ''}`,
    details,
    facts,
    sources,
  };
}


/**
 * Builds the check; tests pass a resolver pointed at their own DNS server. When DNS
 * fails for the name itself, the system resolver is asked too (`systemFallback`),
 * so a hosts-file name is not reported as gone.
 */
export function createDnsCheck(resolverFactory?: () => DnsResolver, options: { systemFallback?: boolean } = {}): Check<DnsCheckEvidence> {
  return {
    meta: {
      id: 'net.dns',
      title: 'DNS: CNAME chain, addresses, and which AWS/Azure service the name lands on',
      docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-dns-error.html',
      apis: ['probe:dns'],
      params: { name: { description: 'Host name to resolve (a URL is accepted)', required: true } },
      outcomes: ['aws-lb', 'cloudfront', 'apigw', 'azure', 'other', 'nxdomain', 'dns-error'],
      causes: ['origin-dns-failure'],
      facts: ['dns.chain', 'dns.addresses', 'dns.kind', 'dns.service', 'dns.region', 'dns.rcode', 'lb.dns', 'lb.name', 'apigw.id'],
    },
    async collect(ctx) {
      const name = hostOf(ctx.params.name ?? '');
      if (!name) return { paramError: 'name is required' };
      if (isIP(name)) return { literal: name };
      ctx.progress(`DNS: following the CNAME chain of ${name}`);
      const dns = await ctx.env.dns.chain({ name, resolver: resolverFactory?.(), signal: ctx.signal, now: () => ctx.env.clock.now() });
      if (dns.error && dns.chain.length === 1 && options.systemFallback !== false) {
        return { dns, system: await ctx.env.dns.lookup(name) };
      }
      return { dns };
    },
    evaluate,
  };
}

export const dnsCheck = createDnsCheck();
