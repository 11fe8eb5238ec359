import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { profileRegion, resolveClientConfig, resolveRegion, RegionMissingError } from '../../src/aws/sdk/index.js';

const dir = mkdtempSync(join(tmpdir(), 'badgate-aws-'));
const config = join(dir, 'config');
writeFileSync(config, [
  '[default]', 'region = eu-west-1', '',
  '[profile prod] ; comment', 'sso_start_url = https://x.awsapps.com/start', 'region=us-west-2', '',
  '[profile noregion]', 'output = json', '',
].join('\n'));

describe('region and config resolution', () => {
  beforeEach(() => {
    vi.stubEnv('AWS_CONFIG_FILE', config);
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_ENDPOINT_URL', '');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('reads a profile region from ~/.aws/config', () => {
    expect(profileRegion('prod', config)).toBe('us-west-2');
    expect(profileRegion('default', config)).toBe('eu-west-1');
    expect(profileRegion('noregion', config)).toBeUndefined();
    expect(profileRegion('prod', join(dir, 'missing'))).toBeUndefined();
  });

  it('--region beats the profile, the profile beats AWS_REGION, then AWS_DEFAULT_REGION', () => {
    vi.stubEnv('AWS_REGION', 'ap-south-1');
    expect(resolveRegion({ profile: 'prod', region: 'sa-east-1' })).toBe('sa-east-1');
    expect(resolveRegion({ profile: 'prod' })).toBe('us-west-2');
    expect(resolveRegion({ profile: 'noregion' })).toBe('ap-south-1');
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', 'ca-central-1');
    expect(resolveRegion({ profile: 'noregion' })).toBe('ca-central-1');
  });

  it('no region anywhere is a clear error', () => {
    expect(() => resolveClientConfig({ profile: 'noregion' })).toThrow(RegionMissingError);
  });

  it('honours AWS_ENDPOINT_URL and uses standard retries', () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:5000');
    const c = resolveClientConfig({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(c).toMatchObject({ region: 'us-east-1', endpoint: 'http://127.0.0.1:5000', retryMode: 'standard' });
    expect(c.maxAttempts).toBeGreaterThanOrEqual(3);
    expect(c.maxAttempts).toBeLessThanOrEqual(4);
  });
});
