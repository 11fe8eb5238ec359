import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The floors of src/, lowest first. A folder (or root file) may import only from the
 * floors it lists: arrows run downhill, so there is no cycle between folders.
 * test/lint/boundaries.test.ts proves that an import back up fails.
 */
export const FLOORS = {
  engine: [],
  ports: ['engine'],
  net: ['engine', 'ports'],
  logs: ['engine', 'ports'],
  sessions: ['engine', 'ports'],
  report: ['engine', 'ports'],
  aws: ['engine', 'ports', 'logs'],
  azure: ['engine', 'ports', 'logs'],
  lab: ['engine', 'ports', 'net', 'logs'],
  checks: ['engine', 'ports', 'net', 'logs', 'aws', 'azure'],
  'flow-files': ['engine', 'ports', 'checks'],
  drills: ['engine', 'ports', 'net', 'logs', 'aws', 'azure', 'checks', 'flow-files', 'report', 'sessions'],
  'run-context': ['engine', 'ports', 'net', 'logs', 'aws', 'azure', 'checks'],
  ui: ['engine', 'ports', 'net', 'logs', 'aws', 'azure', 'checks', 'lab', 'report', 'sessions', 'flow-files'],
  commands: ['engine', 'ports', 'net', 'logs', 'aws', 'azure', 'checks', 'lab', 'report', 'sessions', 'flow-files', 'drills', 'run-context', 'ui'],
};
const ROOT_FILES = new Set(['flow-files', 'run-context']);
const UI_PACKAGES = ['ink', 'ink-*', '@inkjs/*', 'react', 'react/*'];

function restrictions(place) {
  const allowed = new Set([place, ...FLOORS[place]]);
  const patterns = Object.keys(FLOORS).filter((other) => !allowed.has(other)).map((other) => ({
    group: ROOT_FILES.has(other) ? [`**/${other}.js`] : [`**/${other}/**`, `**/${other}/*.js`],
    message: `src/${place} may not import src/${other}${ROOT_FILES.has(other) ? '.ts' : ''}: imports run downhill (see FLOORS in eslint.config.js).`,
  }));
  patterns.push({ group: ['**/cli.js'], message: 'Nothing imports the command line entry.' });
  if (place !== 'aws') patterns.push({ group: ['@aws-sdk/client-*'], message: 'Only the sdk adapter (src/aws/sdk) imports AWS clients.' });
  if (place !== 'azure') patterns.push({ group: ['@azure/arm-*', '@azure/identity'], message: 'Only the Azure adapter (src/azure/sdk.ts) imports Azure clients.' });
  if (['engine', 'ports', 'report', 'checks', 'net', 'logs', 'aws', 'azure', 'sessions'].includes(place)) {
    patterns.push({ group: UI_PACKAGES, message: `src/${place} stays free of UI code.` });
  }
  if (['engine', 'ports', 'report'].includes(place)) patterns.push({ group: ['@aws-sdk/*'], message: `src/${place} stays free of AWS SDK code.` });
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...Object.keys(FLOORS).map((place) => ({
    files: ROOT_FILES.has(place) ? [`src/${place}.ts`] : [`src/${place}/**`],
    rules: restrictions(place),
  })),
  {
    // Within src/azure only the sdk adapter builds Azure clients.
    files: ['src/azure/**'],
    ignores: ['src/azure/sdk.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...restrictions('azure')['no-restricted-imports'][1].patterns,
          { group: ['@azure/arm-*', '@azure/identity'], message: 'Only the Azure adapter (src/azure/sdk.ts) imports Azure clients.' },
        ],
      }],
    },
  },
  {
    // Within src/aws only the sdk adapter builds AWS clients.
    files: ['src/aws/**'],
    ignores: ['src/aws/sdk/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...restrictions('aws')['no-restricted-imports'][1].patterns,
          { group: ['@aws-sdk/client-*'], message: 'Only the sdk adapter (src/aws/sdk) imports AWS clients.' },
        ],
      }],
    },
  },
);
