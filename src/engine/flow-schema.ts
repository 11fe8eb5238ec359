import { z } from 'zod';

export const PHASES = ['scope', 'resources', 'logs', 'network', 'lb-config', 'app', 'wrap-up'] as const;
export type Phase = (typeof PHASES)[number];

export const GATEWAYS = ['alb', 'clb', 'nlb', 'cloudfront', 'apigw', 'appgw', 'nginx'] as const;

const id = z.string().regex(/^[a-z0-9]+([-.][a-z0-9]+)*$/, 'ids are lower-case words joined by - or .');
const factName = z.string().regex(/^[a-zA-Z][\w]*(\.[\w]+)*$/, 'fact names are dotted words, e.g. lb.idleTimeoutSeconds');
const factValue = z.union([z.string(), z.number(), z.boolean()]);
const setFacts = z.record(factName, factValue);

/** `path`: a local file, folder or glob, or s3://bucket/prefix; the screen checks a local one exists. */
export const INPUT_TYPES = ['text', 'url', 'duration', 'timestamp', 'arn', 'region', 'number', 'port', 'host', 'path'] as const;

const CONFIDENCES = ['confirmed', 'likely', 'suspected', 'ruled-out'] as const;
/** How much the finding weighs (see Strength in vocabulary.ts); a responder's word by default. */
const strength = z.enum(['measured', 'config', 'answer', 'assumed']).optional();

/** What the responder saw, recorded as a finding without branching the flow. */
const choiceFinding = z.object({
  cause: z.string().min(1),
  confidence: z.enum(CONFIDENCES),
  evidence: z.string().min(1),
  strength,
}).strict();

const choice = z.object({
  value: z.string().min(1),
  label: z.string().min(1),
  /** Overrides the node's `next` for this choice. */
  next: id.optional(),
  set: setFacts.optional(),
  finding: choiceFinding.optional(),
}).strict();

const base = {
  id,
  phase: z.enum(PHASES),
  /** Short label for the breadcrumb, the path drawing and the report. */
  title: z.string().min(1),
  /** Longer text shown under the title; may interpolate {{facts}}. */
  body: z.string().optional(),
  /** Shown by `?`. */
  help: z.string().optional(),
};

export type Condition =
  | { fact: string; eq?: string | number | boolean; ne?: string | number | boolean; in?: (string | number)[]; gt?: number; gte?: number; lt?: number; lte?: number; exists?: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() => z.union([
  z.object({
    fact: factName,
    eq: factValue.optional(),
    ne: factValue.optional(),
    in: z.array(z.union([z.string(), z.number()])).optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
  }).strict(),
  z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
  z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
  z.object({ not: ConditionSchema }).strict(),
]));

const question = z.object({
  ...base,
  kind: z.literal('question'),
  choices: z.array(choice).min(2).optional(),
  input: z.object({
    type: z.enum(INPUT_TYPES),
    fact: factName,
    placeholder: z.string().optional(),
    optional: z.boolean().optional(),
  }).strict().optional(),
  next: id.optional(),
  /** What a headless run answers: a choice value, or the typed value (empty = skip an optional input). */
  default: z.string().optional(),
}).strict();

const check = z.object({
  ...base,
  kind: z.literal('check'),
  run: z.string().min(1),
  with: z.record(z.string(), z.string()).optional(),
  /** First match wins; the last entry has no `when` and is the default. */
  outcomes: z.array(z.object({
    when: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    next: id,
  }).strict()).min(1),
}).strict();

const step = z.object({
  ...base,
  kind: z.literal('step'),
  /** Commands for the responder to run; may interpolate {{facts}}. Never executed by badgate. */
  commands: z.array(z.string().min(1)).optional(),
  /** What the responder saw; without choices the step is acknowledged with "done". */
  choices: z.array(choice).min(2).optional(),
  next: id.optional(),
  default: z.string().optional(),
  /**
   * A check's manual fallback: asked only when the check just before it could not answer
   * (unknown: no credentials, no permission); otherwise passed through to `next`.
   */
  fallback: z.boolean().optional(),
  /** Asked only when this holds (e.g. "still failing"); otherwise passed through to `next`. */
  askIf: ConditionSchema.optional(),
  /** Show the hypotheses in full here, with what was left unexplored and the session's summary. */
  board: z.enum(['hypotheses', 'handover']).optional(),
}).strict();

const finding = z.object({
  ...base,
  kind: z.literal('finding'),
  cause: z.string().min(1),
  confidence: z.enum(CONFIDENCES),
  evidence: z.string().min(1),
  strength,
  next: id,
}).strict();

/** What to do at once for one confirmed cause: the emergency move, then the lasting fix. */
const mitigation = z.object({
  /** Why this move fits this cause (and what it costs). */
  emergency: z.string().min(1),
  /** Commands for the emergency move; may interpolate {{facts}}. Never executed by badgate. */
  commands: z.array(z.string().min(1)).min(1),
  /** Commands or config lines for the lasting fix. */
  fix: z.array(z.string().min(1)).optional(),
  /** What `resolution.action` says when the move stopped the 502s. */
  action: z.string().min(1),
}).strict();

const mitigate = z.object({
  /** How to see the 502s stop, after any move. */
  verify: z.array(z.string().min(1)).min(1),
  causes: z.record(z.string(), mitigation),
}).strict();

const branch = z.object({
  ...base,
  kind: z.literal('branch'),
  cases: z.array(z.object({ if: ConditionSchema, next: id, set: setFacts.optional() }).strict()).min(1),
  default: id,
}).strict();

const end = z.object({
  ...base,
  kind: z.literal('end'),
  outcome: z.string().optional(),
}).strict();

export const NodeSchema = z.discriminatedUnion('kind', [question, check, step, finding, branch, end]);

export const FlowSchema = z.object({
  $schema: z.string().optional(),
  id,
  title: z.string().min(1),
  gateway: z.enum(GATEWAYS),
  description: z.string().optional(),
  start: id,
  phases: z.array(z.enum(PHASES)).min(1),
  /**
   * How to read a fact from the shell when no check has: a command that prints it (may use
   * {{facts}} and other lookups). Manual steps run it in place of the missing value.
   */
  lookups: z.record(factName, z.string().min(1)).optional(),
  /** Cause confirmed → mitigate now: the move and fix for each cause, shown as soon as it is confirmed. */
  mitigate: mitigate.optional(),
  nodes: z.array(NodeSchema).min(1),
}).strict();

export type Flow = z.infer<typeof FlowSchema>;
export type FlowNode = z.infer<typeof NodeSchema>;
export type QuestionNode = z.infer<typeof question>;
export type CheckNode = z.infer<typeof check>;
export type StepNode = z.infer<typeof step>;
export type FindingNode = z.infer<typeof finding>;
export type BranchNode = z.infer<typeof branch>;
export type EndNode = z.infer<typeof end>;
export type Choice = z.infer<typeof choice>;
export type Mitigation = z.infer<typeof mitigation>;
export type InputType = (typeof INPUT_TYPES)[number];
