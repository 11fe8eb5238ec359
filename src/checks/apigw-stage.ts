import type { ApiStage } from '../aws/reader.js';
import { apiTarget, executionLogGroup, type ApiKind } from './apigw-common.js';
import { requireAws } from './env.js';
import type { CheckResult, Facts } from '../engine/vocabulary.js';
import type { Check } from './types.js';

export interface ApigwStageEvidence {
  kind: ApiKind;
  apiId: string;
  stage: ApiStage;
}

// What an access log should carry to tell a Lambda error from a mapping error (http-api-logging-variables).
const USEFUL_VARIABLES = ['$context.status', '$context.integrationErrorMessage', '$context.integration.status', '$context.error.message'];
const ACCESS_FORMAT = '{"requestId":"$context.requestId","status":"$context.status","integrationStatus":"$context.integration.status","integrationError":"$context.integrationErrorMessage","error":"$context.error.message","responseType":"$context.error.responseType","integrationLatency":"$context.integrationLatency"}';

/** A log group ARN's name (`arn:aws:logs:r:a:log-group:NAME[:*]`). */
const groupName = (arn: string) => /:log-group:([^:]+)/.exec(arn)?.[1] ?? arn;

function evaluate(ev: ApigwStageEvidence): CheckResult {
  const s = ev.stage;
  const details: string[] = [];
  const notes: string[] = [];
  const level = (s.loggingLevel ?? 'OFF').toUpperCase();
  const executionLogs = ev.kind === 'rest' && (level === 'INFO' || level === 'ERROR');
  const facts: Facts = {
    'apigw.loggingLevel': ev.kind === 'rest' ? level : 'none',
    'apigw.executionLogs': executionLogs,
    'apigw.accessLogs': Boolean(s.accessLog),
    'apigw.detailedMetrics': Boolean(s.detailedMetrics),
    'apigw.stageVariables': Object.entries(s.variables).map(([k, v]) => `${k}=${v}`).join(','),
  };
  if (s.accessLog) facts['apigw.accessLogGroup'] = groupName(s.accessLog.destinationArn);
  if (ev.kind === 'rest') {
    if (executionLogs) {
      details.push(`Execution logs ${level}${s.dataTrace ? ' with full request/response data' : ''} in ${executionLogGroup(ev.apiId, s.name)}: "Malformed Lambda proxy response", "Lambda execution failed…", "Execution failed due to configuration error" are written there.`);
    } else {
      notes.push(`Execution logging is ${level}: API Gateway writes no reason for its 5xx. Turn it on (INFO while investigating; the account needs a CloudWatch Logs role, \`aws apigateway get-account\`):`);
      notes.push(`aws apigateway update-stage --rest-api-id ${ev.apiId} --stage-name ${s.name} --patch-operations op=replace,path=/*/*/logging/loglevel,value=INFO`);
    }
  } else {
    details.push('HTTP APIs have no execution log: the access log ($context.integrationErrorMessage) is where the reason for a 500/503 is written.');
  }
  if (s.accessLog) {
    const missing = USEFUL_VARIABLES.filter((v) => !(s.accessLog?.format ?? '').includes(v));
    details.push(`Access log to ${groupName(s.accessLog.destinationArn)}${missing.length ? `; its format lacks ${missing.join(', ')}` : ''}`);
  } else {
    notes.push('No access log on this stage. To keep one with the integration error for the next incident:');
    notes.push(ev.kind === 'rest'
      ? `aws apigateway update-stage --rest-api-id ${ev.apiId} --stage-name ${s.name} --patch-operations op=replace,path=/accessLogSettings/destinationArn,value=LOG_GROUP_ARN 'op=replace,path=/accessLogSettings/format,value=${ACCESS_FORMAT}'`
      : `aws apigatewayv2 update-stage --api-id ${ev.apiId} --stage-name '${s.name}' --access-log-settings 'DestinationArn=LOG_GROUP_ARN,Format=${ACCESS_FORMAT}'`);
  }
  details.push(s.detailedMetrics ? 'Detailed (per-method/route) metrics on.' : 'Detailed metrics off: 5XXError/5xx are per stage only, not per method or route.');
  const vars = Object.entries(s.variables);
  if (vars.length) details.push(`Stage variables: ${vars.map(([k, v]) => `${k}=${v}`).join(', ')}${vars.some(([, v]) => /^[A-Za-z0-9-_]+(:[A-Za-z0-9-_]+)?$/.test(v)) ? ' (an integration that names ${stageVariables.x} invokes the function named here)' : ''}`);
  if (s.lastUpdated) details.push(`Stage last updated ${s.lastUpdated}${s.deploymentId ? `, deployment ${s.deploymentId}` : ''}`);
  const noEvidence = ev.kind === 'rest' ? !executionLogs && !s.accessLog : !s.accessLog;
  return {
    status: notes.length ? 'warn' : 'pass',
    outcome: noEvidence ? 'no-logs' : 'logs-on',
    summary: noEvidence
      ? `Stage ${s.name}: no ${ev.kind === 'rest' ? 'execution or access' : 'access'} log, so API Gateway keeps no record of why it answered 5xx`
      : `Stage ${s.name}: ${ev.kind === 'rest' ? `execution logs ${level}, ` : ''}access log ${s.accessLog ? 'on' : 'off'}`,
    details: [...details, ...notes], facts,
  };
}

export const apigwStage: Check<ApigwStageEvidence> = {
  meta: {
    id: 'apigw.stage',
    title: 'The stage: execution and access logs (where the 5xx reason is written), detailed metrics, stage variables',
    docs: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    apis: ['apigateway:GET'],
    params: {
      api: { description: 'API id when apigw.id is not known yet' },
      kind: { description: '`rest` or `http` when apigw.kind is not known yet' },
      stage: { description: 'stage name when apigw.stage is not known yet' },
    },
    outcomes: ['logs-on', 'no-logs'],
    strength: 'config',
    causes: [],
    facts: ['apigw.loggingLevel', 'apigw.executionLogs', 'apigw.accessLogs', 'apigw.accessLogGroup', 'apigw.detailedMetrics', 'apigw.stageVariables'],
  },
  async collect(ctx) {
    const aws = requireAws(ctx);
    const { kind, apiId, stage } = apiTarget(ctx);
    ctx.progress(`GetStage ${apiId} ${stage}`);
    return { kind, apiId, stage: await (kind === 'rest' ? aws.getStage(apiId, stage) : aws.getHttpStage(apiId, stage)) };
  },
  evaluate: (ev) => evaluate(ev),
};
