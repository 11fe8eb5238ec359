// Builds CloudFront distributions in moto from SDK write calls (test-only; src/ stays read-only).
import { CloudFrontClient, CreateDistributionCommand, type CacheBehavior, type Origin, type SslProtocol } from '@aws-sdk/client-cloudfront';
import type { MotoAccount } from './moto-server.js';

export interface SeedOrigin {
  id?: string;
  domain: string;
  protocolPolicy?: 'http-only' | 'https-only' | 'match-viewer';
  httpPort?: number;
  httpsPort?: number;
  readTimeout?: number;
  keepaliveTimeout?: number;
  sslProtocols?: SslProtocol[];
}

export interface SeedDistribution {
  origin: SeedOrigin;
  aliases?: string[];
  /** Legacy cache settings: headers forwarded to the origin (`Host` makes CloudFront send the viewer's Host). */
  forwardHeaders?: string[];
  originRequestPolicyId?: string;
  comment?: string;
  logging?: { bucket: string; prefix: string };
}

export interface SeededDistribution {
  id: string;
  domainName: string;
}

export async function seedDistribution(account: MotoAccount, cfg: SeedDistribution): Promise<SeededDistribution> {
  const cf = new CloudFrontClient({ ...account.clientConfig, region: 'us-east-1' });
  const o = cfg.origin;
  const originId = o.id ?? 'origin-1';
  const origin: Origin = {
    Id: originId,
    DomainName: o.domain,
    CustomOriginConfig: {
      HTTPPort: o.httpPort ?? 80,
      HTTPSPort: o.httpsPort ?? 443,
      OriginProtocolPolicy: o.protocolPolicy ?? 'https-only',
      OriginSslProtocols: { Quantity: (o.sslProtocols ?? ['TLSv1.2']).length, Items: o.sslProtocols ?? ['TLSv1.2'] },
      OriginReadTimeout: o.readTimeout ?? 30,
      OriginKeepaliveTimeout: o.keepaliveTimeout ?? 5,
    },
  };
  const behavior: Omit<CacheBehavior, 'PathPattern'> = {
    TargetOriginId: originId,
    ViewerProtocolPolicy: 'redirect-to-https',
    ...(cfg.originRequestPolicyId ? { OriginRequestPolicyId: cfg.originRequestPolicyId } : {}),
    ForwardedValues: {
      QueryString: true,
      Cookies: { Forward: 'none' },
      Headers: { Quantity: (cfg.forwardHeaders ?? []).length, Items: cfg.forwardHeaders ?? [] },
    },
    MinTTL: 0,
  };
  const res = await cf.send(new CreateDistributionCommand({
    DistributionConfig: {
      CallerReference: `badgate-${Math.random().toString(36).slice(2)}`,
      Comment: cfg.comment ?? '',
      Enabled: true,
      Aliases: { Quantity: (cfg.aliases ?? []).length, Items: cfg.aliases ?? [] },
      Origins: { Quantity: 1, Items: [origin] },
      DefaultCacheBehavior: behavior,
      ...(cfg.logging ? { Logging: { Enabled: true, IncludeCookies: false, Bucket: `${cfg.logging.bucket}.s3.amazonaws.com`, Prefix: cfg.logging.prefix } } : {}),
    },
  }));
  return { id: res.Distribution?.Id ?? '', domainName: res.Distribution?.DomainName ?? '' };
}
