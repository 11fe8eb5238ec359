import { describe, inject } from 'vitest';

export * from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared moto server, or '' when moto is not installed (tests skip). */
    motoEndpoint: string;
  }
}

/** The moto endpoint, or undefined (with a note) when this machine has no moto. */
export function requireMoto(): string | undefined {
  const endpoint = inject('motoEndpoint');
  if (!endpoint) {
    console.warn('moto_server not found: skipping moto integration tests (install moto[server]; CI requires it)');
    return undefined;
  }
  return endpoint;
}

/** `describe` that skips, with a message, when moto is unavailable. */
export function describeMoto(name: string, fn: (endpoint: () => string) => void): void {
  const endpoint = requireMoto();
  describe.skipIf(!endpoint)(name, () => fn(() => endpoint as string));
}
