import type { PortSpec } from '../ports/port.js';
import { AZURE_METHODS, AZURE_OPERATIONS, type AzureMethod, type AzureReader } from './reader.js';

/** Params named as the REST operations name them, so a cited source reads like the API reference. */
function sourceParams(method: AzureMethod, args: unknown[]): Record<string, unknown> | undefined {
  if (method === 'getApplicationGateway' || method === 'backendHealth') return { resourceGroupName: args[0], applicationGatewayName: args[1] };
  if (method === 'listNetworkSecurityGroups') return { resourceGroupName: args[0] };
  return args[0] === undefined ? undefined : { resourceId: args[0] };
}

export const AZURE_PORT: PortSpec<AzureReader> = {
  name: 'azure',
  methods: AZURE_METHODS,
  describe: (method, args) => {
    const params = sourceParams(method as AzureMethod, args);
    return { api: `azure:${AZURE_OPERATIONS[method as AzureMethod].operation}`, ...(params ? { params } : {}) };
  },
};
