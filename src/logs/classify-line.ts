/**
 * First pass over one 502 line (reference §1.5). Most patterns decide the cause from the
 * line alone; a connection closed or reset by the target needs the traffic around it
 * (idle gap, burst, end of the target's traffic), which the analyzer decides at the end.
 */
import type { AccessRecord, LogCause, LogCauseId } from './types.js';

export type FirstPass =
  | { kind: 'final'; cause: LogCause; why: string; alternatives?: LogCauseId[] }
  /**
   * dispatched: the request reached the target (`0.000 0.000 -1`: request and target
   * processing times ≥ 0) vs never sent (`-1 -1 -1`: the connect failed, by RST or ICMP, or a
   * reused connection was already closed). heldSeconds: how long the target had it.
   */
  | { kind: 'connection-closed'; dispatched: boolean; heldSeconds: number };

/**
 * Every Lambda error_reason the ALB documents (load-balancer-access-logs.html, "Error reason
 * codes"), what it means and the cause it names. The shape codes are the function's answer;
 * LambdaAccessDenied is the resource policy; the rest are the function failing, timing out
 * (LambdaUnhandled), being throttled, or Lambda/EC2 failing to start or reach it.
 */
export const LAMBDA_ERROR_REASONS: Record<string, { cause: LogCauseId; meaning: string }> = {
  LambdaInvalidResponse: { cause: 'lambda-invalid-response', meaning: "the function's response is malformed or lacks required fields" },
  LambdaResponseTooLarge: { cause: 'lambda-invalid-response', meaning: 'the response is over 1 MB' },
  LambdaAccessDenied: { cause: 'lambda-invoke-permission-missing', meaning: 'the ALB may not invoke the function (resource-based policy)' },
  LambdaBadRequest: { cause: 'lambda-error-or-timeout', meaning: 'the request headers or body are not UTF-8' },
  LambdaConnectionError: { cause: 'lambda-error-or-timeout', meaning: 'the ALB could not connect to Lambda' },
  LambdaConnectionTimeout: { cause: 'lambda-error-or-timeout', meaning: 'the connection to Lambda timed out' },
  LambdaEC2AccessDeniedException: { cause: 'lambda-error-or-timeout', meaning: 'EC2 denied Lambda access while the function started (VPC)' },
  LambdaEC2ThrottledException: { cause: 'lambda-error-or-timeout', meaning: 'EC2 throttled Lambda while the function started' },
  LambdaEC2UnexpectedException: { cause: 'lambda-error-or-timeout', meaning: 'an unexpected EC2 error while the function started' },
  LambdaENILimitReachedException: { cause: 'lambda-error-or-timeout', meaning: "no network interface could be made in the function's VPC (ENI limit)" },
  LambdaInvalidRuntimeException: { cause: 'lambda-error-or-timeout', meaning: 'the runtime version is not supported' },
  LambdaInvalidSecurityGroupIDException: { cause: 'lambda-error-or-timeout', meaning: "a security group in the function's VPC configuration is invalid" },
  LambdaInvalidSubnetIDException: { cause: 'lambda-error-or-timeout', meaning: "a subnet in the function's VPC configuration is invalid" },
  LambdaInvalidZipFileException: { cause: 'lambda-error-or-timeout', meaning: 'the deployment package could not be unzipped' },
  LambdaKMSAccessDeniedException: { cause: 'lambda-error-or-timeout', meaning: 'environment variables could not be decrypted: KMS access denied' },
  LambdaKMSDisabledException: { cause: 'lambda-error-or-timeout', meaning: 'environment variables could not be decrypted: the KMS key is disabled' },
  LambdaKMSInvalidStateException: { cause: 'lambda-error-or-timeout', meaning: 'environment variables could not be decrypted: the KMS key is in an invalid state' },
  LambdaKMSNotFoundException: { cause: 'lambda-error-or-timeout', meaning: 'environment variables could not be decrypted: the KMS key was not found' },
  LambdaRequestTooLarge: { cause: 'lambda-error-or-timeout', meaning: 'the request body is over 1 MB' },
  LambdaResourceNotFound: { cause: 'lambda-error-or-timeout', meaning: 'the function does not exist' },
  LambdaServiceException: { cause: 'lambda-error-or-timeout', meaning: 'Lambda had an internal error' },
  LambdaSubnetIPAddressLimitReachedException: { cause: 'lambda-error-or-timeout', meaning: "no free IP address in the function's subnets" },
  LambdaThrottling: { cause: 'lambda-error-or-timeout', meaning: 'the function was throttled (concurrency)' },
  LambdaUnhandled: { cause: 'lambda-error-or-timeout', meaning: 'the function raised an unhandled error or ran past its timeout' },
  LambdaUnhandledException: { cause: 'lambda-error-or-timeout', meaning: 'the load balancer hit an unhandled exception' },
  LambdaWebsocketNotSupported: { cause: 'lambda-error-or-timeout', meaning: 'WebSockets are not supported with Lambda targets' },
};

export function classify502(r: AccessRecord): FirstPass {
  if (r.targetStatusCode === 502) {
    return { kind: 'final', cause: 'target-generated-502', why: 'target_status_code is 502: the target (or a proxy inside it) produced the 502' };
  }
  if (r.format === 'clb' && r.targetStatusCode === null) {
    // A Classic ELB answers a closed or reset backend connection with 504, not 502
    // (ts-elb-error-message), so the ALB keep-alive logic does not apply to its 502s.
    return {
      kind: 'final', cause: 'malformed-response', alternatives: ['response-headers-too-large'],
      why: 'a Classic ELB made this 502: it could not parse the instance\'s response (on a CLB the keep-alive race shows as 504)',
    };
  }
  if (r.errorReason.startsWith('Lambda')) {
    const known = Object.hasOwn(LAMBDA_ERROR_REASONS, r.errorReason) ? LAMBDA_ERROR_REASONS[r.errorReason] : undefined;
    // A code AWS adds later is still a failure to invoke or run the function.
    if (!known) return { kind: 'final', cause: 'lambda-error-or-timeout', why: `error_reason ${r.errorReason}: a Lambda target failure this version does not know by name` };
    return { kind: 'final', cause: known.cause, why: `error_reason ${r.errorReason}: ${known.meaning}` };
  }
  if (r.errorReason !== '-' && r.errorReason !== '') {
    return { kind: 'final', cause: 'unclassified', why: `error_reason ${r.errorReason} (authenticate, WAF or weighted target groups)` };
  }
  if (r.targetStatusCode !== null) {
    return { kind: 'final', cause: 'unclassified', why: `the LB answered 502 although the target answered ${r.targetStatusCode}` };
  }
  if (r.target === '-' || r.target === '') {
    return { kind: 'final', cause: 'unclassified', why: 'no target was chosen and no error_reason was logged' };
  }
  const rp = r.requestProcessingTime;
  const tp = r.targetProcessingTime;
  const sp = r.responseProcessingTime;
  if (rp >= 0 && tp >= 0 && sp >= 0) {
    return {
      kind: 'final', cause: 'malformed-response', alternatives: ['response-headers-too-large'],
      why: 'the target was reached and timed, but its response was not accepted (target_status_code -): malformed or over-32 KB headers',
    };
  }
  const dispatched = rp >= 0 && tp >= 0;
  return { kind: 'connection-closed', dispatched, heldSeconds: dispatched ? tp : 0 };
}
