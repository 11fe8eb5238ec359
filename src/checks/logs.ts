import type { Check } from './types.js';
import { logsAccessLog } from './logs-access-log.js';
import { logsNginxError } from './logs-nginx-error.js';
import { logsApigwExecution } from './logs-apigw-execution.js';
import { logsApigwAccess } from './logs-apigw-access.js';
import { logsLambdaErrors } from './logs-lambda-errors.js';

/** The logs checks, registered by id in ./registry.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check has its own evidence type; the registry only needs the shape
export const logsChecks: Check<any>[] = [logsAccessLog, logsNginxError, logsApigwExecution, logsLambdaErrors, logsApigwAccess];
