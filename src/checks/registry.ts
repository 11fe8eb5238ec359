import { awsChecks } from './aws.js';
import { appgwChecks } from './appgw.js';
import { cloudfrontOriginTls } from './cloudfront-origin-tls.js';
import { cloudfrontOrigins } from './cloudfront-origins.js';
import { cloudfrontResolve } from './cloudfront-resolve.js';
import { lambdaFunction } from './lambda-function.js';
import { localPortListening } from './local-port-listening.js';
import { logsChecks } from './logs.js';
import { netChecks } from './net.js';
import { nginxUpstreamConfig } from './nginx-upstream-config.js';
import { logsApigwExecution } from './logs-apigw-execution.js';
import { logsLambdaErrors } from './logs-lambda-errors.js';
import { logsApigwAccess } from './logs-apigw-access.js';
import type { CheckMeta } from '../engine/vocabulary.js';
import type { Check } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- checks differ in evidence type; callers go through collect → evaluate of the same check
export type AnyCheck = Check<any>;

export const allChecks: readonly AnyCheck[] = [...awsChecks, ...netChecks, ...logsChecks, localPortListening, nginxUpstreamConfig, ...appgwChecks, cloudfrontResolve, cloudfrontOrigins, cloudfrontOriginTls, lambdaFunction, logsApigwExecution, logsLambdaErrors, logsApigwAccess];

const byId = new Map(allChecks.map((c) => [c.meta.id, c]));

export function getCheck(id: string): AnyCheck | undefined {
  return byId.get(id);
}

export function checkMetas(): ReadonlyMap<string, CheckMeta> {
  return new Map(allChecks.map((c) => [c.meta.id, c.meta]));
}
