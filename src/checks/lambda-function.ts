import type { LambdaFunction, LambdaPolicy } from '../aws/reader.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts, Finding } from '../engine/vocabulary.js';
import type { Check } from './types.js';

/** Who calls the function: the service principal its resource policy must allow. */
const INVOKERS = {
  apigateway: { principal: 'apigateway.amazonaws.com', name: 'API Gateway' },
  elb: { principal: 'elasticloadbalancing.amazonaws.com', name: 'the ALB' },
} as const;
type Invoker = keyof typeof INVOKERS;

// REST APIs' default integration timeout (API Gateway quotas); HTTP APIs allow 30 s.
const DEFAULT_BUDGET_MS = 29_000;
// Lambda's own default (configuration-timeout): slow calls die on it and surface as 502s.
const LAMBDA_DEFAULT_TIMEOUT_S = 3;

export interface LambdaFunctionEvidence {
  functionName: string;
  invoker: Invoker;
  /** ARN the invoke comes from (API execute-api ARN, target group ARN), when known. */
  sourceArn?: string;
  budgetMs?: number;
  fn?: LambdaFunction;
  policy?: LambdaPolicy;
}

/** IAM ARN patterns: `*` any run of characters, `?` one. */
function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(arn);
}

const invokes = (actions: string[]) => actions.some((a) => a === '*' || a === 'lambda:*' || a.toLowerCase() === 'lambda:invokefunction');

/** The statement that lets the invoker call the function (Deny statements are not modelled: AddPermission only writes Allow). */
export function allowingStatement(policy: LambdaPolicy, invoker: Invoker, sourceArn?: string) {
  const principal = INVOKERS[invoker].principal;
  return policy.statements.find((s) => s.effect === 'Allow'
    && s.principals.some((p) => p === '*' || p === principal)
    && invokes(s.actions)
    && (!sourceArn || s.sourceArns.length === 0 || s.sourceArns.some((p) => arnMatches(p, sourceArn))));
}

function evaluate(ev: LambdaFunctionEvidence): CheckResult {
  const who = INVOKERS[ev.invoker];
  const cmd = `aws lambda get-function-configuration --function-name ${ev.functionName}`;
  if (!ev.fn) {
    const cause = ev.invoker === 'apigateway' ? 'apigw-integration-misconfigured' : 'lambda-error-or-timeout';
    return {
      status: 'fail', outcome: 'missing',
      summary: `Lambda function ${ev.functionName} does not exist: ${who.name} has nothing to invoke`,
      details: [`${cmd} answered ResourceNotFoundException`, 'Point the integration or target group at the right function name, alias or version.'],
      findings: [{ cause, confidence: 'likely', strength: 'config', evidence: [`function ${ev.functionName} not found`] }],
      facts: { 'lambda.exists': false },
    };
  }
  const fn = ev.fn;
  const findings: Finding[] = [];
  const details: string[] = [
    `Timeout = ${fn.timeoutSeconds} s${fn.timeoutSeconds === LAMBDA_DEFAULT_TIMEOUT_S ? ' (the Lambda default)' : ''}; memory ${fn.memoryMb ?? '?'} MB; runtime ${fn.runtime ?? '?'}; state ${fn.state ?? '?'}${fn.lastUpdateStatus ? `, last update ${fn.lastUpdateStatus}` : ''}`,
  ];
  if (fn.vpcId) details.push(`In VPC ${fn.vpcId} (subnets ${fn.subnetIds?.join(', ') || '-'}): ENI or subnet IP shortages show as invoke errors`);
  if (fn.state === 'Failed' || fn.state === 'Inactive' || fn.lastUpdateStatus === 'Failed') {
    findings.push({ cause: 'lambda-error-or-timeout', confidence: 'likely', strength: 'config', evidence: [`function state ${fn.state}${fn.stateReason ? `: ${fn.stateReason}` : ''}${fn.lastUpdateStatus === 'Failed' ? ' (last update failed)' : ''}`] });
  }
  const allow = ev.policy ? allowingStatement(ev.policy, ev.invoker, ev.sourceArn) : undefined;
  if (ev.policy) {
    if (allow) {
      details.push(`Resource policy: statement ${allow.sid ?? '(no Sid)'} lets ${who.principal} invoke${allow.sourceArns.length ? ` from ${allow.sourceArns.join(', ')}` : ''}`);
      findings.push({ cause: 'lambda-invoke-permission-missing', confidence: 'ruled-out', strength: 'config', evidence: [`statement ${allow.sid ?? '(no Sid)'} allows ${who.principal}`] });
    } else {
      const near = ev.policy.statements.filter((s) => s.principals.includes(who.principal));
      const why = near.length
        ? `the statements for ${who.principal} allow only ${near.flatMap((s) => s.sourceArns).join(', ') || 'other actions'}, not ${ev.sourceArn}`
        : `no statement names ${who.principal}`;
      findings.push({ cause: 'lambda-invoke-permission-missing', confidence: 'likely', strength: 'config', evidence: [`resource policy of ${fn.name}: ${why}`] });
      details.push(`Grant it: aws lambda add-permission --function-name ${fn.name} --statement-id ${ev.invoker}-invoke --action lambda:InvokeFunction --principal ${who.principal}${ev.sourceArn ? ` --source-arn '${ev.sourceArn}'` : ''}`);
    }
  }
  const budgetMs = ev.budgetMs ?? (ev.invoker === 'apigateway' ? DEFAULT_BUDGET_MS : undefined);
  if (budgetMs !== undefined) {
    if (fn.timeoutSeconds * 1000 >= budgetMs) {
      findings.push({ cause: 'timeout-mismatch', confidence: 'suspected', strength: 'config', evidence: [`function timeout ${fn.timeoutSeconds} s ≥ integration timeout ${budgetMs / 1000} s: the gateway gives up (504/503) while the function still runs`] });
    } else {
      details.push(`Function timeout ${fn.timeoutSeconds} s < integration timeout ${budgetMs / 1000} s: the function's own timeout fires first (a 502 with "Task timed out" in its log)`);
    }
  } else {
    details.push(`${who.name} waits for the function until it returns or times out (${fn.timeoutSeconds} s); a timeout is a 502 with error_reason LambdaUnhandled`);
  }
  const facts: Facts = {
    'lambda.exists': true,
    'lambda.arn': fn.arn,
    'lambda.timeoutSeconds': fn.timeoutSeconds,
    'lambda.state': fn.state ?? '',
    ...(ev.policy ? { 'lambda.invokeAllowed': Boolean(allow) } : {}),
  };
  const active = findings.filter((f) => f.confidence !== 'ruled-out');
  if (active.length === 0) {
    return { status: 'pass', outcome: 'ok', facts, details, findings, summary: `${fn.name}: ${fn.state ?? 'state unknown'}, timeout ${fn.timeoutSeconds} s${allow ? `, ${who.name} may invoke it` : ''}` };
  }
  const first = active[0];
  const outcome = first.cause === 'lambda-invoke-permission-missing' ? 'no-permission' : first.cause === 'timeout-mismatch' ? 'timeout-over-budget' : 'not-active';
  return { status: outcome === 'timeout-over-budget' ? 'warn' : 'fail', outcome, facts, details, findings, summary: `${fn.name}: ${first.evidence[0]}` };
}

function invokerOf(value: string | undefined): Invoker {
  if (!value) return 'apigateway';
  if (value === 'apigateway' || value === 'elb') return value;
  throw new Error(`invoker must be apigateway or elb, not ${value}`);
}

export const lambdaFunction: Check<LambdaFunctionEvidence> = {
  meta: {
    id: 'lambda.function',
    title: 'Lambda function: state, timeout against the gateway, and who may invoke it',
    docs: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
    apis: ['lambda:GetFunctionConfiguration', 'lambda:GetPolicy'],
    params: {
      function: { description: 'function name or ARN when lambda.function is not known yet' },
      invoker: { description: '`apigateway` (default) or `elb`: whose invoke permission to look for' },
      sourceArn: { description: 'ARN the invoke comes from (execute-api or target group), when known' },
      budgetMs: { description: 'the integration timeout in ms the function must finish within' },
    },
    outcomes: ['ok', 'missing', 'no-permission', 'timeout-over-budget', 'not-active'],
    strength: 'config',
    causes: ['lambda-error-or-timeout', 'lambda-invoke-permission-missing', 'timeout-mismatch', 'apigw-integration-misconfigured'],
    facts: ['lambda.exists', 'lambda.arn', 'lambda.timeoutSeconds', 'lambda.state', 'lambda.invokeAllowed'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const functionName = ctx.params.function?.trim() || String(ctx.facts['lambda.function'] ?? '').trim();
    if (!functionName) throw new Error('no Lambda function known yet: pass function=NAME or resolve the integration first');
    const invoker = invokerOf(ctx.params.invoker?.trim());
    const sourceArn = ctx.params.sourceArn?.trim() || undefined;
    const budget = Number(ctx.params.budgetMs);
    const base = { functionName, invoker, ...(sourceArn ? { sourceArn } : {}), ...(ctx.params.budgetMs && Number.isFinite(budget) && budget > 0 ? { budgetMs: budget } : {}) };
    ctx.progress(`GetFunctionConfiguration ${functionName}`);
    let fn: LambdaFunction;
    try {
      fn = await aws.getFunctionConfiguration(functionName);
    } catch (e) {
      if ((e as { name?: string }).name === 'ResourceNotFoundException') return base;
      throw e;
    }
    ctx.progress(`GetPolicy ${functionName}`);
    return { ...base, fn, policy: await aws.getFunctionPolicy(functionName) };
  },
  evaluate: (ev) => evaluate(ev),
};
