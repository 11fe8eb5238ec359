import { defineConfig } from 'tsup';

export default defineConfig({
  // The log reader's worker threads are entries of their own: a Worker needs a file to start.
  entry: { cli: 'src/cli.tsx', 'parse-worker': 'src/logs/parse-worker.ts', 'unzip-worker': 'src/logs/unzip-worker.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  splitting: true,
  // Ink, React and their small dependencies are bundled: resolving ~200 files one by one was most
  // of the home screen's start-up. The AWS SDK stays external and loads only when a run uses AWS.
  noExternal: [/^(?!@aws-sdk\/|@smithy\/|@aws-crypto\/|@aws\/|@azure\/|react-devtools-core)/],
  // Ink loads its devtools only when DEV is set; it is not a dependency.
  external: ['react-devtools-core'],
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __badgateRequire } from 'node:module';\nconst require = __badgateRequire(import.meta.url);" },
});
