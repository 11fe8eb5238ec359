import { useCallback, useEffect, useRef, useState } from 'react';
import { advance, skippedRecord, type CheckRecord, type CheckRunner, type Move } from '../engine/advance.js';
import type { JournalEvent, NewEvent } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { backEvent, pending, reduce, replay, type SessionState } from '../engine/session.js';

export type RunCheck = CheckRunner;

export interface JournalSink {
  readonly events: readonly JournalEvent[];
  append(e: NewEvent): JournalEvent;
  /** Text typed at a question and not submitted yet: kept across Ctrl+C and resume. */
  draft?(): { node: string; text: string } | undefined;
  saveDraft?(d: { node: string; text: string } | undefined): void;
}

export interface Running {
  node: string;
  title: string;
  message: string;
}

/**
 * Drives the engine for the UI through the engine's one `advance()` step: every change
 * goes through the journal first, so the screen is always a fold over what is on disk.
 */
export function useSession(flow: Flow, journal: JournalSink, runCheck: RunCheck, now: () => Date) {
  const [state, setState] = useState<SessionState>(() => replay(journal.events));
  const stateRef = useRef(state);
  const [running, setRunning] = useState<Running | null>(null);
  const runningRef = useRef<string | null>(null);
  const abortRef = useRef<{ node: string; title: string; ac: AbortController } | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);

  /** One move (or none: just the automatic nodes) through the journal; returns the engine's complaint, if any. */
  const step = useCallback((move: Move | null): string | undefined => {
    let r;
    try {
      r = advance(flow, stateRef.current, move, (e) => journal.append(e), now());
    } catch (err) {
      setFatal((err as Error).message);
      return undefined;
    }
    stateRef.current = r.state;
    setState(r.state);
    return r.ok ? undefined : r.error;
  }, [flow, journal, now]);

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
    // The latest state, not this render's: keys and skips can move the journal between renders.
    if (stateRef.current !== state) return;
    const p = pending(flow, state);
    if (p.kind === 'auto') {
      step(null);
      return;
    }
    if (p.kind !== 'check' || runningRef.current === p.node.id) return;
    runningRef.current = p.node.id;
    const ac = new AbortController();
    abortRef.current = { node: p.node.id, title: p.node.title, ac };
    setRunning({ node: p.node.id, title: p.node.title, message: 'starting' });
    const progress = (message: string) => setRunning((r) => (r && r.node === p.node.id ? { ...r, message } : r));
    runCheck(p.node, p.params, state, progress, ac.signal)
      .catch((err: unknown): CheckRecord => ({ result: { status: 'unknown', outcome: 'unknown', summary: `check failed: ${(err as Error)?.message ?? String(err)}` } }))
      .then((record) => {
        // A skipped check already moved on; its late answer is dropped.
        if (ac.signal.aborted) return;
        abortRef.current = null;
        runningRef.current = null;
        setRunning(null);
        step({ kind: 'check', record });
      });
  }, [flow, state, runCheck, step]);

  const submit = useCallback((value: string): string | undefined => step({ kind: 'answer', value }), [step]);

  const back = useCallback((): boolean => {
    const e = backEvent(stateRef.current);
    if (!e) return false;
    commit([e]);
    return true;
  }, [commit]);

  const note = useCallback((text: string) => {
    if (text.trim()) commit([{ type: 'note', text: text.trim(), node: stateRef.current.node ?? undefined }]);
  }, [commit]);

  /** Skips the check that is running: it is aborted and recorded as skipped, and the flow goes on. */
  const skip = useCallback((): boolean => {
    const r = abortRef.current;
    if (!r) return false;
    abortRef.current = null;
    r.ac.abort();
    // The journal moves on first: a render in between must not see the old state and start the check again.
    step({ kind: 'check', record: skippedRecord(r.title) });
    runningRef.current = null;
    setRunning(null);
    return true;
  }, [step]);

  /** Appends events that are not answers (what came of a mitigation); the flow then goes on. */
  const record = useCallback((events: NewEvent[]) => commit(events), [commit]);

  /** The state as of the last event, even before React re-renders (keys can arrive in between). */
  const current = useCallback(() => stateRef.current, []);
  const isRunning = useCallback(() => runningRef.current !== null, []);

  return { state, running, fatal, submit, back, note, skip, record, current, isRunning };
}
