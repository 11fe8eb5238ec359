// Seeds Lambda functions in a moto account (tests only; write calls never leave the test).
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { MotoAccount } from './moto.js';
import { zipOf } from './zip.js';

export interface SeedFunction {
  name: string;
  timeoutSeconds?: number;
  /** Invoke permissions to add: the service principal and, optionally, the source ARN. */
  allow?: { principal: string; sourceArn?: string }[];
}

/** Creates the execution role once (moto checks it exists) and the functions; returns their ARNs by name. */
export async function seedFunctions(acct: MotoAccount, fns: SeedFunction[]): Promise<Record<string, string>> {
  const iam = new IAMClient(acct.clientConfig);
  const role = await iam.send(new CreateRoleCommand({ RoleName: `fn-role-${Date.now()}`, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
  const lambda = new LambdaClient(acct.clientConfig);
  const code = { ZipFile: zipOf('index.js', 'exports.handler = async () => ({ statusCode: 200, body: "ok" });') };
  const arns: Record<string, string> = {};
  for (const f of fns) {
    const res = await lambda.send(new CreateFunctionCommand({ FunctionName: f.name, Runtime: 'nodejs20.x', Role: role.Role!.Arn!, Handler: 'index.handler', Code: code, ...(f.timeoutSeconds ? { Timeout: f.timeoutSeconds } : {}) }));
    arns[f.name] = res.FunctionArn!;
    for (const [i, a] of (f.allow ?? []).entries()) {
      await lambda.send(new AddPermissionCommand({ FunctionName: f.name, StatementId: `allow-${i}`, Action: 'lambda:InvokeFunction', Principal: a.principal, ...(a.sourceArn ? { SourceArn: a.sourceArn } : {}) }));
    }
  }
  return arns;
}
