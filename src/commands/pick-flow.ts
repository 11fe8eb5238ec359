import { basename } from 'node:path';
import { liveEnv } from '../checks/env.js';
import { httpProbeCheck } from '../checks/net-http-probe.js';
import { runCheck } from '../checks/runner.js';
import type { CheckEnv } from '../checks/types.js';
import { shippedFlowFiles } from '../flow-files.js';
import { producerName, PRODUCERS, type Producer } from '../net/fingerprint.js';

export interface FlowChoice {
  flow: string;
  /** One line for the responder: what answered and why this flow. */
  why: string;
}

const FALLBACK = 'alb';

/**
 * `badgate run --url …` with no flow named: one GET tells who made the error page (Server,
 * X-Cache, stock bodies; flows/fingerprints.yml), and that gateway's flow opens. Anything that
 * cannot tell (unreachable, an unknown maker, a maker with no flow) starts the ALB flow and says so.
 */
export async function flowForUrl(url: string, opts: { env?: CheckEnv; signal?: AbortSignal; progress?: (m: string) => void; flows?: string[] } = {}): Promise<FlowChoice> {
  const signal = opts.signal ?? new AbortController().signal;
  opts.progress?.(`Asking ${url} who answers (one GET, up to 10 s)…`);
  const { result } = await runCheck(httpProbeCheck, {
    params: { url, count: '1', timeoutSeconds: '10', totalTimeoutSeconds: '10' },
    facts: {},
    env: opts.env ?? liveEnv(),
    signal,
    progress: () => undefined,
  });
  const shipped = new Set(opts.flows ?? shippedFlowFiles().map((f) => basename(f, '.yaml')));
  const facts = result.facts ?? {};
  const status = facts['probe.status'];
  const kind = String(facts['gateway.kind'] ?? 'unknown');
  const flow = facts['gateway.flow'] ? String(facts['gateway.flow']) : undefined;
  const others = `pick another with: badgate run <flow> (${[...shipped].sort().join(', ')})`;
  if (status === undefined) {
    return { flow: FALLBACK, why: `${url} did not answer (${result.summary}): starting the ALB flow; ${others}` };
  }
  const maker = (PRODUCERS as readonly string[]).includes(kind) ? producerName(kind as Producer) : undefined;
  if (flow && shipped.has(flow)) {
    return { flow, why: `${url} answered ${String(status)}, made by ${maker ?? kind}: opening the ${flow} flow` };
  }
  if (maker) return { flow: FALLBACK, why: `${url} answered ${String(status)}, made by ${maker}, which has no flow of its own: starting the ALB flow; ${others}` };
  return { flow: FALLBACK, why: `${url} answered ${String(status)}; nothing in the answer names who made it: starting the ALB flow; ${others}` };
}
