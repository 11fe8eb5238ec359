import { scrubSecrets } from './scrub.js';

/**
 * An error the user can act on: one line saying what is wrong and the step to try next
 * (as cli-kit's AbortError with its tryMessage). Commands throw it; the one handler at the
 * top prints it (or puts `{error:{message,nextStep}}` in --json output) and picks the exit code.
 */
export class BadgateError extends Error {
  override readonly name: string = 'BadgateError';
  constructor(message: string, readonly nextStep?: string, readonly exitCode: 2 | 3 = 2) {
    super(message);
  }
}

/**
 * The one place AWS and network errors become words for the responder: a kind, a
 * one-line message and the next step. Mapped by `error.name` (SDK v3 exceptions carry
 * the service's error code there), with the message text only as a tie-breaker.
 */

export type AwsErrorKind =
  | 'not-configured'
  | 'sso-expired'
  | 'unknown-profile'
  | 'no-credentials'
  | 'access-denied'
  | 'throttled'
  | 'endpoint-unreachable'
  | 'not-found'
  | 'expired-token'
  | 'invalid-credentials'
  | 'replay-miss'
  | 'generic';

export interface ClassifiedAwsError {
  kind: AwsErrorKind;
  message: string;
  nextStep: string;
}

export interface ClassifyContext {
  profile?: string;
  /** The IAM action that was being called, e.g. `elasticloadbalancing:DescribeTargetHealth`. */
  action?: string;
}

export const NOT_CONFIGURED_MESSAGE = 'AWS is not configured: pass --profile/--region or set AWS_PROFILE';

/** Thrown by checks when the run has no AwsReader; the runner turns it into `unknown`. */
export class AwsNotConfiguredError extends Error {
  override readonly name = 'AwsNotConfiguredError';
  /** Why AWS is off for this run (the classified setup error), so every check says the real cause. */
  constructor(message = NOT_CONFIGURED_MESSAGE, readonly nextStep?: string) {
    super(message);
  }
}

const ACCESS_DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError',
  'UnauthorizedException', 'Forbidden',
]);
const THROTTLED = new Set([
  'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'PriorRequestNotComplete',
]);
const NOT_FOUND = new Set([
  'LoadBalancerNotFound', 'LoadBalancerNotFoundException', 'TargetGroupNotFound',
  'TargetGroupNotFoundException', 'ListenerNotFound', 'ListenerNotFoundException',
  'RuleNotFound', 'RuleNotFoundException', 'InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed',
  'InvalidGroup.NotFound', 'InvalidSubnetID.NotFound', 'InvalidNetworkAclID.NotFound',
  'InvalidRouteTableID.NotFound', 'InvalidVpcID.NotFound', 'NoSuchBucket', 'NoSuchKey',
  'ResourceNotFoundException', 'InvalidTarget', 'InvalidTargetException',
]);
const EXPIRED_TOKEN = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch',
  'AuthFailure', 'InvalidAccessKeyId', 'IncompleteSignature',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH',
]);

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  cause?: unknown;
  $metadata?: { attempts?: number };
}

function asErrorLike(err: unknown): ErrorLike {
  if (err && typeof err === 'object') return err as ErrorLike;
  return { name: 'Error', message: String(err) };
}

function profileFlag(profile?: string): string {
  return profile ? ` --profile ${profile}` : '';
}

/** "… is not authorized to perform: ec2:DescribeInstances on resource …" names the action itself. */
function actionFromMessage(message: string): string | undefined {
  return /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** Error text is scrubbed here, so an endpoint that echoes credentials cannot put them on screen or disk. */
export function classifyAwsError(err: unknown, ctx: ClassifyContext = {}): ClassifiedAwsError {
  const c = classifyRaw(err, ctx);
  return { ...c, message: scrubSecrets(c.message) };
}

function classifyRaw(err: unknown, ctx: ClassifyContext): ClassifiedAwsError {
  const e = asErrorLike(err);
  const name = e.name ?? e.Code ?? 'Error';
  const message = firstLine(e.message ?? '');
  const code = e.code ?? asErrorLike(e.cause).code;
  const who = ctx.profile ? `profile ${ctx.profile}` : 'the default credentials';

  if (name === 'AwsNotConfiguredError') {
    const given = (err as { nextStep?: unknown }).nextStep;
    return {
      kind: 'not-configured', message: message || NOT_CONFIGURED_MESSAGE,
      nextStep: typeof given === 'string' ? given : 'rerun with --profile NAME --region REGION, or use `badgate drill` / --replay FILE',
    };
  }
  if (name === 'AzureReadError') {
    // Azure reads are classified where they fail (src/azure/sdk.ts), with the step that fixes them.
    const given = (err as { nextStep?: unknown; kind?: unknown });
    const kinds: Record<string, AwsErrorKind> = { 'not-logged-in': 'no-credentials', 'access-denied': 'access-denied', 'not-found': 'not-found', 'endpoint-unreachable': 'endpoint-unreachable', 'not-configured': 'not-configured' };
    return { kind: kinds[String(given.kind)] ?? 'generic', message, nextStep: typeof given.nextStep === 'string' ? given.nextStep : 'run `az login` and re-run the check' };
  }
  if (name === 'RegionMissingError') {
    return { kind: 'not-configured', message: 'No AWS region: none given, none in the profile, no AWS_REGION', nextStep: `pass --region REGION or set region in the profile (aws configure set region REGION${profileFlag(ctx.profile)})` };
  }
  if (name === 'ReplayMissError') {
    return { kind: 'replay-miss', message: `Replay: ${message}`, nextStep: 'record the run again with --record FILE, or run live with --profile' };
  }
  // A profile that exists but yields no credentials (no keys, no sso_*, no role) reads the same in the
  // SDK; the run checks that the profile exists first, so only this message is left to explain here.
  if (/Could not resolve credentials using profile/i.test(message)) {
    return {
      kind: 'unknown-profile',
      message: `AWS profile ${ctx.profile ?? '(unnamed)'} gives no credentials (no keys, SSO settings or role in it)`,
      nextStep: `\`aws configure${profileFlag(ctx.profile)}\` adds keys, \`aws configure sso${profileFlag(ctx.profile)}\` sets up SSO; \`aws sts get-caller-identity${profileFlag(ctx.profile)}\` tests it`,
    };
  }
  if (name === 'ProfileNotFoundError' || /profile .* (could not be found|not found)|Profile .* not found/i.test(message)) {
    return {
      kind: 'unknown-profile',
      message: `AWS profile ${ctx.profile ?? '(unnamed)'} is not in ~/.aws/config or ~/.aws/credentials`,
      nextStep: `run \`aws configure list-profiles\` and pass one of them with --profile, or \`aws configure${profileFlag(ctx.profile)}\``,
    };
  }
  if (/sso/i.test(name) || /SSO (session|token)|sso_start_url|token .*expired.*sso|aws sso login/i.test(message)) {
    return {
      kind: 'sso-expired',
      message: `The SSO session for ${who} is missing or has expired`,
      nextStep: `aws sso login${profileFlag(ctx.profile)}`,
    };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return {
      kind: 'no-credentials',
      message: `No AWS credentials found for ${who}`,
      nextStep: 'set AWS_PROFILE or pass --profile, run `aws configure` (or `aws sso login`), or use `badgate drill` / --replay FILE',
    };
  }
  if (EXPIRED_TOKEN.has(name)) {
    return {
      kind: 'expired-token',
      message: `The AWS session token for ${who} has expired`,
      nextStep: ctx.profile ? `refresh the credentials: aws sso login${profileFlag(ctx.profile)} (or re-run your credential helper)` : 'refresh the temporary credentials (re-run your credential helper or `aws sso login`)',
    };
  }
  if (BAD_CREDENTIALS.has(name)) {
    return {
      kind: 'invalid-credentials',
      message: `AWS rejected the credentials of ${who} (${name})`,
      nextStep: `check the keys with \`aws sts get-caller-identity${profileFlag(ctx.profile)}\``,
    };
  }
  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(message)) {
    const action = actionFromMessage(message) ?? ctx.action;
    return {
      kind: 'access-denied',
      message: action ? `Access denied: missing IAM permission ${action} (${who})` : `Access denied (${name}) for ${who}`,
      nextStep: action
        ? `grant ${action} (read-only) to ${who}; \`badgate iam-policy\` prints the full least-privilege policy`
        : 'grant the read-only actions from `badgate iam-policy`',
    };
  }
  if (THROTTLED.has(name)) {
    return {
      kind: 'throttled',
      message: `AWS throttled ${ctx.action ?? 'the call'} even after retries (${name})`,
      nextStep: 'wait a minute and re-run the check; other tools may be sharing the account\'s API rate',
    };
  }
  if (UNREACHABLE_CODES.has(code ?? '') || UNREACHABLE_CODES.has(name) || name === 'TimeoutError' || name === 'RequestTimeout' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    return {
      kind: 'endpoint-unreachable',
      message: `Could not reach the AWS endpoint${endpoint ? ` ${endpoint}` : ''} (${code ?? name})`,
      nextStep: endpoint ? 'check AWS_ENDPOINT_URL, or unset it to talk to AWS' : 'check network access, proxy settings (HTTPS_PROXY) and --region',
    };
  }
  if (NOT_FOUND.has(name) || /NotFound/.test(name)) {
    return {
      kind: 'not-found',
      message: `Not found: ${message || name}`,
      nextStep: 'check the name/ARN and --region (resources are per region), then pick it again',
    };
  }
  return {
    kind: 'generic',
    message: `${ctx.action ? `${ctx.action} failed: ` : ''}${name}${message ? `: ${message}` : ''}`,
    nextStep: 're-run with --record FILE and attach it to a bug report if it persists',
  };
}
