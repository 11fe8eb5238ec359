import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';
import { fingerprint, parsePastedResponse, PRODUCERS, producerName, type ResponseSample } from '../net/fingerprint.js';
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
  const facts: Facts = { 'gateway.kind': fp.kind, 'gateway.certain': fp.certain };
  if (fp.flow) facts['gateway.flow'] = fp.flow;
  if (fp.evidence.length) facts['gateway.evidence'] = fp.evidence.join('; ');
  if (fp.server) facts['gateway.server'] = fp.server;
  const relays = fp.alsoSeen.filter((s) => s.role === 'relayed');
  if (relays.length) facts['gateway.relayedBy'] = relays.map((s) => s.kind).join(', ');
  if (fp.made) facts['gateway.made'] = fp.made;
  const details = [
    `Server header: ${fp.server ?? '(none)'}`,
    ...fp.evidence.map((e) => `matched ${e}`),
    ...fp.alsoSeen.map((s) => `also seen: ${producerName(s.kind)}${s.role === 'relayed' ? ' (relayed it)' : ''} — ${s.evidence.join('; ')}`),
  ];
  const status = sample.status !== undefined ? ` ${sample.status}` : '';
  const server = fp.server ? ` (Server: ${fp.server})` : ' (no Server header)';
  if (fp.kind === 'unknown' && relays.length) {
    const names = relays.map((s) => producerName(s.kind)).join(', ');
    return {
      status: 'warn',
      outcome: 'relayed',
      summary: `The response${status} was relayed by ${names}${server}, not made by it: no stock error page of ${names}; the app or a hop behind it made it`,
      details,
      facts,
      sources,
      nextStep: 'Look at the upstream behind the relay (its logs, or probe it directly) for who sent this status.',
    };
  }
  if (fp.kind === 'unknown') {
    return {
      status: 'warn',
      outcome: 'unknown-gateway',
      summary: `The response${status}${server} carries no gateway signature badgate knows`,
      details: [...details, `headers seen: ${Object.keys(sample.headers).join(', ') || 'none'}`],
      facts,
      sources,
      nextStep: FLOW_HINT,
    };
  }
  const how = fp.certain ? `its own error page: ${fp.evidence[0]}` : fp.evidence[0];
  const also = fp.alsoSeen.length ? `; also seen: ${fp.alsoSeen.map((s) => producerName(s.kind)).join(', ')}` : '';
  return {
    status: 'pass',
    outcome: fp.kind,
    summary: `The response${status} came from ${producerName(fp.kind)}${fp.flow ? ` (flow: ${fp.flow})` : ''}, ${how}${server}${also}`,
    details,
    facts,
    sources,
  };
}

export const fingerprintCheck: Check<FingerprintEvidence> = {
  meta: {
    id: 'net.fingerprint',
    title: 'Which gateway or proxy made the response, and which only relayed it (table: flows/fingerprints.yml)',
    docs: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html',
    apis: ['probe:dns', 'probe:http'],
    params: {
      url: { description: 'URL to GET once and fingerprint (used when headers/body are not given)' },
      headers: { description: 'Pasted response headers, "Name: value" lines (curl -i / curl -v output works)' },
      body: { description: 'Pasted response body (the error page)' },
    },
    outcomes: [...PRODUCERS, 'relayed', 'unknown-gateway'],
    facts: ['gateway.kind', 'gateway.flow', 'gateway.evidence', 'gateway.certain', 'gateway.server', 'gateway.relayedBy', 'gateway.made'],
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
