/**
 * `badgate lab keepalive`: the keep-alive race, live on 127.0.0.1. With a terminal it shows
 * the Ink view with the fix prompt; without one it prints progress lines and a summary.
 */
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import React from 'react';
import { LAB_DEFAULTS, startLab, type LabConfig, type LabController } from '../lab/lab-run.js';
import type { TrafficEnd } from '../lab/lab-traffic.js';
import { clock, diagnoseCommands, raceVerdict, scaledText, summaryLines } from '../ui/lab-state.js';
import type { Io } from './io.js';
import { BadgateError } from '../engine/errors.js';

export interface LabFlags {
  scale?: number;
  /** The ALB idle timeout, production seconds. */
  idleTimeout?: number;
  /** The backend keepAliveTimeout at the start, production seconds. */
  keepaliveTimeout?: number;
  /** Wall-clock bound: `90s`, `5m`, `1h`, or bare seconds. */
  duration?: string;
  maxRequests?: number;
  /** Where to write the ALB access log (appended to); default: a new temp folder. */
  out?: string;
}

export interface LabDeps {
  /** Default: stdin and stdout are both terminals. */
  interactive?: boolean;
  /** Seeded jitter for tests. */
  random?: () => number;
}

const LABS = ['keepalive'];
const MAX_DURATION_MS = 3_600_000;
const MAX_REQUESTS = 100_000;
/** Below these (lab milliseconds) timer jitter would be as large as the timeouts. */
const MIN_LAB_KEEPALIVE_MS = 20;
const MIN_LAB_IDLE_MS = 200;
const PROGRESS_EVERY_MS = 5000;

const END_WHY: Record<TrafficEnd, string> = {
  'max-requests': 'at the request limit',
  'max-duration': 'at the time limit',
  stopped: 'by you',
};

function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

function inRange(v: number | undefined, min: number, max: number): boolean {
  return v === undefined || (Number.isFinite(v) && v >= min && v <= max);
}

/** The lab's configuration from the flags, or the one-line problem with its next step. */
export function labConfig(flags: LabFlags): { ok: true; config: Omit<LabConfig, 'logPath'> } | { ok: false; problem: string; next: string } {
  const bad = (problem: string, next: string) => ({ ok: false as const, problem, next });
  if (!inRange(flags.scale, 0.01, 1)) return bad(`--scale must be a number from 0.01 to 1, got ${flags.scale}`, '--scale 0.2 (60 s become 12 s)');
  if (!inRange(flags.idleTimeout, 1, 4000)) return bad(`--idle-timeout must be seconds from 1 to 4000 (the ALB range), got ${flags.idleTimeout}`, '--idle-timeout 60');
  if (!inRange(flags.keepaliveTimeout, 0.1, 4005)) return bad(`--keepalive-timeout must be seconds from 0.1 to 4005, got ${flags.keepaliveTimeout}`, '--keepalive-timeout 5 (Node\'s default)');
  if (flags.maxRequests !== undefined && !(Number.isInteger(flags.maxRequests) && inRange(flags.maxRequests, 1, MAX_REQUESTS))) {
    return bad(`--max-requests must be a whole number from 1 to ${MAX_REQUESTS}, got ${flags.maxRequests}`, '--max-requests 5000');
  }
  let maxDurationMs: number = LAB_DEFAULTS.maxDurationMs;
  if (flags.duration !== undefined) {
    const ms = parseDurationMs(flags.duration);
    if (ms === undefined || ms < 1000 || ms > MAX_DURATION_MS) return bad(`--duration must be from 1s to 1h (e.g. 90s, 5m), got "${flags.duration}"`, '--duration 5m');
    maxDurationMs = ms;
  }
  const config = {
    scale: flags.scale ?? LAB_DEFAULTS.scale,
    idleTimeoutSeconds: flags.idleTimeout ?? LAB_DEFAULTS.idleTimeoutSeconds,
    keepAliveSeconds: flags.keepaliveTimeout ?? LAB_DEFAULTS.keepAliveSeconds,
    maxRequests: flags.maxRequests ?? LAB_DEFAULTS.maxRequests,
    maxDurationMs,
  };
  if (config.keepAliveSeconds * 1000 * config.scale < MIN_LAB_KEEPALIVE_MS || config.idleTimeoutSeconds * 1000 * config.scale < MIN_LAB_IDLE_MS) {
    return bad(`at --scale ${config.scale} the lab timeouts would be too short to time reliably (keep-alive under ${MIN_LAB_KEEPALIVE_MS} ms or idle timeout under ${MIN_LAB_IDLE_MS} ms)`, 'raise --scale or the timeouts');
  }
  return { ok: true, config };
}

/** The access-log path: the one given (its folder is created), or a new temp folder. */
function logPathFor(out: string | undefined): string {
  if (!out) return join(mkdtempSync(join(tmpdir(), 'badgate-lab-')), 'alb-access.log');
  const path = resolve(out);
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, 'alb-access.log');
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

export async function labCommand(args: string[], flags: LabFlags, io: Io, deps: LabDeps = {}): Promise<number> {
  const [name, ...extra] = args;
  if (!name) throw new BadgateError(`which lab? There is: ${LABS.join(', ')}`, 'badgate lab keepalive');
  if (!LABS.includes(name)) throw new BadgateError(`unknown lab "${name}"; there is: ${LABS.join(', ')}`, 'badgate lab keepalive');
  if (extra.length) throw new BadgateError(`unexpected argument "${extra[0]}"`, 'badgate lab keepalive [--scale 0.2] [--duration 5m]');
  const cfg = labConfig(flags);
  if (!cfg.ok) throw new BadgateError(cfg.problem, cfg.next);

  let lab: LabController;
  try {
    lab = await startLab({ ...cfg.config, logPath: logPathFor(flags.out), random: deps.random });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BadgateError(`could not start the lab (${err.code ?? err.message})`, flags.out ? 'check that --out names a writable file' : 'check that 127.0.0.1 is available and the temp folder is writable');
  }
  const interactive = deps.interactive ?? Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return interactive ? runInteractive(lab, io) : runPlain(lab, io);
}

async function runInteractive(lab: LabController, io: Io): Promise<number> {
  // Ink draws only a last frame when it believes it runs in CI; a person is at this terminal.
  process.env.CI = 'false';
  process.env.CONTINUOUS_INTEGRATION = 'false';
  const [{ render }, { LabApp }] = await Promise.all([import('ink'), import('../ui/lab-app.js')]);
  let why = END_WHY.stopped;
  const app = render(<LabApp lab={lab} />, { exitOnCtrlC: false });
  const unmount = () => app.unmount();
  process.on('SIGINT', unmount);
  process.on('SIGTERM', unmount);
  void lab.finished.then((end) => {
    if (end === 'stopped') return;
    why = END_WHY[end];
    app.unmount();
  });
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGINT', unmount);
    process.off('SIGTERM', unmount);
  }
  const snap = await lab.stop();
  for (const l of summaryLines(lab.info, snap, why)) io.out(l);
  return 0;
}

async function runPlain(lab: LabController, io: Io): Promise<number> {
  const { info } = lab;
  const start = lab.snapshot();
  io.err(
    [
      `badgate lab keepalive: everything runs on 127.0.0.1; it stops after ${clock(info.maxDurationMs)} or ${info.maxRequests} requests (Ctrl+C stops it sooner).`,
      `  ALB-like proxy  ${info.proxyUrl}  idle timeout ${scaledText(info.idleTimeoutSeconds, info.scale)}`,
      `  Node backend    ${info.backendUrl}  keepAliveTimeout ${scaledText(start.backendKeepAliveMs / 1000 / info.scale, info.scale)}`,
      `  ${raceVerdict(start.backendKeepAliveMs, info).text}`,
      `  access log      ${info.logPath}`,
      ...diagnoseCommands(info).map((c) => `  diagnose: ${c}`),
      '  not an interactive terminal, so there is no fix prompt; run it again with --keepalive-timeout 65 to watch the fix.',
    ].join('\n'),
  );
  let last502 = 0;
  const progress = setInterval(() => {
    const s = lab.snapshot();
    io.err(`[${clock(s.elapsedMs)}] requests ${s.requests} · 2xx ${s.ok} · 502 ${s.bad502} (+${s.bad502 - last502})`);
    last502 = s.bad502;
  }, PROGRESS_EVERY_MS);
  const stop = () => void lab.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let end: TrafficEnd;
  try {
    end = await lab.finished;
  } finally {
    clearInterval(progress);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const snap = await lab.stop();
  for (const l of summaryLines(info, snap, END_WHY[end])) io.out(l);
  return 0;
}
