import { board, type BoardEntry } from '../engine/board.js';
import { causeRelations } from '../engine/causes.js';
import type { Flow } from '../engine/flow-schema.js';
import { replay } from '../engine/session.js';
import { HeadlessAnswerError, walkHeadless } from '../engine/walk.js';
import { loadCatalog, loadFlow } from '../flow-files.js';
import { checkFlowInputs, flowUsesAws, makeCheckRunner, setupRun, targetFacts, type TargetFlags } from '../run-context.js';
import { BadgateError } from '../engine/errors.js';
import { JournalError } from '../sessions/journal.js';
import { selfCommand, type Io } from './io.js';
import { renderReport, writeReportFile } from './report.js';
import { startSession } from './start-session.js';

export interface CheckFlags extends TargetFlags {
  answer?: string[];
  json?: boolean;
  report?: string;
}

export function parseAnswers(list: string[] | undefined, flow: Flow): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const a of list ?? []) {
    const eq = a.indexOf('=');
    if (eq < 1) return `--answer "${a}" is not id=value`;
    const id = a.slice(0, eq);
    if (!flow.nodes.some((n) => n.id === id && (n.kind === 'question' || n.kind === 'step'))) {
      const ids = flow.nodes.filter((n) => n.kind === 'question').map((n) => n.id);
      return `--answer ${id}: the flow has no question "${id}" (questions: ${ids.slice(0, 8).join(', ')}…)`;
    }
    out[id] = a.slice(eq + 1);
  }
  return out;
}

/**
 * Headless: walks the flow with defaults and --answer values, runs every automatic
 * check, prints a verdict. Exit 0 no cause (and every check ran), 1 causes found, 2 usage or
 * setup error, 3 could not check (no cause found while some checks could not run).
 */
export async function checkCommand(flowId: string | undefined, flags: CheckFlags, io: Io): Promise<number> {
  if (!flowId) throw new BadgateError('which flow?', 'badgate check alb --lb my-alb');
  let flow: Flow;
  try {
    flow = loadFlow(flowId);
    loadCatalog();
  } catch (e) {
    throw new BadgateError((e as Error).message, (e as { nextStep?: string }).nextStep);
  }
  const answers = parseAnswers(flags.answer, flow);
  if (typeof answers === 'string') throw new BadgateError(answers, `see \`badgate flows lint\` output or flows/${flow.id}.yaml for question ids`);
  checkFlowInputs(flow, flags);
  const aws = await setupRun({ ...flags, ...(flow.gateway === 'appgw' ? { cloud: 'azure' as const } : {}) }, (m) => { if (!flags.json) io.err(`… ${m}`); }, { aws: flowUsesAws(flow) });
  io.err(aws.banner);
  let journal;
  try {
    journal = startSession(flow, { mode: aws.mode, lb: flags.lb, url: flags.url, region: flags.region, profile: flags.profile, since: flags.since, source: flags.replay }, { ...targetFacts(flags), ...aws.facts });
  } catch (e) {
    if (e instanceof JournalError) throw new BadgateError(e.message, 'set BADGATE_STATE_DIR to a writable folder');
    throw e;
  }
  const runner = makeCheckRunner(aws, { profile: flags.profile });
  let state;
  try {
    state = await walkHeadless(flow, replay(journal.events), answers, {
      append: (e) => journal.append(e),
      now: () => new Date(),
      runCheck: (node, params, s, progress) => {
        if (!flags.json) io.err(`… ${node.title}`);
        return runner(node, params, s, progress);
      },
    });
  } catch (e) {
    if (e instanceof HeadlessAnswerError) throw new BadgateError(e.message, 'see `badgate flows lint` output or flows/alb.yaml for question ids and their choices');
    throw e;
  } finally {
    journal.close();
    await aws.flushRecording().catch(() => undefined);
  }
  const catalog = loadCatalog();
  const titles = new Map(catalog.causes.map((c) => [c.id, c.title]));
  const relations = causeRelations(catalog);
  const entries = board(state, relations);
  const standing = entries.filter((b) => b.confidence !== 'ruled-out');
  const evidence = (b: BoardEntry) => b.items.map((i) => ({ text: i.text, strength: i.strength, source: i.source, stance: i.stance }));
  const causes = standing.filter((b) => b.kind === 'cause').map((b) => ({
    id: b.cause, title: titles.get(b.cause) ?? b.cause, confidence: b.confidence, strength: b.strength,
    ...(b.explainedBy.length ? { explainedBy: b.explainedBy } : {}),
    explains: standing.filter((o) => o.explainedBy.includes(b.cause)).map((o) => o.cause),
    evidence: evidence(b),
  }));
  const symptoms = standing.filter((b) => b.kind === 'symptom').map((b) => ({ id: b.cause, title: titles.get(b.cause) ?? b.cause, confidence: b.confidence, strength: b.strength, explainedBy: b.explainedBy, evidence: evidence(b) }));
  const conflicts = entries.flatMap((b) => (b.conflict ? [b.conflict] : []));
  const ruledOut = entries.filter((b) => b.confidence === 'ruled-out').map((b) => ({ id: b.cause, strength: b.strength, evidence: evidence(b) }));
  const checks = state.checks.map((c) => ({ id: c.check, node: c.node, status: c.result.status, outcome: c.result.outcome, summary: c.result.summary, ...(c.result.nextStep ? { nextStep: c.result.nextStep } : {}) }));
  // "No cause" is only an answer when the checks that could have found one ran (DESIGN: exit 3).
  // A check skipped for want of an input the run left out (no --url) is listed, but it is not a failure to check.
  const unknown = state.checks.filter((c) => c.result.status === 'unknown');
  const summaryOf = (c: (typeof state.checks)[number]) => ({ id: c.check, node: c.node, summary: c.result.summary, ...(c.result.nextStep ? { nextStep: c.result.nextStep } : {}) });
  const couldNotCheck = unknown.filter((c) => !c.result.skipped).map(summaryOf);
  const notRun = unknown.filter((c) => c.result.skipped).map(summaryOf);
  if (flags.report) {
    const w = writeReportFile(flags.report, renderReport(journal.events, flow, {}));
    io.err(w.fallback ?? `Postmortem written to ${w.path}`);
  }
  if (flags.json) {
    io.out(JSON.stringify({
      flow: flow.id, session: state.sessionId,
      target: flow.gateway === 'appgw'
        ? { subscription: state.facts['target.subscription'] ?? null, resourceGroup: state.facts['appgw.resourceGroup'] ?? flags.resourceGroup ?? null, name: state.facts['appgw.gatewayName'] ?? flags.name ?? null, tier: state.facts['appgw.tier'] ?? null, url: flags.url ?? null, mode: aws.mode }
        : { lb: state.facts['lb.name'] ?? flags.lb ?? null, arn: state.facts['lb.arn'] ?? null, region: state.facts['target.region'] ?? null, url: flags.url ?? null, mode: aws.mode },
      checks, causes, symptoms, conflicts, ruledOut, couldNotCheck, notRun,
    }, null, 2));
  } else {
    for (const c of checks) io.out(`${c.status.toUpperCase().padEnd(7)} ${c.id.padEnd(26)} ${c.summary}`);
    io.out('');
    const found = causes.length + symptoms.length;
    if (!found && couldNotCheck.length) {
      io.out(`No cause found, but ${couldNotCheck.length} check(s) could not run, so this is not a clean bill of health:`);
      for (const c of couldNotCheck) io.out(`  - ${c.id}: ${c.summary}${c.nextStep ? ` (next: ${c.nextStep})` : ''}`);
    } else if (!found) {
      io.out('No cause found.');
    }
    for (const c of causes) {
      io.out(`${c.confidence.toUpperCase()}: ${c.title} (${c.id})${c.explains.length ? ` — explains ${c.explains.join(', ')}` : ''}`);
      for (const e of c.evidence) io.out(`  ${e.stance === 'for' ? '+' : '-'} [${e.strength}, ${e.source}] ${e.text}`);
    }
    for (const c of symptoms) {
      io.out(`SYMPTOM ${c.confidence}: ${c.title} (${c.id})${c.explainedBy.length ? ` — explained by ${c.explainedBy.join(', ')}` : ''}`);
    }
    for (const c of conflicts) {
      io.out(`CONFLICT on ${c.cause}: kept the evidence ${c.kept} it (${c.because}); for: ${c.for.map((i) => `${i.text} [${i.strength}]`).join('; ') || '-'}; against: ${c.against.map((i) => `${i.text} [${i.strength}]`).join('; ') || '-'}`);
    }
    io.out(`\nSession ${state.sessionId}: \`${selfCommand()} report ${state.sessionId}\` writes the postmortem.`);
  }
  if (causes.length || symptoms.length) return 1;
  return couldNotCheck.length ? 3 : 0;
}
