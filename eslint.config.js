// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundaryRules, workflowRules } from './tools/lint/boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', '.toolchain/**', '.data/**', 'bench-results/**', 'chaos-results/**', '**/migrations/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaryRules(),
  workflowRules(),
  {
    // Tests read JSON answers whose shape the assertions check.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['eslint.config.js', 'tools/lint/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
