import {
  GetDistributionConfigCommand,
  paginateListDistributions,
  type CacheBehavior as SdkCacheBehavior,
  type CloudFrontClient,
  type DefaultCacheBehavior,
  type Origin,
} from '@aws-sdk/client-cloudfront';
import type { CacheBehavior, CloudFrontOrigin, DistributionConfig, DistributionSummary } from '../reader.js';

export async function listDistributions(client: CloudFrontClient): Promise<DistributionSummary[]> {
  const out: DistributionSummary[] = [];
  for await (const page of paginateListDistributions({ client }, {})) {
    for (const d of page.DistributionList?.Items ?? []) {
      out.push({
        id: d.Id ?? '',
        arn: d.ARN ?? '',
        domainName: d.DomainName ?? '',
        aliases: d.Aliases?.Items ?? [],
        status: d.Status ?? '',
        enabled: d.Enabled ?? false,
        ...(d.Comment ? { comment: d.Comment } : {}),
        originDomains: (d.Origins?.Items ?? []).map((o) => o.DomainName ?? ''),
      });
    }
  }
  return out;
}

function mapOrigin(o: Origin): CloudFrontOrigin {
  const c = o.CustomOriginConfig;
  const v = o.VpcOriginConfig;
  const kind: CloudFrontOrigin['kind'] = c ? 'custom' : v ? 'vpc' : 's3';
  const read = c?.OriginReadTimeout ?? v?.OriginReadTimeout;
  const keepalive = c?.OriginKeepaliveTimeout ?? v?.OriginKeepaliveTimeout;
  return {
    id: o.Id ?? '',
    domainName: o.DomainName ?? '',
    ...(o.OriginPath ? { originPath: o.OriginPath } : {}),
    kind,
    ...(c?.HTTPPort !== undefined ? { httpPort: c.HTTPPort } : {}),
    ...(c?.HTTPSPort !== undefined ? { httpsPort: c.HTTPSPort } : {}),
    ...(c?.OriginProtocolPolicy ? { protocolPolicy: c.OriginProtocolPolicy } : {}),
    sslProtocols: c?.OriginSslProtocols?.Items ?? [],
    ...(read !== undefined ? { readTimeoutSeconds: read } : {}),
    ...(keepalive !== undefined ? { keepaliveTimeoutSeconds: keepalive } : {}),
    ...(o.ConnectionAttempts !== undefined ? { connectionAttempts: o.ConnectionAttempts } : {}),
    ...(o.ConnectionTimeout !== undefined ? { connectionTimeoutSeconds: o.ConnectionTimeout } : {}),
    customHeaderNames: (o.CustomHeaders?.Items ?? []).map((h) => h.HeaderName ?? ''),
  };
}

function mapBehavior(b: SdkCacheBehavior | DefaultCacheBehavior, pathPattern: string): CacheBehavior {
  const headers = b.ForwardedValues?.Headers;
  return {
    pathPattern,
    targetOriginId: b.TargetOriginId ?? '',
    ...(b.OriginRequestPolicyId ? { originRequestPolicyId: b.OriginRequestPolicyId } : {}),
    ...(b.CachePolicyId ? { cachePolicyId: b.CachePolicyId } : {}),
    ...(headers ? { forwardedHeaders: headers.Items ?? [] } : {}),
    functionAssociations: (b.FunctionAssociations?.Items ?? []).map((f) => ({ event: f.EventType ?? '', arn: f.FunctionARN ?? '' })),
    lambdaAssociations: (b.LambdaFunctionAssociations?.Items ?? []).map((f) => ({ event: f.EventType ?? '', arn: f.LambdaFunctionARN ?? '' })),
  };
}

export async function getDistributionConfig(client: CloudFrontClient, id: string): Promise<DistributionConfig> {
  const res = await client.send(new GetDistributionConfigCommand({ Id: id }));
  const d = res.DistributionConfig;
  const logging = d?.Logging;
  return {
    aliases: d?.Aliases?.Items ?? [],
    enabled: d?.Enabled ?? false,
    origins: (d?.Origins?.Items ?? []).map(mapOrigin),
    behaviors: [
      ...(d?.DefaultCacheBehavior ? [mapBehavior(d.DefaultCacheBehavior, '*')] : []),
      ...(d?.CacheBehaviors?.Items ?? []).map((b) => mapBehavior(b, b.PathPattern ?? '')),
    ],
    customErrorResponses: (d?.CustomErrorResponses?.Items ?? []).map((e) => ({
      errorCode: e.ErrorCode ?? 0,
      ...(e.ResponseCode ? { responseCode: e.ResponseCode } : {}),
      ...(e.ResponsePagePath ? { pagePath: e.ResponsePagePath } : {}),
      ...(e.ErrorCachingMinTTL !== undefined ? { minTtlSeconds: e.ErrorCachingMinTTL } : {}),
    })),
    ...(logging ? { logging: { enabled: logging.Enabled ?? false, bucket: logging.Bucket ?? '', prefix: logging.Prefix ?? '' } } : {}),
  };
}
