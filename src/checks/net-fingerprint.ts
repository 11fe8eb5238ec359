import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import { fingerprint, parsePastedResponse, type ResponseSample } from '../net/fingerprint.js';
import type { HttpProbeEvidence } from '../net/http-probe.js';
import { parseTarget } from '../net/target.js';
import { pickResponse } from './net-http-probe.js';
import { paramProblem, probeSource } from './net-shared.js';

export interface FingerprintEvidence {
  /** Pasted headers/body, or the response a live probe got. */
  sample?: ResponseSample;
  probe?: HttpProbeEvidence;
  paramError?: string;
}

const FLOW_HINT = 'Pick the flow by hand (badgate run <flow>), or paste the response headers as the headers param.';

function evaluate(ev: FingerprintEvidence): CheckResult {
  if (ev.paramError) {
    return paramProblem(ev.paramError, 'Pass url, or paste the response as headers ("Name: value" lines) and body.');
  }
  let sample = ev.sample;
  if (!sample && ev.probe) {
    const picked = pickResponse(ev.probe.attempts);
    if (picked?.status !== undefined) sample = { status: picked.status, headers: picked.headers ?? {}, body: picked.body };
  }
  const sources = ev.probe ? [probeSource('probe:http', { url: ev.probe.url }, ev.probe.startedAt)] : undefined;
  if (!sample) {
    const err = ev.probe?.attempts.find((a) => a.error)?.error;
    return {
      status: 'unknown',
      outcome: 'unknown',
      summary: `No response to fingerprint${err ? `: ${err.message}` : ''}`,
      sources,
      nextStep: FLOW_HINT,
    };
  }
  const fp = fingerprint(sample);
  const facts: Facts = { 'gateway.kind': fp.kind };
  if (fp.flow) facts['gateway.flow'] = fp.flow;
  if (fp.evidence.length) facts['gateway.evidence'] = fp.evidence.join('; ');
  const details = [
    ...fp.evidence.map((e) => `matched ${e}`),
    ...fp.alsoSeen.map((s) => `also seen: ${s.kind} (${s.evidence.join('; ')})`),
  ];
  const status = sample.status !== undefined ? ` ${sample.status}` : '';
  if (fp.kind === 'unknown') {
    return {
      status: 'warn',
      outcome: 'unknown-gateway',
      summary: `The response${status} carries no gateway signature badgate knows`,
      details: [`headers seen: ${Object.keys(sample.headers).join(', ') || 'none'}`],
      facts,
      sources,
      nextStep: FLOW_HINT,
    };
  }
  return {
    status: 'pass',
    outcome: fp.kind,
    summary: `The response${status} came from ${fp.kind}${fp.flow ? ` (flow: ${fp.flow})` : ''}: ${fp.evidence[0]}`,
    details,
    facts,
    sources,
  };
}

export const fingerprintCheck: Check<FingerprintEvidence> = {
  meta: {
    id: 'net.fingerprint',
    title: 'Which gateway made the response (ALB, CloudFront, API Gateway, Azure AppGW, nginx, Envoy, Cloudflare)',
    docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html',
    apis: ['probe:dns', 'probe:http'],
    params: {
      url: { description: 'URL to GET once and fingerprint (used when headers/body are not given)' },
      headers: { description: 'Pasted response headers, "Name: value" lines (curl -i / curl -v output works)' },
      body: { description: 'Pasted response body (the error page)' },
    },
    outcomes: ['alb', 'cloudfront', 'apigw', 'appgw', 'nginx', 'envoy', 'cloudflare', 'unknown-gateway'],
    facts: ['gateway.kind', 'gateway.flow', 'gateway.evidence'],
  },
  async collect(ctx) {
    const pastedHeaders = ctx.params.headers?.trim();
    const pastedBody = ctx.params.body;
    if (pastedHeaders || pastedBody?.trim()) {
      const parsed = parsePastedResponse(pastedHeaders ?? '');
      return { sample: { status: parsed.status, headers: parsed.headers, body: pastedBody?.trim() ? pastedBody : parsed.body } };
    }
    if (!ctx.params.url?.trim()) return { paramError: 'neither url nor headers/body given' };
    const target = parseTarget(ctx.params.url);
    if (!target.ok) return { paramError: target.error };
    ctx.progress(`GET ${target.target.display}`);
    const probe = await ctx.env.net.http({ target: target.target, count: 1, signal: ctx.signal, now: () => ctx.env.clock.now() });
    return { probe };
  },
  evaluate,
};
