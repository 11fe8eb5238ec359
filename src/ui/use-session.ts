import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckResult } from '../engine/vocabulary.js';
import type { JournalEvent, NewEvent } from '../engine/events.js';
import type { CheckNode, Flow } from '../engine/flow-schema.js';
import { answer, backEvent, checkEvents, pending, reduce, replay, type SessionState } from '../engine/session.js';

export type RunCheck = (node: CheckNode, params: Record<string, string>, s: SessionState, progress: (message: string) => void) => Promise<CheckResult>;

export interface JournalSink {
  readonly events: readonly JournalEvent[];
  append(e: NewEvent): JournalEvent;
}

export interface Running {
  node: string;
  title: string;
  message: string;
}

/**
 * Drives the engine for the UI: every change goes through the journal first, so the
 * screen is always a fold over what is on disk.
 */
export function useSession(flow: Flow, journal: JournalSink, runCheck: RunCheck, now: () => Date) {
  const [state, setState] = useState<SessionState>(() => replay(journal.events));
  const stateRef = useRef(state);
  const [running, setRunning] = useState<Running | null>(null);
  const runningRef = useRef<string | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);

  const commit = useCallback((events: NewEvent[]) => {
    let s = stateRef.current;
    try {
      for (const e of events) s = reduce(s, journal.append(e));
    } catch (err) {
      setFatal((err as Error).message);
    }
    stateRef.current = s;
    setState(s);
  }, [journal]);

  useEffect(() => {
    const p = pending(flow, state);
    if (p.kind === 'auto') {
      commit(p.events);
      return;
    }
    if (p.kind !== 'check' || runningRef.current === p.node.id) return;
    runningRef.current = p.node.id;
    setRunning({ node: p.node.id, title: p.node.title, message: 'starting' });
    const progress = (message: string) => setRunning((r) => (r && r.node === p.node.id ? { ...r, message } : r));
    runCheck(p.node, p.params, state, progress)
      .catch((err: unknown): CheckResult => ({ status: 'unknown', outcome: 'unknown', summary: `check failed: ${(err as Error)?.message ?? String(err)}` }))
      .then((result) => {
        runningRef.current = null;
        setRunning(null);
        commit(checkEvents(p.node, p.params, result));
      });
  }, [flow, state, runCheck, commit]);

  const submit = useCallback((value: string): string | undefined => {
    const r = answer(flow, stateRef.current, value, now());
    if (!r.ok) return r.error;
    commit(r.events);
    return undefined;
  }, [flow, commit, now]);

  const back = useCallback((): boolean => {
    const e = backEvent(stateRef.current);
    if (!e) return false;
    commit([e]);
    return true;
  }, [commit]);

  const note = useCallback((text: string) => {
    if (text.trim()) commit([{ type: 'note', text: text.trim(), node: stateRef.current.node ?? undefined }]);
  }, [commit]);

  /** The state as of the last event, even before React re-renders (keys can arrive in between). */
  const current = useCallback(() => stateRef.current, []);
  const isRunning = useCallback(() => runningRef.current !== null, []);

  return { state, running, fatal, submit, back, note, current, isRunning };
}
