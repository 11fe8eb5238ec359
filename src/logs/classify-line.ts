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

const LAMBDA_SHAPE = new Set(['LambdaInvalidResponse', 'LambdaResponseTooLarge']);

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
    if (LAMBDA_SHAPE.has(r.errorReason)) {
      return { kind: 'final', cause: 'lambda-invalid-response', why: `error_reason ${r.errorReason}: the function's response is malformed or over 1 MB` };
    }
    if (r.errorReason === 'LambdaAccessDenied') {
      return { kind: 'final', cause: 'lambda-invoke-permission-missing', why: "error_reason LambdaAccessDenied: the function's resource policy does not let elasticloadbalancing.amazonaws.com invoke it" };
    }
    return { kind: 'final', cause: 'lambda-error-or-timeout', why: `error_reason ${r.errorReason}: the function failed, timed out or could not be invoked` };
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
