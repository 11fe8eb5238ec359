import { Box, Text, useApp, useInput, useStdout } from 'ink';
import React, { useEffect, useReducer, useRef, useState } from 'react';
import type { LabControls } from '../lab/lab-run.js';
import { sparkline } from '../logs/sparkline.js';
import { keepAliveFix } from '../net/keepalive-fixes.js';
import {
  appliedNotice, clock, diagnoseCommands, initialLabUi, labUiReducer, parseKeepAliveSeconds, phaseLine,
  productionSeconds, raceVerdict, recent502, scaledText, secondsText, type LabUiAction,
} from './lab-state.js';
import { color, STATUS_SYMBOL, truncate } from './theme.js';
import { strokes } from './wizard-state.js';

export interface LabAppProps {
  lab: LabControls;
  /** Called once when the trainee asks to stop (q or Ctrl+C); the caller stops the lab. */
  onQuit?(): void;
  pollMs?: number;
}

const SPARK_SECONDS = 60;

export function LabApp({ lab, onQuit, pollMs = 250 }: LabAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = Math.max(60, Math.min(stdout?.columns ?? 80, 120));
  const { info } = lab;
  const [snap, setSnap] = useState(() => lab.snapshot());
  const [ui, dispatchUi] = useReducer(labUiReducer, initialLabUi);
  const [quitting, setQuitting] = useState(false);
  // Keys can arrive before React re-renders: the handler reads this ref, kept in step synchronously.
  const uiRef = useRef(ui);
  const dispatch = (a: LabUiAction) => { uiRef.current = labUiReducer(uiRef.current, a); dispatchUi(a); };

  useEffect(() => {
    const id = setInterval(() => setSnap(lab.snapshot()), pollMs);
    return () => clearInterval(id);
  }, [lab, pollMs]);

  const quit = () => {
    setQuitting(true);
    onQuit?.();
    exit();
  };

  const apply = (text: string) => {
    const parsed = parseKeepAliveSeconds(text);
    if (!parsed.ok) { dispatch({ type: 'error', message: parsed.error }); return; }
    lab.setBackendKeepAlive(Math.round(parsed.seconds * 1000));
    dispatch({ type: 'applied', notice: appliedNotice(parsed.seconds, info) });
    setSnap(lab.snapshot());
  };

  useInput((input, key) => {
    if ((key.ctrl && input === 'c') || input.includes('\x03')) { quit(); return; }
    if (uiRef.current.mode === 'typing') {
      if (key.escape) dispatch({ type: 'cancel' });
      else if (key.return) apply(uiRef.current.text);
      else if (key.backspace || key.delete) dispatch({ type: 'erase' });
      else if (input && !key.ctrl && !key.meta) {
        // A chunk may hold several keys ("65\r" from a paste or tmux).
        for (const k of strokes(input)) {
          if (k.kind === 'char') dispatch({ type: 'type', ch: k.ch });
          else if (k.kind === 'erase') dispatch({ type: 'erase' });
          else { apply(uiRef.current.text); return; }
        }
      }
      return;
    }
    if (input === 'q') quit();
    else if (input === 't') dispatch({ type: 'prompt' });
  }, { isActive: !quitting });

  const keepAliveSeconds = productionSeconds(snap.backendKeepAliveMs, info.scale);
  const verdict = raceVerdict(snap.backendKeepAliveMs, info);
  const rate = snap.requests ? ` (${Math.round((snap.bad502 / snap.requests) * 1000) / 10}%)` : '';
  const reused = snap.proxy.sentOnClosedConnection;
  const line = (s: string) => truncate(s, width);

  return (
    <Box flexDirection="column">
      <Text bold>
        {line(`badgate lab · keep-alive race behind an ALB   ${clock(snap.elapsedMs)} of ${clock(info.maxDurationMs)} · scale ×${info.scale}`)}
      </Text>
      <Text>{line(`  client ─▶ ALB-like proxy  ${info.proxyUrl}  idle timeout ${scaledText(info.idleTimeoutSeconds, info.scale)}`)}</Text>
      <Text>{line(`         ─▶ Node backend    ${info.backendUrl}  keepAliveTimeout ${scaledText(keepAliveSeconds, info.scale)}`)}</Text>
      <Text color={color(verdict.race ? 'red' : 'green')}>{line(`  ${verdict.race ? STATUS_SYMBOL.fail : STATUS_SYMBOL.pass} ${verdict.text}`)}</Text>
      <Box marginTop={1} flexDirection="column">
        <Text>
          {`  requests ${snap.requests}/${info.maxRequests} · 2xx ${snap.ok} · `}
          <Text color={color(snap.bad502 ? 'red' : 'green')} bold>{`502 ${snap.bad502}${rate}`}</Text>
          {snap.other ? ` · other ${snap.other}` : ''}
        </Text>
        <Text>{`  502/s ${sparkline(recent502(snap, SPARK_SECONDS))}  last ${SPARK_SECONDS} s`}</Text>
        <Text dimColor>
          {line(`  the backend closed ${snap.proxy.backendClosedWhileIdle} pooled connections while idle; the proxy sent ${reused} request${reused === 1 ? '' : 's'} on one → 502`)}
        </Text>
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>  Diagnose from another terminal:</Text>
        {diagnoseCommands(info, snap.phases).map((c) => <Text key={c}>{`    ${c}`}</Text>)}
        <Text dimColor>{`  The fix in production: ${keepAliveFix('node', info.idleTimeoutSeconds)}`}</Text>
      </Box>
      {snap.phases.length > 1 ? (
        <Box marginTop={1} flexDirection="column">
          {snap.phases.map((p) => <Text key={p.fromRequest}>{line(`  ${phaseLine(p, info)}`)}</Text>)}
        </Box>
      ) : null}
      {ui.notice ? <Text color={color('cyan')}>{`  ${ui.notice}`}</Text> : null}
      {ui.mode === 'typing' ? (
        <Box marginTop={1} flexDirection="column" borderStyle="single" borderColor={color('yellow')} paddingX={1}>
          <Text bold>{`New backend keepAliveTimeout, in lab seconds (the proxy's idle timeout is ${secondsText(info.idleTimeoutMs / 1000)} here):`}</Text>
          <Text>{`› ${ui.text}`}<Text inverse>{' '}</Text></Text>
          {ui.error ? <Text color={color('red')}>{`${STATUS_SYMBOL.fail} ${ui.error}`}</Text> : null}
          <Text dimColor>enter apply · esc cancel</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor>
          {snap.ended ? 'the lab has reached its limit; stopping…' : ui.mode === 'typing' ? 'ctrl+c stop' : 't set the backend keepAliveTimeout · q stop'}
        </Text>
      </Box>
    </Box>
  );
}
