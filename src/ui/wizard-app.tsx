import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { board } from '../engine/board.js';
import { causeRelations, type Catalog } from '../engine/causes.js';
import { interpolateShell } from '../engine/template.js';
import { osc52 } from './clipboard.js';
import type { Flow } from '../engine/flow-schema.js';
import { nodeById, pending, type SessionState } from '../engine/session.js';
import { examinedPhases } from '../engine/progress.js';
import { dueMitigation, mitigationEvents } from '../engine/mitigate.js';
import { nextHop } from '../engine/next-hop.js';
import { handoverSummary, unexplored } from '../engine/summary.js';
import { HypothesesView } from './hypotheses-view.js';
import { MITIGATION_CHOICES, MitigationView, mitigationLines } from './mitigation-view.js';
import { BoardView } from './board-view.js';
import { CheckLog, type LogItem } from './check-log.js';
import { Header } from './header.js';
import { HelpView } from './help-view.js';
import { choiceKeys } from './choice-list.js';
import { actionFor, footerFor, type KeyContext } from './keymap.js';
import { NodeView, RunningView } from './node-view.js';
import { color } from './theme.js';
import { useSession, type JournalSink, type RunCheck } from './use-session.js';
import { initialUi, strokes, uiReducer, type UiAction } from './wizard-state.js';

export interface WizardProps {
  /** Puts a command on the clipboard (OSC 52 to the terminal by default; tests pass their own). */
  copy?(text: string): void;
  flow: Flow;
  catalog: Catalog;
  journal: JournalSink;
  runCheck: RunCheck;
  /** Writes the postmortem when the flow ends; returns the path written or throws. */
  writeReport(state: SessionState): string;
  now?: () => Date;
  /** Tells the caller how the app ended, so it can print the resume hint or open the next hop's flow. */
  onExit?(how: 'quit' | 'done' | 'handover'): void;
  /** Flows a finished investigation may hand over to (`handover.flow`); none in drills and tests. */
  handoverFlows?: readonly string[];
  /** A drill: the clock runs from its start, `a` names the root cause, and no postmortem is written. */
  drill?: { startedAt: string; onVerdict(): void };
  /** Whether a local path exists (a typed log path is asked again when it does not). */
  pathExists?(path: string): boolean;
  /** False while another screen owns the keys; only the printed check log stays. */
  active?: boolean;
}

function useNow(now: () => Date, everyMs: number): Date {
  const [t, setT] = useState(now());
  useEffect(() => {
    const id = setInterval(() => setT(now()), everyMs);
    return () => clearInterval(id);
  }, [now, everyMs]);
  return t;
}

/** Which keys apply now: the overlay, the mitigation screen, a typed answer, a running check, or the choices. */
export function keyContext(overlay: string, done: boolean, mitigating: boolean, typing: boolean, running: boolean): KeyContext {
  if (overlay === 'hypotheses' || overlay === 'handover') return 'hypotheses';
  if (done) return 'done';
  if (mitigating) return 'mitigate';
  if (typing) return 'typing';
  if (running) return 'running';
  return 'choices';
}

export function WizardApp({ flow, catalog, journal, runCheck, writeReport, now = () => new Date(), onExit, handoverFlows, drill, active = true, copy = (text: string) => { process.stdout.write(osc52(text)); }, pathExists = existsSync }: WizardProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = Math.max(40, Math.min(stdout?.columns ?? 80, 120));
  const session = useSession(flow, journal, runCheck, now);
  const { state, running } = session;
  const [ui, dispatchUi] = useReducer(uiReducer, initialUi);
  // Keys can arrive before React re-renders: the handler reads these refs, kept in step synchronously.
  const uiRef = useRef(ui);
  const dispatch = (a: UiAction) => { uiRef.current = uiReducer(uiRef.current, a); dispatchUi(a); };
  const clock = useNow(now, 1000);
  const [report, setReport] = useState<{ path?: string; error?: string } | null>(null);
  const titles = useMemo(() => new Map(catalog.causes.map((c) => [c.id, c.title])), [catalog]);
  const causesById = useMemo(() => new Map(catalog.causes.map((c) => [c.id, c])), [catalog]);
  const rows = stdout?.rows ?? 40;
  const relations = useMemo(() => causeRelations(catalog), [catalog]);

  const p = pending(flow, state);
  const asking = p.kind === 'ask' ? p.node : undefined;
  const hop = p.kind === 'done' && !drill && handoverFlows ? nextHop(state, handoverFlows) : undefined;
  // Cause confirmed → mitigate now (not in drills: the trainee names the cause at the end).
  const due = drill ? undefined : dueMitigation(flow, state, relations);
  const mitigating = Boolean(due) && ui.overlay === 'none';
  const dueLines = due ? mitigationLines(due, state.facts, flow.lookups, causesById.get(due.cause)) : [];
  const typing = Boolean(asking && asking.kind === 'question' && asking.input) && ui.overlay === 'none' && !mitigating;

  // The scrollback, append-only: each finished check, and the whole commands of each step or mitigation shown.
  const logRef = useRef<{ items: LogItem[]; checks: number; last?: string }>({ items: [], checks: 0 });
  const handingOver = ui.overlay === 'handover' || (asking?.kind === 'step' && asking.board === 'handover' && ui.overlay === 'none');
  const commandBlock = handingOver
    ? { key: `handover-${state.events}`, title: 'hand-over summary', commands: handoverSummary(flow, state, titles, relations) }
    : due
    ? { key: `mitigate-${due.cause}`, title: `mitigate ${due.cause}`, commands: dueLines.filter((l) => l.command).map((l) => l.text) }
    : asking?.kind === 'step' && asking.commands?.length
      ? { key: `${asking.id}-${state.events}`, title: asking.title, commands: asking.commands.map((c) => interpolateShell(c, state.facts, flow.lookups)) }
      : undefined;
  {
    const l = logRef.current;
    // A back can shorten the checks; the log keeps what it printed and goes on from there.
    if (state.checks.length < l.checks) l.checks = state.checks.length;
    for (; l.checks < state.checks.length; l.checks++) l.items = [...l.items, { kind: 'check', entry: state.checks[l.checks] }];
    const blockId = commandBlock && (due || handingOver ? commandBlock.key : asking?.id);
    if (commandBlock && blockId !== l.last) { l.items = [...l.items, { kind: 'commands', block: commandBlock }]; l.last = blockId; }
    if (!commandBlock) l.last = undefined;
  }
  const log = logRef.current.items;

  // A typed question whose default is a known fact (the --lb name, the --url) comes up filled in.
  const askingId = asking?.id;
  useEffect(() => {
    if (!asking || asking.kind !== 'question' || !asking.input || uiRef.current.text) return;
    // What was typed here and not submitted before Ctrl+C (or a crash) comes back first.
    const kept = journal.draft?.();
    if (kept && kept.node === asking.id) {
      dispatch({ type: 'prefill', text: kept.text });
      dispatch({ type: 'notice', message: 'kept what you had typed here: edit it, or press enter' });
      return;
    }
    // A session handed over from another flow starts with the incident as already told.
    const told = state.facts['handover.from'] ? state.facts[asking.input.fact] : undefined;
    if (told !== undefined && told !== '') { dispatch({ type: 'prefill', text: String(told) }); return; }
    if (!asking.default || !/^\{\{\s*[\w.]+\s*\}\}$/.test(asking.default.trim())) return;
    const v = state.facts[asking.default.trim().slice(2, -2).trim()];
    if (v !== undefined && v !== '') dispatch({ type: 'prefill', text: String(v) });
    // Only when the node comes up, not on every keystroke.
  }, [askingId]);

  // Every change of the typed answer is kept beside the journal until it is submitted.
  const draftText = asking?.kind === 'question' && asking.input ? ui.text : '';
  const mounted = useRef(false);
  useEffect(() => {
    // Not on the first render: a resumed session may not be back at the draft's question yet.
    if (!mounted.current) { mounted.current = true; return; }
    journal.saveDraft?.(draftText && askingId ? { node: askingId, text: draftText } : undefined);
  }, [draftText, askingId]);

  useEffect(() => {
    if (p.kind !== 'done' || report || drill) return;
    try {
      setReport({ path: writeReport(state) });
    } catch (e) {
      setReport({ error: (e as Error).message });
    }
  }, [p.kind, report, state, writeReport]);

  const quit = (how: 'quit' | 'done' | 'handover') => {
    onExit?.(how);
    exit();
  };

  /** Handles a chunk of typed text, which may hold several keystrokes (paste, tmux). */
  const typeInto = (field: 'text' | 'note', input: string, onEnter: (value: string) => void) => {
    for (const k of strokes(input)) {
      if (k.kind === 'char') dispatch({ type: 'type', input: k.ch });
      else if (k.kind === 'erase') dispatch({ type: 'erase' });
      else { onEnter(uiRef.current[field]); return; }
    }
  };

  const choose = (value: string) => {
    const at = pending(flow, session.current());
    const input = at.kind === 'ask' && at.node.kind === 'question' ? at.node.input : undefined;
    const typed = value.trim();
    // A mistyped local path is asked again, not warned about later (globs and s3:// are read by the check).
    if (input?.type === 'path' && typed && !/^s3:\/\//i.test(typed) && !/[*?[]/.test(typed) && !pathExists(typed.replace(/^~(?=\/)/, homedir()))) {
      dispatch({ type: 'error', message: `no file or folder at ${typed} (from ${process.cwd()}); type the path again, or empty it (backspace) and press enter to skip` });
      return;
    }
    const err = session.submit(value);
    if (err) { dispatch({ type: 'error', message: err }); return; }
    dispatch({ type: 'reset' });
    // Echo how a typed answer was read when it differs from what was typed ("08:00 JST = 23:00 UTC").
    const last = session.current().answers.at(-1);
    if (input && last && typed && last.label !== typed && last.label !== last.value) dispatch({ type: 'notice', message: `read as ${last.label}` });
  };
  const saveNote = (text: string) => { session.note(text); dispatch({ type: 'overlay', overlay: 'none' }); };

  /** `b`: undo the last answer and bring it back ready to edit (the text typed, or the choice's cursor). */
  const goBack = (): boolean => {
    const undone = session.current().answers.at(-1);
    if (!session.back()) return false;
    dispatch({ type: 'reset' });
    const now = pending(flow, session.current());
    if (undone && now.kind === 'ask' && now.node.id === undone.node) {
      const i = now.node.choices?.findIndex((c) => c.value === undone.value) ?? -1;
      if (i >= 0) dispatch({ type: 'prefill', cursor: i });
      else if (now.node.kind === 'question' && now.node.input && undone.value) dispatch({ type: 'prefill', text: undone.value });
    }
    return true;
  };

  /** One answer on the mitigation screen: it goes into the journal, then the flow goes on (or ends). */
  const chooseMitigation = (index: number) => {
    const s = session.current();
    const d = dueMitigation(flow, s, relations);
    const c = MITIGATION_CHOICES[index];
    if (!d || !c) return;
    session.record(mitigationEvents(d, c.value, s.node));
    dispatch({ type: 'reset' });
    if (c.value === 'failing') dispatch({ type: 'overlay', overlay: 'hypotheses' });
  };

  /** `c`: the next of these commands to the clipboard, cycling. */
  const copyNext = (commands: string[]) => {
    const u = uiRef.current;
    const i = (u.copied ?? -1) + 1 < commands.length ? (u.copied ?? -1) + 1 : 0;
    copy(commands[i]);
    dispatch({ type: 'notice', message: `copied${commands.length > 1 ? ` command ${i + 1}` : ''}: ${commands[i]}`, copied: i });
  };

  // Every key goes through the one keymap (keymap.ts), which also writes the help and the footer.
  useInput((input, key) => {
    // Ink only exits on a lone Ctrl+C; one arriving inside a chunk of keys must still quit.
    if (input.length > 1 && input.includes('\x03')) { quit('quit'); return; }
    const u = uiRef.current;
    const s = session.current();
    const now = pending(flow, s);
    const ask = now.kind === 'ask' ? now.node : undefined;
    if (u.overlay === 'help') { dispatch({ type: 'overlay', overlay: 'none' }); return; }
    if (u.overlay === 'note') {
      if (key.escape) dispatch({ type: 'overlay', overlay: 'none' });
      else if (key.return) saveNote(u.note);
      else if (key.backspace || key.delete) dispatch({ type: 'erase' });
      else if (key.ctrl && input === 'u') dispatch({ type: 'clear' });
      else if (input && !key.ctrl && !key.meta) typeInto('note', input, saveNote);
      return;
    }
    const d = drill ? undefined : dueMitigation(flow, s, relations);
    const ctx = keyContext(u.overlay, now.kind === 'done', Boolean(d), Boolean(ask?.kind === 'question' && ask.input), session.isRunning());
    const action = actionFor(ctx, input, key, { drill: Boolean(drill) });
    switch (action) {
      case 'quit': quit(ctx === 'done' ? 'done' : 'quit'); return;
      case 'help': dispatch({ type: 'overlay', overlay: 'help' }); return;
      case 'note': dispatch({ type: 'overlay', overlay: 'note' }); return;
      case 'skip-check': session.skip(); return;
      case 'name-cause': drill?.onVerdict(); return;
      case 'escalate': dispatch({ type: 'overlay', overlay: 'handover' }); return;
      case 'continue':
        if (ctx === 'hypotheses') dispatch({ type: 'overlay', overlay: 'none' });
        else if (drill) drill.onVerdict();
        else quit(ctx === 'done' && !drill && handoverFlows && nextHop(s, handoverFlows) ? 'handover' : 'done');
        return;
      case 'back':
        if (goBack()) setReport(null);
        else dispatch({ type: 'error', message: 'nothing to undo yet' });
        return;
      case 'later': chooseMitigation(MITIGATION_CHOICES.findIndex((c) => c.value === 'later')); return;
      case 'copy': {
        const commands = d
          ? mitigationLines(d, s.facts, flow.lookups, causesById.get(d.cause)).filter((l) => l.command).map((l) => l.text)
          : ask?.kind === 'step' ? (ask.commands ?? []).map((c) => interpolateShell(c, s.facts, flow.lookups)) : [];
        if (commands.length) copyNext(commands);
        return;
      }
      case 'erase': dispatch({ type: 'erase' }); return;
      case 'clear': dispatch({ type: 'clear' }); return;
      default: break;
    }
    if (ctx === 'typing') {
      if (action === 'choose') choose(u.text);
      else if (input && !key.ctrl && !key.meta && !key.tab) typeInto('text', input, choose);
      return;
    }
    if (ctx === 'mitigate') {
      const m = choiceKeys(ctx, input, key, u.cursor, MITIGATION_CHOICES.length);
      if (m?.cursor !== undefined) dispatch({ type: 'cursor', index: m.cursor });
      if (m?.choose !== undefined) chooseMitigation(m.choose);
      return;
    }
    if (ctx !== 'choices' || !ask) return;
    const count = ask.choices?.length ?? 0;
    if (!count) {
      if (action === 'choose' || strokes(input).some((k) => k.kind === 'enter')) choose('done');
      return;
    }
    const m = choiceKeys(ctx, input, key, u.cursor, count);
    if (m?.cursor !== undefined) dispatch({ type: 'cursor', index: m.cursor });
    if (m?.choose !== undefined) choose(ask.choices![m.choose].value);
  }, { isActive: active });

  const phase = state.node ? nodeById(flow, state.node).phase : 'wrap-up';
  const visited = new Set(state.path.map((id) => nodeById(flow, id).phase));
  const examined = examinedPhases(flow, state);
  const incidentStart = drill?.startedAt ?? (typeof state.facts['incident.startedAt'] === 'string' ? state.facts['incident.startedAt'] : undefined);
  const title = typeof state.facts['incident.title'] === 'string' ? state.facts['incident.title'] : flow.title;

  if (!active) return <CheckLog items={log} width={width} />;

  return (
    <Box flexDirection="column">
      <CheckLog items={log} width={width} />
      <Header title={title} incidentStart={incidentStart} clockLabel={drill ? 'drill clock' : undefined} now={clock} phases={flow.phases} current={phase} visited={visited} examined={examined} answered={state.answers.length} width={width} />
      {session.fatal ? <Text color={color('red')}>{`✘ ${session.fatal}`}</Text> : null}
      {ui.overlay === 'help' ? <HelpView nodeHelp={asking?.help} contexts={[keyContext('none', p.kind === 'done', Boolean(due), Boolean(asking?.kind === 'question' && asking.input), Boolean(running))]} drill={Boolean(drill)} /> : null}
      {running ? <RunningView running={running} /> : null}
      {ui.overlay === 'hypotheses' || ui.overlay === 'handover' ? (
        <Box flexDirection="column">
          <HypothesesView entries={board(state, relations)} titles={titles} unexplored={unexplored(flow, state)} next={asking?.title} summary={ui.overlay === 'handover' ? handoverSummary(flow, state, titles, relations) : undefined} width={width} rows={rows < 30 ? 3 : 6} />
          <Text dimColor>{ui.overlay === 'hypotheses' ? `enter: go on with the next unexplored branch · ${footerFor('hypotheses').replace(/^enter go on · /, '')}` : 'enter: back to the investigation · q quit (saved)'}</Text>
        </Box>
      ) : null}
      {due && mitigating ? <MitigationView due={due} title={titles.get(due.cause) ?? due.cause} facts={state.facts} lines={dueLines} cursor={ui.cursor} notice={ui.notice} width={width} compact={rows < 30} /> : null}
      {asking && ui.overlay === 'none' && !mitigating ? <NodeView node={asking} facts={state.facts} lookups={flow.lookups} width={width} compact={rows < 30} cursor={ui.cursor} text={ui.text} error={ui.error} notice={ui.notice} /> : null}
      {asking && ui.overlay === 'none' && !mitigating && asking.kind === 'step' && asking.board ? (
        <HypothesesView entries={board(state, relations)} titles={titles} unexplored={unexplored(flow, state)} summary={asking.board === 'handover' ? handoverSummary(flow, state, titles, relations) : undefined} width={width} rows={rows < 30 ? 3 : 6} />
      ) : null}
      {p.kind === 'done' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={color('green')}>{drill ? '✔ End of the flow.' : state.ended?.outcome && state.ended.outcome !== 'investigation complete' ? `✔ Investigation ended: ${state.ended.outcome}.` : '✔ Investigation complete.'}</Text>
          {report?.path ? <Text>{`Postmortem written to ${report.path}`}</Text> : null}
          {report?.error ? <Text color={color('red')}>{`✘ ${report.error}`}</Text> : null}
          <Text dimColor>{drill ? 'press enter to name the root cause' : hop ? `press enter to continue with the ${hop.flow} flow${hop.lb ? ` for ${hop.lb}` : ''} (this session is saved), q to exit` : 'press enter to exit'}</Text>
        </Box>
      ) : null}
      {ui.overlay === 'note' ? (
        <Box borderStyle="single" borderColor={color('yellow')} paddingX={1} flexDirection="column">
          <Text bold>Note for the timeline (enter saves, esc cancels)</Text>
          <Text>{`› ${ui.note}`}<Text inverse>{' '}</Text></Text>
        </Box>
      ) : null}
      {ui.overlay === 'none' && !(asking?.kind === 'step' && asking.board) && !(mitigating && rows < 30) ? <BoardView entries={board(state, relations)} titles={titles} width={width} rows={rows} /> : null}
      {ui.overlay === 'hypotheses' || ui.overlay === 'handover' ? null : <Text dimColor>{footerFor(keyContext(ui.overlay, p.kind === 'done', mitigating, typing, Boolean(running)), { drill: Boolean(drill) }).replace(/^enter exit/, hop ? `enter ${hop.flow} flow` : 'enter exit')}</Text>}
    </Box>
  );
}
