import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { choiceKeys } from './choice-list.js';
import { actionFor } from './keymap.js';
import React, { useReducer, useRef, useState } from 'react';
import type { Catalog } from '../engine/causes.js';
import type { Flow } from '../engine/flow-schema.js';
import { color, truncate } from './theme.js';
import type { JournalSink, RunCheck } from './use-session.js';
import { WizardApp } from './wizard-app.js';
import { drillReducer, filterCauses, initialDrillUi, type DrillAction, type DrillUi } from './drill-state.js';
import { strokes } from './wizard-state.js';

export interface DrillBriefing {
  title: string;
  difficulty: string;
  briefing: string;
  files: { name: string; path: string; about: string }[];
}

export interface DebriefView {
  correct: boolean;
  lines: [string, string][];
  rows: [string, string][];
  notes: string;
  path?: string;
  error?: string;
}

export interface DrillProps {
  briefing: DrillBriefing;
  flow: Flow;
  catalog: Catalog;
  runCheck: RunCheck;
  /** Starts the clock and the journal when the trainee is ready; an already started drill passes its journal. */
  begin(): { journal: JournalSink; startedAt: string };
  started?: { journal: JournalSink; startedAt: string };
  /** Records the named cause, scores the drill and writes the debrief. */
  finish(cause: string): Promise<DebriefView>;
  onExit?(how: 'quit' | 'done'): void;
  now?: () => Date;
}

const VISIBLE = 10;

export function DrillApp({ briefing, flow, catalog, runCheck, begin, started, finish, onExit, now }: DrillProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = Math.max(40, Math.min(stdout?.columns ?? 80, 120));
  const [ui, setUi] = useReducer(drillReducer, started ? { ...initialDrillUi, screen: 'wizard' } : initialDrillUi);
  const uiRef = useRef<DrillUi>(ui);
  const dispatch = (a: DrillAction) => { uiRef.current = drillReducer(uiRef.current, a); setUi(a); };
  const [session, setSession] = useState(started);
  const [debrief, setDebrief] = useState<DebriefView | null>(null);
  const causes = catalog.causes.map((c) => ({ id: c.id, title: c.title }));

  const quit = (how: 'quit' | 'done') => { onExit?.(how); exit(); };

  const name = (cause: string) => {
    dispatch({ type: 'scoring' });
    finish(cause).then(
      (d) => { setDebrief(d); dispatch({ type: 'debrief' }); },
      (e: unknown) => dispatch({ type: 'error', message: `could not score the drill: ${(e as Error).message}` }),
    );
  };

  useInput((input, key) => {
    const u = uiRef.current;
    if (input.length > 1 && input.includes('\x03')) { quit(u.screen === 'debrief' ? 'done' : 'quit'); return; }
    if (u.screen === 'briefing') {
      const a = actionFor('briefing', input, key);
      if (a === 'continue') { setSession(begin()); dispatch({ type: 'start' }); }
      else if (a === 'quit') quit('quit');
      return;
    }
    if (u.screen === 'debrief') {
      const a = actionFor('done', input, key);
      if (a === 'continue' || a === 'quit') quit('done');
      return;
    }
    if (u.screen !== 'verdict') return;
    const shown = filterCauses(causes, u.filter);
    // The cause list is the shared choice list; letters filter it instead of moving.
    const a = actionFor('verdict', input, key);
    const m = a === 'up' || a === 'down' ? choiceKeys('verdict', input, key, u.cursor, shown.length) : undefined;
    if (a === 'back') dispatch({ type: 'back-to-wizard' });
    else if (m?.cursor !== undefined) dispatch({ type: 'move', delta: a === 'up' ? -1 : 1, count: shown.length });
    else if (a === 'erase') dispatch({ type: 'erase' });
    else {
      for (const k of strokes(input)) {
        if (k.kind === 'char') dispatch({ type: 'type', ch: k.ch });
        else if (k.kind === 'erase') dispatch({ type: 'erase' });
        else {
          const list = filterCauses(causes, uiRef.current.filter);
          const pick = list[uiRef.current.cursor];
          if (pick) name(pick.id);
          else dispatch({ type: 'error', message: 'no cause matches what you typed: backspace to widen the list' });
          return;
        }
      }
    }
  }, { isActive: ui.screen !== 'wizard' });

  const wizard = session && (ui.screen === 'wizard' || ui.screen === 'verdict' || ui.screen === 'scoring') ? (
    <WizardApp
      flow={flow} catalog={catalog} journal={session.journal} runCheck={runCheck} now={now}
      writeReport={() => ''} onExit={onExit} active={ui.screen === 'wizard'}
      drill={{ startedAt: session.startedAt, onVerdict: () => dispatch({ type: 'verdict' }) }}
    />
  ) : null;

  if (ui.screen === 'briefing') {
    return (
      <Box flexDirection="column">
        <Box borderStyle="round" borderColor={color('cyan')} paddingX={1} flexDirection="column" width={Math.min(width, 100)}>
          <Text bold>{`badgate drill · ${briefing.title}`}</Text>
          <Text dimColor>{`difficulty: ${briefing.difficulty}`}</Text>
        </Box>
        <Box flexDirection="column" marginTop={1} marginBottom={1}>
          {briefing.briefing.trim().split('\n').map((l, i) => <Text key={i}>{l}</Text>)}
        </Box>
        {briefing.files.length ? (
          <Box flexDirection="column" marginBottom={1}>
            <Text bold>Files you have</Text>
            {briefing.files.map((f) => <Text key={f.path}>{`  ${f.path}  — ${f.about}`}</Text>)}
          </Box>
        ) : null}
        <Text>The clock starts when you press enter. Work as you would on call; press a when you can name the root cause.</Text>
        <Text dimColor>enter start · q quit</Text>
      </Box>
    );
  }

  const col = Math.max(18, Math.floor((Math.min(width, 120) - 7) / 2));
  const shown = filterCauses(causes, ui.filter);
  const first = Math.max(0, Math.min(ui.cursor - Math.floor(VISIBLE / 2), shown.length - VISIBLE));
  // The wizard stays at the same place in the tree on every screen, so its printed check log is not printed twice.
  return (
    <Box flexDirection="column">
      {wizard}
      {(ui.screen === 'verdict' || ui.screen === 'scoring') ? (
        <Box flexDirection="column">
          <Box borderStyle="round" borderColor={color('yellow')} paddingX={1} flexDirection="column" width={Math.min(width, 100)}>
            <Text bold>What is the root cause?</Text>
            <Text>{`filter › ${ui.filter}`}<Text inverse> </Text></Text>
            {shown.slice(first, first + VISIBLE).map((c, i) => {
              const here = first + i === ui.cursor;
              return <Text key={c.id} color={here ? color('cyan') : undefined} bold={here}>{`${here ? '›' : ' '} ${c.title}`}</Text>;
            })}
            {shown.length === 0 ? <Text dimColor>no cause matches</Text> : <Text dimColor>{`${shown.length} of ${causes.length} causes`}</Text>}
            {ui.error ? <Text color={color('red')}>{`✘ ${ui.error}`}</Text> : null}
            {ui.screen === 'scoring' ? <Text color={color('yellow')}>scoring…</Text> : null}
          </Box>
          <Text dimColor>type to filter · ↑↓ move · enter name it · esc back to the investigation</Text>
        </Box>
      ) : null}
      {ui.screen === 'debrief' && debrief ? (
        <Box flexDirection="column">
          <Text bold color={color(debrief.correct ? 'green' : 'red')}>{debrief.correct ? '✔ Correct.' : '✘ Not correct.'}</Text>
          {debrief.lines.map(([k, v]) => <Text key={k}>{`${truncate(k, 40).padEnd(41)} ${v}`}</Text>)}
          <Box marginTop={1} flexDirection="column">
            <Text bold>{`${'   Your path'.padEnd(col + 3)} Shortest path to the answer`}</Text>
            {debrief.rows.map(([x, y], i) => (
              <Text key={i}>
                <Text dimColor>{String(i + 1).padStart(2)} </Text>
                <Text color={x && x !== y ? color('yellow') : undefined}>{truncate(x, col).padEnd(col)}</Text>
                <Text> {truncate(y, col)}</Text>
              </Text>
            ))}
          </Box>
          <Box marginTop={1} flexDirection="column">
            <Text bold>Facilitator&apos;s notes</Text>
            <Text>{debrief.notes.trim()}</Text>
          </Box>
          {debrief.path ? <Text>{`Debrief written to ${debrief.path}`}</Text> : null}
          {debrief.error ? <Text color={color('red')}>{`✘ ${debrief.error}`}</Text> : null}
          <Text dimColor>press enter to exit</Text>
        </Box>
      ) : null}
    </Box>
  );
}
