import type { AwsReader, DistributionConfig, DistributionSummary } from '../aws/reader.js';
import { plural, table } from './elbv2-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import { cnameChain, hostOf } from './host-names.js';

export interface CloudFrontResolveEvidence {
  query?: string;
  /** The URL's host and every name its CNAME chain passed through. */
  hostnames: string[];
  candidates: DistributionSummary[];
  distribution?: DistributionSummary;
  config?: DistributionConfig;
}

/** Distribution ids are upper-case letters and digits (`E2QWRUHAPOMQZL`). */
const DIST_ID = /^[A-Z0-9]{8,20}$/;

/** `*.example.com` in Aliases covers `www.example.com`, one label deep, as CloudFront matches it. */
function aliasCovers(alias: string, host: string): boolean {
  const a = alias.toLowerCase();
  if (a.startsWith('*.')) return host.endsWith(a.slice(1)) && !host.slice(0, -a.length + 1).includes('.');
  return a === host;
}

async function findDistribution(aws: AwsReader, query: string | undefined, cname: (host: string) => Promise<string[]>): Promise<Pick<CloudFrontResolveEvidence, 'distribution' | 'candidates' | 'hostnames'>> {
  const all = await aws.listDistributions();
  if (!query) return all.length === 1 ? { distribution: all[0], candidates: [], hostnames: [] } : { candidates: all, hostnames: [] };
  if (DIST_ID.test(query)) {
    const d = all.find((x) => x.id === query);
    return { ...(d ? { distribution: d } : {}), candidates: d ? [] : all, hostnames: [] };
  }
  const host = hostOf(query);
  if (!host) return { candidates: all, hostnames: [] };
  const hostnames = await cnameChain(host, cname);
  const matches = (domainName: string, aliases: string[]) => hostnames.some((h) => h === domainName.toLowerCase() || aliases.some((a) => aliasCovers(a, h)));
  let d = all.find((x) => matches(x.domainName, x.aliases));
  // A summary without aliases (an emulator's, or a trimmed one) is matched on its full config.
  for (const x of d ? [] : all.filter((s) => !s.aliases.length).slice(0, 50)) {
    const cfg = await aws.getDistributionConfig(x.id);
    if (matches(x.domainName, cfg.aliases)) {
      d = { ...x, aliases: cfg.aliases };
      break;
    }
  }
  return { ...(d ? { distribution: d } : {}), candidates: d ? [] : all, hostnames };
}

function evaluate(ev: CloudFrontResolveEvidence): CheckResult {
  const cfg = ev.config;
  const d = ev.distribution && cfg ? { ...ev.distribution, aliases: cfg.aliases } : ev.distribution;
  if (!d || !cfg) {
    const listing = table(['id', 'domain', 'aliases', 'status'], ev.candidates.map((c) => [c.id, c.domainName, c.aliases.join(',') || '-', c.status]));
    if (!ev.query && ev.candidates.length > 1) {
      return { status: 'warn', outcome: 'ambiguous', summary: `${plural(ev.candidates.length, 'distribution')} in this account: pick one with --distribution ID`, details: listing };
    }
    const followed = ev.hostnames.length > 1 ? ` (followed ${ev.hostnames.join(' → ')})` : '';
    return {
      status: 'warn',
      outcome: 'not-found',
      summary: ev.query ? `No CloudFront distribution matches ${ev.query}${followed}` : 'No CloudFront distribution in this account',
      details: ev.candidates.length ? ['Distributions in this account:', ...listing] : ['CloudFront is global: check the account (--profile), not the region.'],
      nextStep: 'Pass the distribution id (aws cloudfront list-distributions --query "DistributionList.Items[].[Id,DomainName,Aliases.Items]") with --distribution ID',
    };
  }
  const byId = new Map(cfg.origins.map((o) => [o.id, o]));
  const defaultOrigin = byId.get(cfg.behaviors[0]?.targetOriginId ?? '') ?? cfg.origins[0];
  const functions = cfg.behaviors.flatMap((b) => b.functionAssociations);
  const lambdas = cfg.behaviors.flatMap((b) => b.lambdaAssociations);
  const details = [
    `${d.id}: ${d.domainName}${d.aliases.length ? ` (aliases ${d.aliases.join(', ')})` : ''}, ${d.status}${d.enabled ? '' : ', DISABLED'}`,
    ...cfg.origins.map((o) => `origin ${o.id}: ${o.kind} ${o.domainName}${o.protocolPolicy ? ` ${o.protocolPolicy}` : ''}`),
    ...cfg.behaviors.map((b) => `behaviour ${b.pathPattern} → ${b.targetOriginId}${b.functionAssociations.length ? ` · CloudFront Functions on ${b.functionAssociations.map((f) => f.event).join(', ')}` : ''}${b.lambdaAssociations.length ? ` · Lambda@Edge on ${b.lambdaAssociations.map((f) => f.event).join(', ')}` : ''}`),
    cfg.logging?.enabled ? `standard logs → s3://${cfg.logging.bucket.replace(/\.s3\.amazonaws\.com$/, '')}/${cfg.logging.prefix}` : 'standard logs are off: no x-edge-detailed-result-type for this incident',
  ];
  const facts: Facts = {
    'cf.id': d.id,
    'cf.domain': d.domainName,
    'cf.aliases': d.aliases.join(','),
    'cf.originCount': cfg.origins.length,
    'cf.originDomains': cfg.origins.map((o) => o.domainName).join(','),
    'cf.functions': functions.length,
    'cf.lambdaEdge': lambdas.length,
    'cf.logging.enabled': cfg.logging?.enabled ?? false,
  };
  if (cfg.logging?.enabled) {
    facts['cf.logging.bucket'] = cfg.logging.bucket.replace(/\.s3\.amazonaws\.com$/, '');
    facts['cf.logging.prefix'] = cfg.logging.prefix;
  }
  if (defaultOrigin) {
    facts['cf.origin.id'] = defaultOrigin.id;
    facts['cf.origin.domain'] = defaultOrigin.domainName;
    facts['cf.origin.kind'] = defaultOrigin.kind;
  }
  return {
    status: 'pass',
    outcome: 'found',
    summary: `${d.id} (${d.aliases[0] ?? d.domainName}): ${plural(cfg.origins.length, 'origin')}, default → ${defaultOrigin?.domainName ?? '(none)'}`,
    details,
    facts,
  };
}

export const cloudfrontResolve: Check<CloudFrontResolveEvidence> = {
  meta: {
    id: 'cloudfront.resolve',
    title: 'Find the CloudFront distribution and map its origins and behaviours',
    docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-values-specify.html',
    apis: ['cloudfront:ListDistributions', 'cloudfront:GetDistributionConfig'],
    params: {
      distribution: { description: 'Distribution id, its *.cloudfront.net name, an alias, or a URL whose host (or CNAME chain) is one; empty picks the only distribution' },
      url: { description: 'The failing URL, used when distribution is empty' },
    },
    outcomes: ['found', 'not-found', 'ambiguous'],
    facts: [
      'cf.id', 'cf.domain', 'cf.aliases', 'cf.originCount', 'cf.originDomains', 'cf.functions', 'cf.lambdaEdge',
      'cf.logging.enabled', 'cf.logging.bucket', 'cf.logging.prefix', 'cf.origin.id', 'cf.origin.domain', 'cf.origin.kind',
    ],
    strength: 'config',
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const query = ctx.params.distribution?.trim() || ctx.params.url?.trim() || undefined;
    ctx.progress('ListDistributions');
    const found = await findDistribution(aws, query, (h) => ctx.env.dns.cname(h));
    const ev: CloudFrontResolveEvidence = { ...(query ? { query } : {}), ...found };
    if (found.distribution) {
      ctx.progress(`GetDistributionConfig ${found.distribution.id}`);
      ev.config = await aws.getDistributionConfig(found.distribution.id);
    }
    return ev;
  },
  evaluate: (ev) => evaluate(ev),
};
