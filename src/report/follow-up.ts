import type { Cause } from '../engine/causes.js';
import type { Facts } from '../engine/vocabulary.js';
import { isCommand } from './md.js';

export type ActionType = 'prevent' | 'mitigate' | 'detect' | 'process';

export interface ActionItem {
  type: ActionType;
  action: string;
  cause: string;
  owner: string;
  /** Where the work is tracked; a placeholder until someone files the ticket. */
  tracking: string;
  priority: 'P1' | 'P2' | 'P3';
}

export interface Lessons {
  wentWell: string[];
  wentWrong: string[];
  gotLucky: string[];
}

/** What the follow-up needs to know about the investigation, gathered by the postmortem. */
export interface FollowUpInput {
  /** The confirmed cause, or else the leading likely one. */
  cause?: Cause;
  confirmed: boolean;
  resolved: boolean;
  facts: Facts;
  checks: { check: string; status: string; outcome: string; summary: string }[];
  ruledOut: string[];
  /** Minutes from the first measured (or reported) 502 to the start of the investigation. */
  detectionMinutes?: number;
  /** Minutes from the start of the investigation to the cause standing confirmed. */
  confirmMinutes?: number;
  measuredShare?: number;
  targetsWith502: number;
  targetsTotal?: number;
}

export const OWNER = '(owner)';
export const TRACKING = '(ticket)';

const DETECT = /\b(alarm|alert|monitor|dashboard)/i;

/** The fix's first sentence; a long command in it is left to the Resolution section's code block. */
function firstSentence(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(t.replace(/`[^`]*`/g, (c) => c.replace(/[.!?]/g, '\u2024')));
  const first = (m ? m[1] : t).replace(/\u2024/g, '.');
  return first.replace(/:?\s*`([^`]*)`/g, (all, cmd: string) => (isCommand(cmd) ? ' (command under Resolution)' : all));
}

/**
 * Action items from the cause the investigation settled on: its fix (mitigate), the catalog's
 * prevention split into prevent and detect, and process items from what went wrong. A handful,
 * each typed, with an owner and a ticket still to fill in.
 */
export function actionItems(i: FollowUpInput): ActionItem[] {
  const items: ActionItem[] = [];
  const add = (type: ActionType, action: string, cause: string, priority: ActionItem['priority']) => {
    if (!items.some((x) => x.action === action)) items.push({ type, action, cause, owner: OWNER, tracking: TRACKING, priority });
  };
  const c = i.cause;
  if (c) {
    const fix = firstSentence(c.fix.general);
    if (!i.confirmed) add('process', `Confirm or rule out "${c.title}" before acting on it (see "How to confirm" in the catalog).`, c.id, 'P1');
    add('mitigate', i.resolved ? `Make the fix permanent in code or IaC: ${fix}` : `Apply the fix: ${fix}`, c.id, i.resolved ? 'P2' : 'P1');
    const prevent = c.prevent.filter((p) => !DETECT.test(p));
    const detect = c.prevent.filter((p) => DETECT.test(p));
    for (const p of prevent.slice(0, 2)) add('prevent', p, c.id, i.confirmed ? 'P2' : 'P3');
    for (const p of detect.slice(0, 1)) add('detect', p, c.id, 'P2');
    if (!detect.length) add('detect', 'CloudWatch alarms on HTTPCode_ELB_502_Count and HTTPCode_Target_5XX_Count, separately, so the dashboard says who made the 502s.', c.id, 'P2');
  } else {
    add('process', 'Finish the investigation: no cause was confirmed or judged likely. Resume the session, read the access logs and the target logs for the incident window.', '-', 'P1');
    add('detect', 'CloudWatch alarms on HTTPCode_ELB_502_Count and HTTPCode_Target_5XX_Count, separately, so the dashboard says who made the 502s.', '-', 'P2');
  }
  const outcome = (id: string) => i.checks.find((x) => x.check === id)?.outcome;
  if (outcome('elbv2.lb-attributes') === 'logs-off') add('process', 'Turn on ALB access logs (`access_logs.s3.enabled`) so the next incident has per-request evidence.', c?.id ?? '-', 'P2');
  if (i.checks.some((x) => x.status === 'unknown' && /AWS is off|AccessDenied|not authori[sz]ed|missing permission/i.test(x.summary))) {
    add('process', 'Give the on-call role the read-only permissions the investigation needs (`badgate iam-policy` prints them).', c?.id ?? '-', 'P2');
  }
  if (i.detectionMinutes !== undefined && i.detectionMinutes >= 15) {
    add('process', `Review how the 502s were noticed: the investigation started ${i.detectionMinutes} min after they began.`, c?.id ?? '-', 'P3');
  }
  return items.slice(0, 7);
}

/** What went well, what went wrong and where the team got lucky, from the journal's facts. */
export function lessons(i: FollowUpInput): Lessons {
  const wentWell: string[] = [];
  const wentWrong: string[] = [];
  const gotLucky: string[] = [];
  const measured = i.checks.filter((x) => x.status === 'fail' && x.outcome !== 'unknown');
  if (i.confirmed && i.cause) wentWell.push(`The cause (${i.cause.title}) was confirmed${i.confirmMinutes !== undefined ? ` ${i.confirmMinutes} min into the investigation` : ''}.`);
  if (measured.length) wentWell.push(`Measured evidence pointed the way: ${measured.slice(0, 3).map((x) => x.check).join(', ')}.`);
  if (i.ruledOut.length) wentWell.push(`${i.ruledOut.length} other cause${i.ruledOut.length === 1 ? ' was' : 's were'} ruled out with evidence${i.confirmed ? ', so the fix went to the right place' : ', which narrows what is left to check'}.`);
  if (i.resolved) wentWell.push('The 502s stopped after the mitigation.');

  if (!i.cause) wentWrong.push('No cause was confirmed or judged likely.');
  else if (!i.confirmed) wentWrong.push(`The cause was not confirmed: "${i.cause.title}" is only the leading hypothesis.`);
  if (!i.resolved) wentWrong.push('The 502s had not stopped when the investigation ended.');
  const skipped = i.checks.filter((x) => x.status === 'unknown');
  if (skipped.length) wentWrong.push(`${skipped.length} check${skipped.length === 1 ? '' : 's'} could not run or had nothing to read: ${skipped.slice(0, 4).map((x) => x.check).join(', ')}${skipped.length > 4 ? ` and ${skipped.length - 4} more` : ''}.`);
  if (i.checks.find((x) => x.check === 'elbv2.lb-attributes')?.outcome === 'logs-off') wentWrong.push('ALB access logs were off: no per-request evidence for the incident window.');
  if (i.detectionMinutes !== undefined && i.detectionMinutes >= 15) wentWrong.push(`The investigation started ${i.detectionMinutes} min after the 502s began.`);

  if (i.measuredShare !== undefined && i.measuredShare < 0.05) gotLucky.push(`Only ${(i.measuredShare * 100).toFixed(i.measuredShare < 0.001 ? 3 : 1)}% of requests got a 502.`);
  if (i.targetsTotal && i.targetsWith502 > 0 && i.targetsWith502 < i.targetsTotal) gotLucky.push(`The 502s came from ${i.targetsWith502} of ${i.targetsTotal} targets; the others kept serving.`);
  if (!gotLucky.length) gotLucky.push('Nothing recorded: add it in the review.');
  if (!wentWell.length) wentWell.push('Nothing recorded: add it in the review.');
  if (!wentWrong.length) wentWrong.push('Nothing recorded: add it in the review.');
  return { wentWell, wentWrong, gotLucky };
}
