/** Screen-local state of the keep-alive lab (the timeout prompt) and its wording. No Ink here. */
import type { LabInfo, LabPhase, LabSnapshot } from '../lab/lab-run.js';

export interface LabUi {
  mode: 'watch' | 'typing';
  text: string;
  error?: string;
  notice?: string;
}

export type LabUiAction =
  | { type: 'prompt' }
  | { type: 'type'; ch: string }
  | { type: 'erase' }
  | { type: 'cancel' }
  | { type: 'error'; message: string }
  | { type: 'applied'; notice: string };

export const initialLabUi: LabUi = { mode: 'watch', text: '' };

export function labUiReducer(s: LabUi, a: LabUiAction): LabUi {
  switch (a.type) {
    case 'prompt':
      return { ...s, mode: 'typing', text: '', error: undefined };
    case 'type':
      return { ...s, text: s.text + a.ch, error: undefined };
    case 'erase':
      return { ...s, text: s.text.slice(0, -1), error: undefined };
    case 'cancel':
      return { ...s, mode: 'watch', text: '', error: undefined };
    case 'error':
      return { ...s, error: a.message };
    case 'applied':
      return { mode: 'watch', text: '', notice: a.notice };
  }
}

/** Longest keep-alive the prompt takes, in lab seconds. */
export const MAX_KEEPALIVE_SECONDS = 4005;

/**
 * The typed value is lab seconds: the unit every badgate probe of the lab reports, so the
 * number the probe recommends can be typed as it is.
 */
export function parseKeepAliveSeconds(text: string): { ok: true; seconds: number } | { ok: false; error: string } {
  const t = text.trim().replace(/\s*s$/i, '');
  const n = Number(t);
  if (!t || !/^\d+(\.\d+)?$/.test(t) || !(n >= 0.01) || n > MAX_KEEPALIVE_SECONDS) {
    return { ok: false, error: `"${text.trim()}" is not a number of seconds from 0.01 to ${MAX_KEEPALIVE_SECONDS}` };
  }
  return { ok: true, seconds: n };
}

/** `65 s`, `0.5 s`: at most two decimals, none when whole. */
export function secondsText(seconds: number): string {
  return `${Math.round(seconds * 100) / 100} s`;
}

/** A production duration with its lab equivalent: `60 s (12 s in the lab)`. */
export function scaledText(productionSeconds: number, scale: number): string {
  return scale === 1 ? secondsText(productionSeconds) : `${secondsText(productionSeconds)} (${secondsText(productionSeconds * scale)} in the lab)`;
}

/** Lab milliseconds back to the production seconds they stand for. */
export function productionSeconds(labMs: number, scale: number): number {
  return labMs / 1000 / scale;
}

export function raceVerdict(keepAliveMs: number, info: LabInfo): { race: boolean; text: string } {
  if (keepAliveMs > info.idleTimeoutMs) {
    return { race: false, text: 'the backend keeps idle connections longer than the proxy: the proxy always closes first, no race' };
  }
  return { race: true, text: 'the backend closes idle connections before the proxy does: a request sent on one becomes a 502' };
}

/** `labSeconds` as typed at the prompt. */
export function appliedNotice(labSeconds: number, info: LabInfo): string {
  const set = `backend keepAliveTimeout now ${secondsText(labSeconds)} in the lab (${secondsText(labSeconds / info.scale)} in production)`;
  const idle = `the proxy's ${secondsText(info.idleTimeoutMs / 1000)} idle timeout`;
  if (labSeconds * 1000 > info.idleTimeoutMs) {
    return `${set}, above ${idle}: the proxy now closes idle connections first; watch the 502s stop`;
  }
  return `${set}, still not above ${idle}: the race stays, after longer idle gaps`;
}

export function phaseLine(p: LabPhase, info: LabInfo): string {
  const rate = p.requests ? ` (${Math.round((p.bad502 / p.requests) * 1000) / 10}%)` : '';
  return `keepAliveTimeout ${scaledText(productionSeconds(p.keepAliveMs, info.scale), info.scale)} from request ${p.fromRequest}: ${p.bad502} × 502 in ${p.requests} requests${rate}`;
}

/** The last `width` seconds of 502 counts, zero-padded on the left while the lab is young. */
export function recent502(s: LabSnapshot, width: number): number[] {
  const tail = s.per502.slice(-width);
  return [...new Array<number>(Math.max(0, width - tail.length)).fill(0), ...tail];
}

/** `m:ss`, for the clock in the header. */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * After a change, the log command stops at it: `badgate logs` reads the 502s of a race that
 * ended, followed by a long quiet stretch, as a burst (crash or overload) instead.
 */
export function diagnoseCommands(info: LabInfo, phases: readonly LabPhase[] = []): string[] {
  const until = phases.length > 1 ? ` --until ${phases[1].since}` : '';
  return [
    `badgate probe ${info.backendUrl}/ --keepalive --idle-timeout ${Math.round((info.idleTimeoutMs / 1000) * 100) / 100}`,
    `badgate logs ${info.logPath}${until}`,
  ];
}

/** What is printed when the lab stops; `why` completes "stopped …". */
export function summaryLines(info: LabInfo, s: LabSnapshot, why: string): string[] {
  return [
    `badgate lab keepalive: stopped ${why} after ${clock(s.elapsedMs)}: ${s.requests} requests, ${s.ok} answered 2xx, ${s.bad502} × 502${s.other ? `, ${s.other} other` : ''}.`,
    ...s.phases.map((p) => `  ${phaseLine(p, info)}`),
    `  its ALB access log: ${diagnoseCommands(info, s.phases)[1]}`,
  ];
}
