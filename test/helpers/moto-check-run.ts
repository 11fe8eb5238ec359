// Runs the aws check set in flow order, feeding facts forward like the engine driver does.
import type { AwsReader } from '../../src/aws/reader.js';
import { awsChecks } from '../../src/checks/aws.js';
import { runCheckResult as runCheck, testContext } from './check-context.js';
import type { CheckResult, Facts } from '../../src/engine/vocabulary.js';

export const CHECK_ORDER = [
  'sts.whoami', 'elbv2.resolve', 'elbv2.target-health', 'ec2.instances', 'ec2.network-path',
  'elbv2.lb-attributes', 'elbv2.target-group-config', 'timeout.chain', 'cloudwatch.who-made-502',
];

export interface CheckRun {
  results: Record<string, CheckResult>;
  facts: Facts;
}

export async function runAwsChecks(
  aws: AwsReader | undefined,
  params: Record<string, Record<string, string>> = {},
  now = new Date(),
  onCheck?: (id: string, ms: number) => void,
): Promise<CheckRun> {
  const facts: Facts = {};
  const results: Record<string, CheckResult> = {};
  for (const id of CHECK_ORDER) {
    const check = awsChecks.find((c) => c.meta.id === id);
    if (!check) throw new Error(`check ${id} is not registered`);
    const started = performance.now();
    const result = await runCheck(check, testContext({ params: params[id] ?? {}, facts: { ...facts }, aws, now: () => now }));
    onCheck?.(id, performance.now() - started);
    results[id] = result;
    Object.assign(facts, result.facts ?? {});
  }
  return { results, facts };
}
