import { GetFunctionConfigurationCommand, GetPolicyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaFunction, LambdaPolicy, LambdaPolicyStatement } from '../reader.js';

export async function getFunctionConfiguration(client: LambdaClient, functionName: string): Promise<LambdaFunction> {
  const f = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return {
    name: f.FunctionName ?? functionName,
    arn: f.FunctionArn ?? '',
    ...(f.Runtime ? { runtime: f.Runtime } : {}),
    ...(f.Handler ? { handler: f.Handler } : {}),
    // Lambda's own default when the field is absent (docs: configuration-timeout).
    timeoutSeconds: f.Timeout ?? 3,
    ...(f.MemorySize !== undefined ? { memoryMb: f.MemorySize } : {}),
    ...(f.State ? { state: f.State } : {}),
    ...(f.StateReason ? { stateReason: f.StateReason } : {}),
    ...(f.LastUpdateStatus ? { lastUpdateStatus: f.LastUpdateStatus } : {}),
    ...(f.VpcConfig?.VpcId ? { vpcId: f.VpcConfig.VpcId, subnetIds: f.VpcConfig.SubnetIds ?? [], securityGroupIds: f.VpcConfig.SecurityGroupIds ?? [] } : {}),
    ...(f.LastModified ? { lastModified: f.LastModified } : {}),
  };
}

function asList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** A policy statement's principal: `*`, a service name or account ARNs, flattened to strings. */
function principals(p: unknown): string[] {
  if (typeof p === 'string') return [p];
  if (p && typeof p === 'object') return Object.values(p as Record<string, unknown>).flatMap(asList);
  return [];
}

/** The `AWS:SourceArn` / `AWS:SourceAccount` conditions, whatever operator (ArnLike, ArnEquals, StringEquals) holds them. */
function condition(cond: unknown, key: string): string[] {
  if (!cond || typeof cond !== 'object') return [];
  const out: string[] = [];
  for (const ops of Object.values(cond as Record<string, unknown>)) {
    if (!ops || typeof ops !== 'object') continue;
    for (const [k, v] of Object.entries(ops as Record<string, unknown>)) if (k.toLowerCase() === key.toLowerCase()) out.push(...asList(v));
  }
  return out;
}

export function parsePolicy(text: string): LambdaPolicy {
  const doc = JSON.parse(text) as { Statement?: unknown };
  const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const statements = raw.map((s: Record<string, unknown>): LambdaPolicyStatement => ({
    ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
    effect: String(s.Effect ?? 'Allow'),
    principals: principals(s.Principal),
    actions: asList(s.Action),
    sourceArns: condition(s.Condition, 'AWS:SourceArn'),
    sourceAccounts: condition(s.Condition, 'AWS:SourceAccount'),
  }));
  return { statements };
}

/** A function with no resource-based policy answers ResourceNotFoundException: that is an empty policy, not an error. */
export async function getFunctionPolicy(client: LambdaClient, functionName: string): Promise<LambdaPolicy> {
  try {
    const res = await client.send(new GetPolicyCommand({ FunctionName: functionName }));
    return res.Policy ? parsePolicy(res.Policy) : { statements: [] };
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') return { statements: [] };
    throw e;
  }
}
