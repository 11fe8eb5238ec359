/** Names a user types for a gateway: a URL or a host name, and the CNAMEs in front of it. */

/** The host of a URL or of a bare name (`shop.example.com/path`); undefined for an id or an ARN. */
export function hostOf(query: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(query)) {
    try {
      return new URL(query).hostname.toLowerCase();
    } catch {
      return undefined;
    }
  }
  return query.includes('.') ? query.toLowerCase().replace(/\.$/, '').split(/[/:]/)[0] : undefined;
}

/** Follows CNAMEs (a CDN or vanity name in front of the gateway); alias A records end the chain. */
export async function cnameChain(host: string, cname: (host: string) => Promise<string[]>, max = 8): Promise<string[]> {
  const chain = [host];
  let current = host;
  for (let i = 0; i < max; i++) {
    try {
      const [next] = await cname(current);
      if (!next || chain.includes(next.toLowerCase())) break;
      current = next.toLowerCase().replace(/\.$/, '');
      chain.push(current);
    } catch {
      break;
    }
  }
  return chain;
}
