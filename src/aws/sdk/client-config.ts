import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { profileRegion } from './profile-region.js';

export interface SdkOptions {
  profile?: string;
  region?: string;
  /** Overrides AWS_ENDPOINT_URL (tests point this at moto). */
  endpoint?: string;
  /** Explicit credentials (tests, assumed roles); otherwise profile or the default chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  /** Bound on one AWS request, connect to last byte (default 30 s; connect alone at most 5 s). */
  timeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const MAX_CONNECT_TIMEOUT_MS = 5_000;

/** The one config every client is built from, so all services agree on who and where. */
export interface SharedClientConfig {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard';
  /** An endpoint that accepts the connection and never answers must not hang a run. */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

export const DEFAULT_REGION_HINT = 'pass --region, set region in the profile, or set AWS_REGION';

export class RegionMissingError extends Error {
  override readonly name = 'RegionMissingError';
  constructor() {
    super(`No AWS region: ${DEFAULT_REGION_HINT}`);
  }
}

export function resolveRegion(opts: Pick<SdkOptions, 'profile' | 'region'>): string | undefined {
  // Empty env values count as unset, as the AWS CLI treats them.
  const profile = opts.profile || process.env.AWS_PROFILE || undefined;
  return opts.region
    || (profile ? profileRegion(profile) : undefined)
    || process.env.AWS_REGION
    || process.env.AWS_DEFAULT_REGION
    || (profile ? undefined : profileRegion('default'))
    || undefined;
}

export function resolveClientConfig(opts: SdkOptions = {}): SharedClientConfig {
  const region = resolveRegion(opts);
  if (!region) throw new RegionMissingError();
  const credentials = opts.credentials
    ?? (opts.profile ? fromIni({ profile: opts.profile }) : fromNodeProviderChain());
  const endpoint = opts.endpoint ?? (process.env.AWS_ENDPOINT_URL || undefined);
  return {
    region,
    credentials,
    ...(endpoint ? { endpoint } : {}),
    // Standard mode retries throttling with backoff; 4 attempts keeps a 3 a.m. run from
    // failing on one burst without hiding a real outage for minutes.
    maxAttempts: opts.maxAttempts ?? 4,
    retryMode: 'standard',
    requestHandler: requestTimeouts(opts.timeoutMs),
  };
}

export function requestTimeouts(timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): SharedClientConfig['requestHandler'] {
  // Without throwOnRequestTimeout the handler only warns and the request waits forever.
  return { connectionTimeout: Math.min(MAX_CONNECT_TIMEOUT_MS, timeoutMs), requestTimeout: timeoutMs, throwOnRequestTimeout: true };
}

/** S3 against moto or any custom endpoint needs path-style addressing. */
export function s3ClientConfig(config: SharedClientConfig): SharedClientConfig & { forcePathStyle: boolean } {
  return { ...config, forcePathStyle: Boolean(config.endpoint) };
}
