import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileExists } from '../../src/aws/sdk/profile-region.js';
import { AwsNotConfiguredError, classifyAwsError } from '../../src/engine/errors.js';
import { ReplayMissError } from '../../src/ports/recording.js';

const err = (name: string, message = '', extra: object = {}) => Object.assign(new Error(message), { name }, extra);

describe('classifyAwsError', () => {
  it.each([
    [err('CredentialsProviderError', 'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'), 'sso-expired', 'aws sso login --profile prod'],
    [err('TokenProviderError', "The SSO session token associated with profile=prod was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile."), 'sso-expired', 'aws sso login --profile prod'],
    // The SDK's words for a profile that exists but holds no keys, SSO settings or role.
    [err('CredentialsProviderError', 'Could not resolve credentials using profile: [prod] in configuration/credentials file(s).'), 'unknown-profile', /aws configure sso --profile prod.*aws sts get-caller-identity --profile prod/],
    [err('ProfileNotFoundError', 'Profile prod not found'), 'unknown-profile', /aws configure list-profiles/],
    [err('CredentialsProviderError', 'Could not load credentials from any providers'), 'no-credentials', /AWS_PROFILE.*aws configure.*drill/],
    [err('ExpiredToken', 'The security token included in the request is expired'), 'expired-token', /aws sso login --profile prod/],
    [err('ThrottlingException', 'Rate exceeded'), 'throttled', /wait a minute/],
    [err('RequestLimitExceeded'), 'throttled', /re-run/],
    [err('TooManyRequestsException'), 'throttled', /re-run/],
    [err('Error', 'connect ECONNREFUSED 127.0.0.1:4566', { code: 'ECONNREFUSED' }), 'endpoint-unreachable', /AWS_ENDPOINT_URL|network/],
    [err('Error', 'getaddrinfo ENOTFOUND elasticloadbalancing.xx-1.amazonaws.com', { code: 'ENOTFOUND' }), 'endpoint-unreachable', /network|AWS_ENDPOINT_URL/],
    [err('TimeoutError', 'socket timed out'), 'endpoint-unreachable', /./],
    [err('LoadBalancerNotFoundException', 'One or more load balancers not found'), 'not-found', /--region/],
    [err('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist"), 'not-found', /--region/],
    [err('TargetGroupNotFound'), 'not-found', /--region/],
    [new AwsNotConfiguredError(), 'not-configured', /--profile/],
    [new ReplayMissError('describeTargetHealth', ['arn']), 'replay-miss', /--record/],
    [err('RegionMissingError', 'No AWS region'), 'not-configured', /--region REGION/],
    [err('InternalFailure', 'boom'), 'generic', /--record/],
  ])('%s → %s', (e, kind, next) => {
    const c = classifyAwsError(e, { profile: 'prod', action: 'elasticloadbalancing:DescribeTargetHealth' });
    expect(c.kind).toBe(kind);
    if (typeof next === 'string') expect(c.nextStep).toBe(next);
    else expect(c.nextStep).toMatch(next);
    // One line each, for the screen.
    expect(c.message).not.toContain('\n');
    expect(c.nextStep).not.toContain('\n');
  });

  it('AccessDenied names the action from the message, else from the failing call', () => {
    expect(classifyAwsError(err('AccessDenied', 'User: arn:aws:iam::1:user/x is not authorized to perform: ec2:DescribeNetworkAcls on resource *')).message)
      .toBe('Access denied: missing IAM permission ec2:DescribeNetworkAcls (the default credentials)');
    const c = classifyAwsError(err('AccessDeniedException', 'denied'), { action: 'cloudwatch:GetMetricData', profile: 'ro' });
    expect(c).toEqual({
      kind: 'access-denied',
      message: 'Access denied: missing IAM permission cloudwatch:GetMetricData (profile ro)',
      nextStep: 'grant cloudwatch:GetMetricData (read-only) to profile ro; `badgate iam-policy` prints the full least-privilege policy',
    });
  });

  it('not configured says exactly how to configure', () => {
    expect(classifyAwsError(new AwsNotConfiguredError()).message).toBe('AWS is not configured: pass --profile/--region or set AWS_PROFILE');
  });

  it('tolerates non-Error throws', () => {
    expect(classifyAwsError('weird').kind).toBe('generic');
    expect(classifyAwsError(undefined).kind).toBe('generic');
  });
});

describe('profileExists', () => {
  it('finds a profile in the config file (as `profile x`) or the credentials file (as `x`), nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'badgate-aws-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n[profile dev]\nsso_session = corp\n[sso-session corp]\n');
    writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = AKIDEXAMPLE\n');
    const has = (p: string) => profileExists(p, join(dir, 'config'), join(dir, 'credentials'));
    expect([has('default'), has('dev'), has('ci')]).toEqual([true, true, true]);
    expect([has('corp'), has('prod'), profileExists('dev', join(dir, 'nope'), join(dir, 'nope'))]).toEqual([false, false, false]);
  });
});
