import type { Check } from './types.js';

/** The aws checks, registered by id in ./registry.ts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each check has its own evidence type; the registry only needs the shape
export const awsChecks: Check<any>[] = [];
