/**
 * The words every part of badgate shares: what a check concluded, how sure a finding is,
 * where a piece of evidence came from. They live in the engine (which imports nothing of
 * badgate's I/O) so that checks, adapters, the UI and the report all speak the same types.
 */

/** How a check ended. An API or network error is `unknown`, never `fail`. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** How sure a finding is. `ruled-out` records that a cause was excluded, and why. */
export type Confidence = 'confirmed' | 'likely' | 'suspected' | 'ruled-out';

/**
 * How much a piece of evidence weighs: measured (a probe, a metric, a log line) > read from
 * config (an API's description of the setup) > the responder's answer > an assumed default.
 * Weaker evidence never overturns stronger; the board shows the disagreement as a conflict.
 */
export type Strength = 'measured' | 'config' | 'answer' | 'assumed';
export const STRENGTHS: readonly Strength[] = ['measured', 'config', 'answer', 'assumed'];
export const STRENGTH_RANK: Record<Strength, number> = { measured: 3, config: 2, answer: 1, assumed: 0 };

export type FactValue = string | number | boolean;
export type Facts = Record<string, FactValue>;

export interface CheckMeta {
  /** Stable id flows refer to, e.g. `elbv2.target-health`, `net.tcp-connect`. */
  id: string;
  title: string;
  /** Where a responder reads more about what the check looks at. */
  docs: string;
  /**
   * Every AWS API (as the IAM action, `elasticloadbalancing:DescribeTargetHealth`) or
   * network probe (`probe:tcp`, `probe:http`, …) the check may call. The IAM policy and
   * "missing permission" messages are generated from this list, so it must be complete.
   */
  apis: string[];
  /** Parameters the flow passes in `with:`; required ones must be present after templating. */
  params: Record<string, { description: string; required?: boolean }>;
  /** Named outcomes the flow may branch on (besides the always-possible `unknown`). */
  outcomes: readonly string[];
  /** Facts the check may set, so the flow linter can resolve `{{…}}` references. */
  facts?: string[];
  /** Catalog causes the check's findings may name; validated against the catalog when flows load. */
  causes?: readonly string[];
  /** The strength of its findings unless a finding says otherwise (default `measured`). */
  strength?: Strength;
}

/**
 * One call a check made, kept so every finding can cite where it came from: the
 * provenance ledger of the evidence a `check` journal event stores.
 */
export interface Source {
  api: string;
  params?: Record<string, unknown>;
  region?: string;
  at: string;
  /** Fingerprint of the raw answer (`sha256:…`), absent when the call failed. */
  hash?: string;
  /** Set when the answer came from a recording or a drill, not from the live system. */
  replayed?: boolean;
}

export interface Finding {
  cause: string;
  confidence: Confidence;
  evidence: string[];
  strength?: Strength;
}

/** A small per-minute series for sparklines and report charts. */
export interface Series {
  name: string;
  start: string;
  periodSeconds: number;
  values: number[];
}

export interface CheckResult {
  status: CheckStatus;
  /** One of `meta.outcomes`, or `unknown`. */
  outcome: string;
  /** One line for the screen and the report. */
  summary: string;
  /** Further lines: per-target tables, the exact rule found, the fix. */
  details?: string[];
  facts?: Facts;
  findings?: Finding[];
  series?: Series[];
  sources?: Source[];
  /** Set when the check could not run: the next step for the responder. */
  nextStep?: string;
  /** Not run for want of an input the run may leave out (no URL given): not a failure to check. */
  skipped?: boolean;
}
