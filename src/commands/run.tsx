import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink';
import React from 'react';
import type { JournalEvent } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { FLOWS_DIR, loadCatalog, loadFlow, shippedFlowIds } from '../flow-files.js';
import { nextHop } from '../engine/next-hop.js';
import { replay } from '../engine/session.js';
import type { Facts } from '../engine/vocabulary.js';
import { checkFlowInputs, flowUsesAws, makeCheckRunner, setupRun, SetupError, targetFacts, type RunSetup, type TargetFlags } from '../run-context.js';
import { findSession, Journal, JournalError, resumable, sessionsDir, type SessionSummary } from '../sessions/journal.js';
import { HomeApp, type HomeChoice } from '../ui/home-app.js';
import { WizardApp } from '../ui/wizard-app.js';
import { selfCommand, type Io } from './io.js';
import { BadgateError } from '../engine/errors.js';
import { renderReport, writeReportFile } from './report.js';
import { startSession } from './start-session.js';
import { recordingFlow } from './run-recording.js';

export interface RunFlags extends TargetFlags {
  out?: string;
}

const NOT_A_TTY = 'needs an interactive terminal (stdin is not a TTY)';
const NOT_A_TTY_NEXT = 'for scripts and CI use `badgate check alb --json` (headless)';

function recordings(): string[] {
  const dir = join(FLOWS_DIR, 'recordings');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)).sort() : [];
}

async function runWizard(flow: Flow, journal: Journal, aws: RunSetup | undefined, flags: RunFlags, io: Io): Promise<number> {
  const catalog = loadCatalog();
  const runCheck = makeCheckRunner(aws, { profile: flags.profile });
  const id = (journal.events[0] as Extract<JournalEvent, { type: 'start' }>).sessionId;
  let how: 'quit' | 'done' | 'handover' | undefined;
  const writeReport = () => {
    const content = renderReport(journal.events, flow, {});
    // A resumed, finished session writes a new file: the old one may hold the responder's edits.
    const w = writeReportFile(flags.out ?? `postmortem-${id}.md`, content, { keep: true });
    journal.append({ type: 'report', path: w.path });
    if (w.fallback) throw new Error(w.fallback);
    return w.path;
  };
  if (aws) io.err(aws.banner);
  const app = render(
    <WizardApp flow={flow} catalog={catalog} journal={journal} runCheck={runCheck} writeReport={writeReport} onExit={(h) => { how = h; }} handoverFlows={shippedFlowIds()} />,
    { exitOnCtrlC: true },
  );
  await app.waitUntilExit();
  journal.close();
  await aws?.flushRecording().catch(() => undefined);
  if (how === 'handover') return handOver(journal.events, flags, io);
  if (how !== 'done') io.err(`Session saved (${journal.path}).\nContinue with: ${selfCommand()} resume ${id}`);
  return 0;
}

/**
 * The next hop's flow, in a new session linked to the finished one: pointed at the load balancer or URL
 * the earlier flow found, with the incident as already told (the intake questions come up filled in).
 */
async function handOver(events: readonly JournalEvent[], flags: RunFlags, io: Io): Promise<number> {
  const done = replay(events);
  const hop = nextHop(done, shippedFlowIds());
  if (!hop) return 0;
  io.err(`Handing over from the ${done.flowId} flow (session ${done.sessionId}) to the ${hop.flow} flow${hop.lb ? ` for ${hop.lb}` : ''}.`);
  // The earlier flow's own targets (its --distribution, --api) mean nothing to the next one.
  const next: RunFlags = { profile: flags.profile, region: flags.region, since: flags.since, awsTimeout: flags.awsTimeout, record: flags.record, replay: flags.replay, out: undefined, lb: hop.lb, url: hop.url };
  return runCommand(hop.flow, next, io, hop.carried);
}

export async function runCommand(flowId: string, flags: RunFlags, io: Io, carried: Facts = {}): Promise<number> {
  if (!process.stdin.isTTY) throw new BadgateError(NOT_A_TTY, /^[a-z0-9-]+$/.test(flowId) ? NOT_A_TTY_NEXT.replace('check alb', `check ${flowId}`) : NOT_A_TTY_NEXT);
  let flow: Flow;
  try {
    flow = loadFlow(flowId);
    loadCatalog();
  } catch (e) {
    throw new BadgateError((e as Error).message);
  }
  checkFlowInputs(flow, flags);
  const azure = flow.gateway === 'appgw';
  if (azure) io.err('Checking Azure access…');
  else if (flowUsesAws(flow)) io.err('Checking AWS access…');
  const aws: RunSetup = await setupRun({ ...flags, ...(azure ? { cloud: 'azure' as const } : {}) }, undefined, { aws: flowUsesAws(flow) });
  let journal: Journal;
  try {
    journal = startSession(flow, { mode: aws.mode, lb: flags.lb, url: flags.url, region: flags.region, profile: flags.profile, since: flags.since, source: flags.replay }, { ...carried, ...targetFacts(flags), ...aws.facts });
  } catch (e) {
    throw new BadgateError((e as Error).message);
  }
  return runWizard(flow, journal, aws, flags, io);
}

export async function resumeCommand(query: string | undefined, flags: RunFlags, io: Io): Promise<number> {
  if (!process.stdin.isTTY) throw new BadgateError(NOT_A_TTY, NOT_A_TTY_NEXT);
  let summary;
  try {
    if (!query) {
      const open = resumable(sessionsDir());
      if (!open.length) throw new BadgateError('no unfinished sessions', 'start one with `badgate`');
      summary = await pick(open.map((s) => ({ value: s.id, label: `${s.title}`, hint: `${s.id} · ${s.flow} · last entry ${s.updatedAt.slice(0, 16).replace('T', ' ')} UTC` })), 'Unfinished sessions');
      if (!summary) return 0;
      summary = findSession(sessionsDir(), summary);
    } else {
      summary = findSession(sessionsDir(), query);
    }
  } catch (e) {
    throw new BadgateError((e as Error).message, e instanceof JournalError ? e.next : undefined);
  }
  let journal: Journal;
  let flow: Flow;
  try {
    flow = loadFlow(summary.flow);
    journal = Journal.open(summary.path);
  } catch (e) {
    throw new BadgateError((e as Error).message, e instanceof JournalError ? e.next : undefined);
  }
  for (const w of journal.warnings) io.err(`badgate resume: ${w}`);
  const start = journal.events[0] as Extract<JournalEvent, { type: 'start' }>;
  if (start.context.mode === 'drill' && start.context.source?.startsWith('drill:')) {
    return (await import('./drill.js')).runDrill(start.context.source.slice('drill:'.length), { out: flags.out }, io, journal);
  }
  let aws: RunSetup | undefined;
  try {
    // An App Gateway session keeps its subscription among its facts: resume reads Azure again with it.
    const azure = flow.gateway === 'appgw'
      ? { cloud: 'azure' as const, subscription: flags.subscription ?? (start.facts?.['target.subscription'] as string | undefined), resourceGroup: flags.resourceGroup ?? (start.facts?.['target.resourceGroup'] as string | undefined), name: flags.name ?? (start.facts?.['target.appgw'] as string | undefined) }
      : {};
    aws = await setupRun({ ...flags, profile: flags.profile ?? start.context.profile, region: flags.region ?? start.context.region, replay: flags.replay ?? start.context.source, ...azure }, undefined, { aws: flowUsesAws(flow) });
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    io.err(e.message);
  }
  return runWizard(flow, journal, aws, flags, io);
}

/** The flows behind "another gateway" on the home screen; each line says what the flow reads. */
const OTHER_GATEWAYS: HomeChoice[] = [
  { value: 'nginx', label: 'nginx (your own, or ingress-nginx)', hint: 'its config, error log and backend keep-alive; no AWS needed' },
  { value: 'cloudfront', label: 'CloudFront', hint: 'the distribution, its origins (TLS, SNI, Host, DNS, timeouts), edge functions and standard logs' },
  { value: 'clb', label: 'Classic Load Balancer', hint: 'instance health, security groups and NACLs, idle timeout vs backend keep-alive' },
  { value: 'apigw', label: 'API Gateway (REST or HTTP API) with Lambda or HTTP integrations', hint: 'the route\'s integration, the Lambda function (timeout, invoke permission), execution and access logs, VPC link' },
  { value: 'nlb', label: 'Network Load Balancer', hint: 'the NLB makes no 502 itself: finds the hop that does, target health, client-IP security groups' },
  { value: 'appgw', label: 'Azure Application Gateway', hint: 'backend health, HTTP settings, NSG/UDR and backend keep-alive (after az login)' },
];

async function pickDrill(flags: RunFlags, io: Io): Promise<number> {
  const { drillChoices, runDrill } = await import('./drill.js');
  const choices = drillChoices();
  if (!choices.length) throw new BadgateError('no drill scenarios are installed', 'they live in flows/drills/');
  const id = await pick(choices, 'Drills: the trainee sees what on-call sees; the answer stays hidden until the debrief');
  return id ? runDrill(id, { out: flags.out }, io) : 0;
}

function pick(choices: HomeChoice[], banner?: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let chosen: string | undefined;
    const app = render(<HomeApp choices={choices} banner={banner} onChoose={(v) => { chosen = v; }} />);
    void app.waitUntilExit().then(() => resolve(chosen));
  });
}

/** Bare `badgate`: start a new investigation, resume one, or replay a recorded incident. */
export async function homeCommand(flags: RunFlags, io: Io): Promise<number> {
  if (!process.stdin.isTTY) throw new BadgateError(NOT_A_TTY, NOT_A_TTY_NEXT);
  let open: SessionSummary[] = [];
  try {
    // Real incidents on the home screen; drills resume from `badgate resume` or the drill menu.
    open = resumable(sessionsDir(), 'incidents').slice(0, 3);
  } catch (e) {
    if (!(e instanceof JournalError)) throw e;
  }
  const recs = recordings();
  const choices: HomeChoice[] = [
    // With --url, one GET (and the URL's DNS name) tells which gateway made the 502: its flow opens.
    ...(flags.url ? [{ value: 'new-url', label: `Start a new investigation of ${flags.url}`, hint: 'badgate asks the URL who makes its 502 and opens that gateway\'s flow' }] : []),
    { value: 'new', label: 'Start a new ALB 502 investigation', hint: 'uses your AWS credentials if any; otherwise guides you step by step' },
    { value: 'new-other', label: 'Start a new investigation behind another gateway', hint: 'nginx, CloudFront, Classic Load Balancer, API Gateway, Network Load Balancer, Azure Application Gateway' },
    ...open.map((s) => ({ value: `resume:${s.id}`, label: `Resume: ${s.title}`, hint: `${s.id} · last entry ${s.updatedAt.slice(0, 16).replace('T', ' ')} UTC` })),
    { value: 'drill', label: 'Practise: a drill on a simulated incident', hint: 'a briefing, the real wizard against a recorded environment, a score and a debrief' },
    ...recs.map((r) => ({ value: `replay:${r}`, label: `Replay a recorded incident: ${r.replace(/^.*\//, '').replace(/\.json$/, '')}`, hint: 'no AWS account needed: real-looking answers from a recording' })),
    { value: 'quit', label: 'Quit' },
  ];
  const chosen = await pick(choices);
  if (!chosen || chosen === 'quit') return 0;
  if (chosen === 'new') return runCommand('alb', flags, io);
  if (chosen === 'new-url' && flags.url) {
    const { flowForUrl, awsForPick } = await import('./pick-flow.js');
    const choice = await flowForUrl(flags.url, { progress: (m) => io.err(m), aws: awsForPick(flags) });
    io.err(choice.why);
    return runCommand(choice.flow, flags, io);
  }
  if (chosen === 'new-other') {
    const flow = await pick(OTHER_GATEWAYS, 'Which gateway answers the 502? (`badgate run --url URL` can tell from the error page)');
    return flow ? runCommand(flow, flags, io) : 0;
  }
  if (chosen.startsWith('resume:')) return resumeCommand(chosen.slice('resume:'.length), flags, io);
  if (chosen === 'drill') return pickDrill(flags, io);
  const replay = chosen.slice('replay:'.length);
  return runCommand(recordingFlow(replay), { ...flags, replay }, io);
}
