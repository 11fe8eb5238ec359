import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Only the sdk adapter may build AWS clients.
    files: ['src/**'],
    ignores: ['src/aws/sdk/**', 'src/aws/sdk.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@aws-sdk/client-*'], message: 'Only the sdk adapter (src/aws/sdk) imports AWS clients.' }],
      }],
    },
  },
  {
    // The engine is pure: it must never reach for the terminal UI or AWS.
    files: ['src/engine/**', 'src/report/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['ink', 'ink-*', '@inkjs/*', 'react', 'react/*'], message: 'src/engine and src/report stay free of UI code.' },
          { group: ['@aws-sdk/*'], message: 'src/engine and src/report stay free of AWS SDK code.' },
        ],
      }],
    },
  },
);
