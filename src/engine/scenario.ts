import { z } from 'zod';
import { parseYamlWith, type LintMessage, type ParsedYaml } from './load-flow.js';

/**
 * A drill scenario: one file holding the environment a trainee investigates (what AWS
 * answers, the logs, the probe results), the briefing they get, and the hidden answer.
 */

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'scenario ids are lower-case words joined by -');

const recordedCall = z.object({
  method: z.string().min(1),
  args: z.array(z.unknown()),
  result: z.unknown().optional(),
  error: z.object({ name: z.string(), message: z.string(), kind: z.string() }).optional(),
}).strict();

/** A badgate AWS recording (`badgate run --record`), inline. */
const awsRecording = z.object({
  version: z.literal(1),
  region: z.string().min(1),
  recordedAt: z.string().min(1),
  note: z.string().optional(),
  calls: z.array(recordedCall),
}).strict();

/** Azure Resource Manager answers (AzureReader calls: getApplicationGateway, backendHealth, …), inline. */
const azureRecording = z.object({
  subscription: z.string().min(1),
  recordedAt: z.string().min(1),
  note: z.string().optional(),
  calls: z.array(recordedCall),
}).strict();

const probe = z.object({
  /** A built-in check id whose result comes from `evidence` instead of the network. */
  check: z.string().min(1),
  /** Only for runs whose parameters contain these texts (e.g. `{ url: "/health" }`). */
  when: z.record(z.string(), z.string()).optional(),
  /** What the check's collect step would have gathered; the real evaluate turns it into the result. */
  evidence: z.record(z.string(), z.unknown()),
}).strict();

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;

export const ScenarioSchema = z.object({
  id,
  title: z.string().min(1),
  difficulty: z.enum(DIFFICULTIES),
  /** What the drill practises, shown in the list; must not give the answer away. */
  trains: z.string().min(1),
  flow: z.string().min(1).default('alb'),
  /** What the pager said and what the trainee is told at the start. */
  briefing: z.string().min(1),
  /** The hidden root cause(s): naming any of them counts as correct. */
  causes: z.array(z.string().min(1)).min(1),
  /** For whoever runs the game day: what to watch for, hints to give, the story. */
  facilitator: z.string().min(1),
  /**
   * "Now" in the scenario's own time: logs and metrics are moved so this moment is the
   * start of the drill, and "30m ago" means the same to the trainee as to the recording.
   */
  clock: z.iso.datetime(),
  /**
   * What is true in this environment, per question or step: what a responder who reads the
   * evidence right would answer. Values may use {{drill.dir}} (where the drill's files are).
   * Questions not listed are the trainee's free choice.
   */
  answers: z.record(z.string(), z.string()).default({}),
  logs: z.object({
    /** ALB access-log lines: served from the LB's access-log bucket and as a file. */
    access: z.array(z.string()).optional(),
    /** nginx error-log lines from a target, given to the trainee as a file. */
    nginxError: z.array(z.string()).optional(),
    /** App Gateway access-log records, one JSON object a line (ApplicationGatewayAccessLog). */
    appgwAccess: z.array(z.string()).optional(),
  }).strict().default({}),
  probes: z.array(probe).default([]),
  aws: awsRecording.optional(),
  /** Config the trainee reads: the output of `nginx -v; nginx -T`, given as a file. */
  config: z.object({ nginx: z.string().min(1).optional() }).strict().optional(),
  azure: azureRecording.optional(),
}).strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioProbe = z.infer<typeof probe>;

export interface ParsedScenario {
  scenario?: Scenario;
  parsed: ParsedYaml;
  messages: LintMessage[];
}

/** Parses and schema-checks a scenario file's text; semantic checks are in drills/lint. */
export function parseScenario(text: string, file: string): ParsedScenario {
  const { data: scenario, parsed, messages } = parseYamlWith(ScenarioSchema, text, file);
  if (!scenario) return { parsed, messages };
  const base = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  if (scenario.id !== base) messages.push({ file, ...parsed.locate(['id']), message: `the id "${scenario.id}" must match the file name "${base}"` });
  return { scenario, parsed, messages };
}
