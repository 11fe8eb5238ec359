import type { Check } from './types.js';
import { logsAccessLog } from './logs-access-log.js';
import { logsNginxError } from './logs-nginx-error.js';

/** The logs checks, registered by id in ./registry.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check has its own evidence type; the registry only needs the shape
export const logsChecks: Check<any>[] = [logsAccessLog, logsNginxError];
