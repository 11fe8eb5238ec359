import { allChecks } from './registry.js';
import type { Check } from './types.js';

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/**
 * Every check the registry holds: the policy must cover whatever a flow may run (the ALB flow's
 * Lambda lane runs lambda.function, the CloudFront flow its own checks). Azure RBAC actions
 * (`Microsoft.Network/…`) are not IAM actions and are left out by declaredActions.
 */
export function registeredChecks(): Check<unknown>[] {
  return [...allChecks];
}

/** IAM actions the checks declare; `probe:*` entries are network probes, not IAM actions. */
export function declaredActions(checks: Pick<Check<unknown>, 'meta'>[]): string[] {
  return [...new Set(checks.flatMap((c) => c.meta.apis).filter((a) => /^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a) && !a.startsWith('probe:')))].sort();
}

const SIDS: Record<string, string> = {
  elasticloadbalancing: 'ElbDescribe',
  ec2: 'NetworkDescribe',
  cloudwatch: 'Metrics',
  logs: 'Logs',
  athena: 'Athena',
  glue: 'GlueCatalog',
  sts: 'Identity',
  lambda: 'LambdaTargets',
  acm: 'Certificates',
  cloudfront: 'CloudFront',
  cloudtrail: 'CloudTrail',
  apigateway: 'ApiGatewayRead',
};

/**
 * API Gateway authorises reads as apigateway:GET on the resource path: the API lists and everything
 * under them (REST /restapis, HTTP /apis) and the VPC links, in any region.
 */
const APIGATEWAY_READ = [
  'arn:aws:apigateway:*::/restapis', 'arn:aws:apigateway:*::/restapis/*',
  'arn:aws:apigateway:*::/apis', 'arn:aws:apigateway:*::/apis/*',
  'arn:aws:apigateway:*::/vpclinks', 'arn:aws:apigateway:*::/vpclinks/*',
];

/** Actions scoped to resources where IAM allows it (reference §8); everything else is `*`. */
const S3_LIST = new Set(['s3:ListBucket', 's3:GetBucketLocation']);

/**
 * The least-privilege, read-only policy for every registered check, generated from their
 * declared `apis` so it can never drift from what the code calls.
 * Placeholders: LOG_BUCKET, LOG_PREFIX, ACCOUNT_ID.
 */
export function buildIamPolicy(checks: Pick<Check<unknown>, 'meta'>[] = registeredChecks()): IamPolicy {
  const actions = declaredActions(checks);
  const byService = new Map<string, string[]>();
  // Same order as the reference policy: load balancer, network, metrics, logs, the rest.
  const order = ['elasticloadbalancing', 'ec2', 'cloudwatch', 's3', 'logs', 'athena', 'glue', 'lambda', 'acm', 'sts'];
  const rank = (a: string) => { const i = order.indexOf(a.split(':')[0]); return i < 0 ? order.length : i; };
  actions.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const a of actions) {
    const service = a.split(':')[0];
    byService.set(service, [...(byService.get(service) ?? []), a]);
  }
  const statements: IamStatement[] = [];
  for (const [service, list] of byService) {
    if (service === 's3') {
      const listActions = list.filter((a) => S3_LIST.has(a));
      const objectActions = list.filter((a) => !S3_LIST.has(a));
      if (listActions.length) {
        statements.push({
          Sid: 'AccessLogList', Effect: 'Allow', Action: listActions, Resource: 'arn:aws:s3:::LOG_BUCKET',
          Condition: { StringLike: { 's3:prefix': ['LOG_PREFIX/AWSLogs/*'] } },
        });
      }
      if (objectActions.length) statements.push({ Sid: 'AccessLogRead', Effect: 'Allow', Action: objectActions, Resource: 'arn:aws:s3:::LOG_BUCKET/LOG_PREFIX/AWSLogs/*' });
      continue;
    }
    const sid = SIDS[service] ?? `${service.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Read`;
    const resource = service === 'lambda' ? 'arn:aws:lambda:*:ACCOUNT_ID:function:*' : service === 'apigateway' ? APIGATEWAY_READ : '*';
    statements.push({ Sid: sid, Effect: 'Allow', Action: list, Resource: resource });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * `badgate logs --athena` runs SELECT queries only (never CREATE: the DDL is printed for the user),
 * but a query reads the table through Glue and Athena writes its results to the workgroup's S3
 * output location, so that path needs these on top of the checks' policy (`iam-policy --with athena`).
 */
export function athenaStatements(): IamPolicy['Statement'] {
  return [
    { Sid: 'AthenaSelectOnly', Effect: 'Allow', Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'], Resource: 'arn:aws:athena:REGION:ACCOUNT:workgroup/WORKGROUP' },
    { Sid: 'AthenaReadsTheTable', Effect: 'Allow', Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'], Resource: ['arn:aws:glue:REGION:ACCOUNT:catalog', 'arn:aws:glue:REGION:ACCOUNT:database/DATABASE', 'arn:aws:glue:REGION:ACCOUNT:table/DATABASE/*'] },
    { Sid: 'AthenaWritesItsResults', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: ['arn:aws:s3:::ATHENA_RESULTS_BUCKET', 'arn:aws:s3:::ATHENA_RESULTS_BUCKET/*'] },
  ];
}

/** Read-only by name: Describe*, Get*, List*, plus the query APIs badgate runs when asked. */
export const QUERY_ACTIONS = new Set([
  'athena:StartQueryExecution', 'athena:GetQueryResults', 'athena:GetQueryExecution',
  'logs:StartQuery', 'logs:GetQueryResults', 'logs:FilterLogEvents',
  // Stops only the Insights query badgate itself started, when a check is cancelled.
  'logs:StopQuery',
]);

export function isReadOnlyAction(action: string): boolean {
  const op = action.split(':')[1] ?? '';
  // API Gateway names its actions by HTTP verb: GET is its only read.
  if (action.startsWith('apigateway:')) return op === 'GET';
  // Azure operation ids (`ApplicationGateways_Get`): Get and List read; BackendHealth is a POST that
  // only reports probe results (RBAC: Microsoft.Network/applicationGateways/backendhealth/action).
  if (action.startsWith('azure:')) return /_(Get|List|ListAll|BackendHealth)$/.test(op);
  return /^(Describe|Get|List)/.test(op) || QUERY_ACTIONS.has(action);
}
