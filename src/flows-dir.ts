import { fileURLToPath } from 'node:url';

/** flows/ beside src/ or dist/: the same relative place in the repo and in the package. */
export const FLOWS_DIR = fileURLToPath(new URL('../flows/', import.meta.url));
