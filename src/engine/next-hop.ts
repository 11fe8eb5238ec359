import type { SessionState } from './session.js';
import type { Facts } from './vocabulary.js';

/**
 * Where a finished investigation hands over: the flow a choice named (`handover.flow`), the next hop's
 * load balancer or URL as the earlier flow found it, and what the responder already told us.
 */
export interface NextHop {
  flow: string;
  lb?: string;
  url?: string;
  /** Start facts for the next session: the incident as told, and where it came from. */
  carried: Facts;
}

/** Facts that name the next hop's load balancer: CloudFront's ALB origin, an API's VPC-link NLB. */
const HOP_LB_FACTS = ['cf.origin.albName', 'apigw.nlbName'];
/** Facts that name the next hop's URL: an API's HTTP backend; else the affected URL itself. */
const HOP_URL_FACTS = ['apigw.backendUrl', 'incident.url'];
/** What the responder answered at intake, so the next flow's questions start filled in. */
const CARRIED = ['incident.title', 'incident.startedAt', 'incident.method', 'scope.status'];

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

export function nextHop(state: Pick<SessionState, 'facts' | 'flowId' | 'sessionId' | 'ended'>, flows: readonly string[]): NextHop | undefined {
  const flow = text(state.facts['handover.flow']);
  if (!state.ended || !flow || flow === state.flowId || !flows.includes(flow)) return undefined;
  const lb = HOP_LB_FACTS.map((f) => text(state.facts[f])).find(Boolean);
  const url = HOP_URL_FACTS.map((f) => text(state.facts[f])).find((u) => u && /^https?:\/\//i.test(u));
  const carried: Facts = { 'handover.from': state.sessionId, 'handover.fromFlow': state.flowId };
  for (const k of CARRIED) if (state.facts[k] !== undefined) carried[k] = state.facts[k];
  return { flow, ...(lb ? { lb } : {}), ...(url ? { url } : {}), carried };
}
