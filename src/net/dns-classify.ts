/** What a DNS name says about the service behind it. */
export type DnsKind = 'aws-lb' | 'cloudfront' | 'apigw' | 'azure';

export interface LbName {
  /** The ELB DNS name as found in the chain. */
  dns: string;
  /** The load balancer name, when the DNS name follows the ELB pattern. */
  name?: string;
  region?: string;
  internal: boolean;
  /** NLB names use `elb.<region>.amazonaws.com`; ALB and CLB `<region>.elb.amazonaws.com`. */
  type: 'network' | 'application-or-classic';
}

export interface NameClass {
  kind: DnsKind;
  /** Which service, in words: "AWS Network Load Balancer", "Azure Front Door", … */
  service: string;
  /** The chain member that matched. */
  matched: string;
  lb?: LbName;
  region?: string;
  apiId?: string;
}

function parseElb(host: string): LbName | undefined {
  // <name>-<id>.<region>.elb.amazonaws.com[.cn], <name>-<id>.elb.<region>.amazonaws.com[.cn]
  const m = /^(?:dualstack\.)?(internal-)?([a-z0-9-]+?)(?:-([0-9a-f]+))?\.(?:([a-z]{2}(?:-gov)?-[a-z]+-\d)\.elb|elb\.([a-z]{2}(?:-gov)?-[a-z]+-\d))\.amazonaws\.com(?:\.cn)?$/i.exec(host);
  if (m) {
    return {
      dns: host,
      name: m[2],
      region: m[4] ?? m[5],
      internal: Boolean(m[1]),
      type: m[5] ? 'network' : 'application-or-classic',
    };
  }
  if (/\.elb\.amazonaws\.com(\.cn)?$|\.elb\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i.test(host)) {
    return { dns: host, internal: /^(dualstack\.)?internal-/i.test(host), type: /\.elb\.[a-z0-9-]+\.amazonaws/i.test(host) ? 'network' : 'application-or-classic' };
  }
  return undefined;
}

const AZURE: [RegExp, string][] = [
  [/\.cloudapp\.azure\.com$/i, 'Azure public IP DNS label (Application Gateway, load balancer or VM)'],
  [/\.azurefd\.net$/i, 'Azure Front Door'],
  [/\.trafficmanager\.net$/i, 'Azure Traffic Manager'],
  [/\.azurewebsites\.net$/i, 'Azure App Service'],
  [/\.azureedge\.net$/i, 'Azure CDN'],
  [/\.cloudapp\.net$/i, 'Azure cloud service'],
  [/\.azure-api\.net$/i, 'Azure API Management'],
  [/\.azurecontainerapps\.io$/i, 'Azure Container Apps'],
];

/** Classifies one DNS name; undefined when it is not a known gateway name. */
export function classifyName(raw: string): NameClass | undefined {
  const host = raw.replace(/\.$/, '').toLowerCase();
  const lb = parseElb(host);
  if (lb) {
    const service = lb.type === 'network' ? 'AWS Network Load Balancer' : 'AWS Application or Classic Load Balancer';
    return { kind: 'aws-lb', service: `${lb.internal ? 'internal ' : ''}${service}`, matched: host, lb, region: lb.region };
  }
  if (/\.cloudfront\.net$/i.test(host)) return { kind: 'cloudfront', service: 'Amazon CloudFront distribution', matched: host };
  const api = /^([a-z0-9-]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/i.exec(host);
  if (api) return { kind: 'apigw', service: 'Amazon API Gateway', matched: host, apiId: api[1], region: api[2] };
  for (const [re, service] of AZURE) if (re.test(host)) return { kind: 'azure', service, matched: host };
  return undefined;
}

/** The first chain member that names a known gateway: the outermost service in front. */
export function classifyChain(chain: string[]): NameClass | undefined {
  for (const name of chain) {
    const c = classifyName(name);
    if (c) return c;
  }
  return undefined;
}
