import { Box, Text, useApp, useInput, useStdout } from 'ink';
import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { board } from '../engine/board.js';
import { causeRelations, type Catalog } from '../engine/causes.js';
import { interpolateShell } from '../engine/template.js';
import { osc52 } from './clipboard.js';
import type { Flow } from '../engine/flow-schema.js';
import { nodeById, pending, type SessionState } from '../engine/session.js';
import { examinedPhases } from '../engine/progress.js';
import { BoardView } from './board-view.js';
import { CheckLog } from './check-log.js';
import { Header } from './header.js';
import { HelpView } from './help-view.js';
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
  /** Tells the caller how the app ended, so it can print the resume hint. */
  onExit?(how: 'quit' | 'done'): void;
  /** A drill: the clock runs from its start, `a` names the root cause, and no postmortem is written. */
  drill?: { startedAt: string; onVerdict(): void };
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

export function WizardApp({ flow, catalog, journal, runCheck, writeReport, now = () => new Date(), onExit, drill, active = true, copy = (text: string) => { process.stdout.write(osc52(text)); } }: WizardProps) {
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
  const relations = useMemo(() => causeRelations(catalog), [catalog]);

  const p = pending(flow, state);
  const asking = p.kind === 'ask' ? p.node : undefined;
  const typing = Boolean(asking && asking.kind === 'question' && asking.input) && ui.overlay === 'none';

  useEffect(() => {
    if (p.kind !== 'done' || report || drill) return;
    try {
      setReport({ path: writeReport(state) });
    } catch (e) {
      setReport({ error: (e as Error).message });
    }
  }, [p.kind, report, state, writeReport]);

  const quit = (how: 'quit' | 'done') => {
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
    const err = session.submit(value);
    if (err) { dispatch({ type: 'error', message: err }); return; }
    dispatch({ type: 'reset' });
    // Echo how a typed answer was read when it differs from what was typed ("08:00 JST = 23:00 UTC").
    const last = session.current().answers.at(-1);
    if (last && value.trim() && last.label !== value.trim() && last.label !== last.value) dispatch({ type: 'notice', message: `read as ${last.label}` });
  };
  const saveNote = (text: string) => { session.note(text); dispatch({ type: 'overlay', overlay: 'none' }); };

  useInput((input, key) => {
    // Ink only exits on a lone Ctrl+C; one arriving inside a chunk of keys must still quit.
    if (input.length > 1 && input.includes('\x03')) { quit('quit'); return; }
    const u = uiRef.current;
    const now = pending(flow, session.current());
    const ask = now.kind === 'ask' ? now.node : undefined;
    const isTyping = Boolean(ask && ask.kind === 'question' && ask.input);
    const count = ask?.choices?.length ?? 0;
    if (u.overlay === 'help') { dispatch({ type: 'overlay', overlay: 'none' }); return; }
    if (u.overlay === 'note') {
      if (key.escape) dispatch({ type: 'overlay', overlay: 'none' });
      else if (key.return) saveNote(u.note);
      else if (key.backspace || key.delete) dispatch({ type: 'erase' });
      else if (input && !key.ctrl && !key.meta) typeInto('note', input, saveNote);
      return;
    }
    if (now.kind === 'done') {
      if (drill && key.return) drill.onVerdict();
      else if (key.return || input === 'q') quit('done');
      else if (input === 'b' && session.back()) { setReport(null); dispatch({ type: 'reset' }); }
      else if (input === 'n') dispatch({ type: 'overlay', overlay: 'note' });
      return;
    }
    if (key.ctrl && input === 'n') { dispatch({ type: 'overlay', overlay: 'note' }); return; }
    if (isTyping) {
      if (key.return) choose(u.text);
      else if (key.escape) { if (session.back()) dispatch({ type: 'reset' }); }
      else if (key.backspace || key.delete) dispatch({ type: 'erase' });
      else if (input && !key.ctrl && !key.meta && !key.tab) typeInto('text', input, choose);
      return;
    }
    if (input === 'q') { quit('quit'); return; }
    if (input === 'a' && drill) { drill.onVerdict(); return; }
    if (input === '?') { dispatch({ type: 'overlay', overlay: 'help' }); return; }
    if (input === 'n') { dispatch({ type: 'overlay', overlay: 'note' }); return; }
    if (session.isRunning()) {
      if (input === 's') session.skip();
      return;
    }
    if (input === 'b' || key.escape) {
      if (session.back()) dispatch({ type: 'reset' });
      else dispatch({ type: 'error', message: 'nothing to undo yet' });
      return;
    }
    if (!ask) return;
    if (input === 'c' && ask.kind === 'step' && ask.commands?.length) {
      const i = (u.copied ?? -1) + 1 < ask.commands.length ? (u.copied ?? -1) + 1 : 0;
      const command = interpolateShell(ask.commands[i], session.current().facts, flow.lookups);
      copy(command);
      dispatch({ type: 'notice', message: `copied${ask.commands.length > 1 ? ` command ${i + 1}` : ''}: ${command}`, copied: i });
      return;
    }
    if (key.upArrow || input === 'k') dispatch({ type: 'move', delta: -1, count });
    else if (key.downArrow || input === 'j') dispatch({ type: 'move', delta: 1, count });
    else if (key.return) choose(ask.choices ? ask.choices[u.cursor].value : 'done');
    else {
      // A digit picks a choice; "2\r" in one chunk picks and answers.
      for (const k of strokes(input)) {
        if (k.kind === 'char' && /^[1-9]$/.test(k.ch) && Number(k.ch) <= count) dispatch({ type: 'cursor', index: Number(k.ch) - 1 });
        else if (k.kind === 'enter') { choose(ask.choices ? ask.choices[uiRef.current.cursor].value : 'done'); return; }
      }
    }
  }, { isActive: active });

  const phase = state.node ? nodeById(flow, state.node).phase : 'wrap-up';
  const visited = new Set(state.path.map((id) => nodeById(flow, id).phase));
  const examined = examinedPhases(flow, state);
  const incidentStart = drill?.startedAt ?? (typeof state.facts['incident.startedAt'] === 'string' ? state.facts['incident.startedAt'] : undefined);
  const title = typeof state.facts['incident.title'] === 'string' ? state.facts['incident.title'] : flow.title;

  if (!active) return <CheckLog entries={state.checks} width={width} />;

  return (
    <Box flexDirection="column">
      <CheckLog entries={state.checks} width={width} />
      <Header title={title} incidentStart={incidentStart} clockLabel={drill ? 'drill clock' : undefined} now={clock} phases={flow.phases} current={phase} visited={visited} examined={examined} answered={state.answers.length} width={width} />
      {session.fatal ? <Text color={color('red')}>{`✘ ${session.fatal}`}</Text> : null}
      {ui.overlay === 'help' ? <HelpView nodeHelp={asking?.help} /> : null}
      {running ? <RunningView running={running} /> : null}
      {asking && ui.overlay !== 'help' ? <NodeView node={asking} facts={state.facts} lookups={flow.lookups} cursor={ui.cursor} text={ui.text} error={ui.error} notice={ui.notice} /> : null}
      {p.kind === 'done' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={color('green')}>{drill ? '✔ End of the flow.' : '✔ Investigation complete.'}</Text>
          {report?.path ? <Text>{`Postmortem written to ${report.path}`}</Text> : null}
          {report?.error ? <Text color={color('red')}>{`✘ ${report.error}`}</Text> : null}
          <Text dimColor>{drill ? 'press enter to name the root cause' : 'press enter to exit'}</Text>
        </Box>
      ) : null}
      {ui.overlay === 'note' ? (
        <Box borderStyle="single" borderColor={color('yellow')} paddingX={1} flexDirection="column">
          <Text bold>Note for the timeline (enter saves, esc cancels)</Text>
          <Text>{`› ${ui.note}`}<Text inverse>{' '}</Text></Text>
        </Box>
      ) : null}
      <BoardView entries={board(state, relations)} titles={titles} width={width} />
      <Text dimColor>
        {typing
          ? 'enter submit · esc back · ctrl+n note · ctrl+c quit (saved)'
          : `↑↓ move · enter choose · b back · n note · ${drill ? 'a name the cause · ' : ''}? help · q quit (saved)`}
      </Text>
    </Box>
  );
}
