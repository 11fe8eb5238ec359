import type { CheckResult } from '../engine/vocabulary.js';
import { keepAliveCheck, type KeepAliveCheckEvidence } from './net-keepalive.js';
import type { Check } from './types.js';

/**
 * How long App Gateway keeps an idle connection to the backend: v2 60 s, v1 no fixed value
 * (article 003; not in Microsoft's docs). Its own keep-alive toward clients: v1 120 s, v2 75 s
 * (Application Gateway FAQ).
 */
export const APPGW_BACKEND_IDLE_V2 = 60;
const CLIENT_KEEPALIVE = { v1: 120, v2: 75 } as const;
/** Article 003: set the backend to 90 or 120 s behind v2; behind v1 minutes (e.g. 300 s) or no keep-alive. */
const ADVISED = { v1: 300, v2: 90 } as const;

export interface AppGwKeepAliveEvidence extends KeepAliveCheckEvidence {
  tier: 'v1' | 'v2';
}

function tierOf(raw: string | undefined): 'v1' | 'v2' | undefined {
  const t = (raw ?? '').trim().toLowerCase();
  return t === 'v1' || t === 'v2' ? t : undefined;
}

function evaluate(ev: AppGwKeepAliveEvidence, ctx: Parameters<Check['evaluate']>[1]): CheckResult {
  const base = keepAliveCheck.evaluate(ev, ctx);
  const tier = ev.tier;
  const clientLine = `The gateway's own keep-alive toward clients is ${CLIENT_KEEPALIVE[tier]} s (${tier}); that leg is the gateway's, not the backend's.`;
  // v1 has no fixed value to state, so the fact is left out rather than set to a number it does not have.
  const facts = { ...base.facts, 'appgw.tier': tier, ...(tier === 'v2' ? { 'appgw.backendIdleSeconds': APPGW_BACKEND_IDLE_V2 } : {}), 'backend.recommendedKeepAliveSeconds': ADVISED[tier] };
  const details = [...(base.details ?? []), clientLine];
  const measured = Number(base.facts?.['backend.keepAliveSeconds'] ?? base.facts?.['backend.keepAliveAtLeastSeconds'] ?? NaN);
  if (tier === 'v1' && (base.outcome === 'race' || base.outcome === 'ok') && Number.isFinite(measured) && measured < ADVISED.v1) {
    // v1 has no fixed idle time toward the backend, so any close by the backend can meet a reused connection.
    return {
      ...base, status: 'warn', outcome: 'v1-short', facts,
      summary: `App Gateway v1 has no fixed keep-alive toward the backend, and the backend closes idle connections after ${measured} s: raise it to minutes (e.g. ${ADVISED.v1} s) or turn keep-alive off`,
      details: [...details, 'Article 003: behind v1, set the backend keep-alive to e.g. 300 s, or disable it and see whether the 502s stop.'],
      findings: [{ cause: 'keepalive-race', confidence: 'suspected', evidence: [`backend keep-alive ${measured} s behind App Gateway v1 (no fixed gateway value)`] }],
    };
  }
  if (tier === 'v2' && base.outcome === 'ok' && Number.isFinite(measured) && measured < ADVISED.v2) {
    return { ...base, status: 'warn', facts, details: [...details, `Longer than v2's ${APPGW_BACKEND_IDLE_V2} s, but article 003 advises 90–120 s for a margin.`] };
  }
  return { ...base, facts, details, ...(base.outcome === 'race' ? { summary: `${base.summary} (App Gateway v2 keeps backend connections ${APPGW_BACKEND_IDLE_V2} s; set the backend to 90–120 s)` } : {}) };
}

export const appgwKeepAlive: Check<AppGwKeepAliveEvidence> = {
  meta: {
    id: 'appgw.keepalive',
    title: "Backend keep-alive vs App Gateway's connection reuse (v2 60 s, v1 no fixed value)",
    docs: 'https://learn.microsoft.com/azure/application-gateway/application-gateway-faq',
    apis: keepAliveCheck.meta.apis,
    params: {
      target: { description: 'A backend server to probe directly: URL or host:port (not the gateway)', required: true },
      tier: { description: 'Gateway generation: v1 or v2 (default v2)' },
      maxWaitSeconds: { description: 'Longest wait for the backend to close the idle connection (default 130, past the 90–120 s the article advises)' },
      confirm: { description: '"true" to send a second request just before the measured close' },
    },
    outcomes: ['race', 'ok', 'no-keepalive', 'inconclusive', 'v1-short'],
    causes: ['keepalive-race'],
    facts: [...(keepAliveCheck.meta.facts ?? []), 'appgw.tier', 'appgw.backendIdleSeconds'],
  },
  async collect(ctx) {
    const tier = tierOf(ctx.params.tier) ?? 'v2';
    // v1 has no fixed value; the probe compares against the 300 s the article suggests.
    const idle = tier === 'v2' ? APPGW_BACKEND_IDLE_V2 : ADVISED.v1;
    const params = { ...ctx.params, idleTimeoutSeconds: String(idle), maxWaitSeconds: ctx.params.maxWaitSeconds || String(tier === 'v2' ? 130 : 310) };
    const ev = await keepAliveCheck.collect({ ...ctx, params });
    return { ...ev, tier };
  },
  evaluate,
};
