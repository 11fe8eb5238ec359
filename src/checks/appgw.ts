import { appgwBackendHealth } from './appgw-backend-health.js';
import { appgwBackendPath } from './appgw-backend-path.js';
import { appgwHttpSettings } from './appgw-http-settings.js';
import { appgwKeepAlive } from './appgw-keepalive.js';
import type { Check } from './types.js';

/** The Azure Application Gateway checks, registered by id in ./registry.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check has its own evidence type; the registry only needs the shape
export const appgwChecks: Check<any>[] = [appgwBackendHealth, appgwHttpSettings, appgwBackendPath, appgwKeepAlive];
