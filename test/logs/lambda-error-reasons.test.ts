// Every Lambda error_reason the ALB documents names the cause a responder would act on.
// Codes: "Error reason codes" → "Lambda" in
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
// The lines are the documented Lambda failure entry (same page, "Example log entries") with
// field 25 (error_reason) swapped for each code.
import { describe, expect, it } from 'vitest';
import { LAMBDA_ERROR_REASONS } from '../../src/logs/classify-line.js';
import { analyzeText } from '../../src/logs/log-analyzer.js';
import { DOC_LAMBDA } from './fixtures.js';

/** The list as the page gives it, written out here so the table in src cannot quietly drop one. */
const DOCUMENTED = [
  'LambdaAccessDenied', 'LambdaBadRequest', 'LambdaConnectionError', 'LambdaConnectionTimeout',
  'LambdaEC2AccessDeniedException', 'LambdaEC2ThrottledException', 'LambdaEC2UnexpectedException',
  'LambdaENILimitReachedException', 'LambdaInvalidResponse', 'LambdaInvalidRuntimeException',
  'LambdaInvalidSecurityGroupIDException', 'LambdaInvalidSubnetIDException', 'LambdaInvalidZipFileException',
  'LambdaKMSAccessDeniedException', 'LambdaKMSDisabledException', 'LambdaKMSInvalidStateException',
  'LambdaKMSNotFoundException', 'LambdaRequestTooLarge', 'LambdaResourceNotFound', 'LambdaResponseTooLarge',
  'LambdaServiceException', 'LambdaSubnetIPAddressLimitReachedException', 'LambdaThrottling', 'LambdaUnhandled',
  'LambdaUnhandledException', 'LambdaWebsocketNotSupported',
];

const EXPECTED: Record<string, string> = {
  LambdaInvalidResponse: 'lambda-invalid-response',
  LambdaResponseTooLarge: 'lambda-invalid-response',
  LambdaAccessDenied: 'lambda-invoke-permission-missing',
};

const lineWith = (code: string) => DOC_LAMBDA.replace('"LambdaInvalidResponse"', `"${code}"`);

describe('ALB access log: Lambda error_reason codes', () => {
  it('the table knows exactly the documented codes', () => {
    expect(Object.keys(LAMBDA_ERROR_REASONS).sort()).toEqual([...DOCUMENTED].sort());
  });

  it.each(DOCUMENTED)('%s names its cause, confirmed, citing the line', (code) => {
    const a = analyzeText({ 'alb.log': lineWith(code) });
    const want = EXPECTED[code] ?? 'lambda-error-or-timeout';
    expect(a.causes).toEqual([expect.objectContaining({ cause: want, count: 1, confidence: 'confirmed', evidence: ['alb.log:1'] })]);
    // The line is an ALB 502 with no target (`-`) and no target status: not a keep-alive race.
    expect(a).toMatchObject({ count502: 1, lb502: 1 });
    expect(a.keepalive.signature).toBeFalsy();
  });

  it('a mixed log tallies each cause, most common first', () => {
    const lines = [
      ...Array.from({ length: 5 }, () => lineWith('LambdaUnhandled')),
      ...Array.from({ length: 3 }, () => lineWith('LambdaInvalidResponse')),
      lineWith('LambdaAccessDenied'),
      lineWith('LambdaThrottling'),
    ];
    const a = analyzeText({ 'alb.log': lines.join('\n') });
    expect(a.causes.map((c) => [c.cause, c.count])).toEqual([
      ['lambda-error-or-timeout', 6], ['lambda-invalid-response', 3], ['lambda-invoke-permission-missing', 1],
    ]);
  });

  it('a Lambda code AWS adds later still reads as a Lambda failure, not as unclassified', () => {
    const a = analyzeText({ 'alb.log': lineWith('LambdaSomethingNew') });
    expect(a.causes[0]).toMatchObject({ cause: 'lambda-error-or-timeout' });
  });
});
