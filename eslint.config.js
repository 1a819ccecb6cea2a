// @ts-check
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What workflow code must never reach: Node built-ins and anything that does I/O. Temporal replays it. */
const workflowForbiddenImports = [
  ...builtinModules.flatMap((name) => [name, `node:${name}`]),
  'pg',
  'amqplib',
  'amqp-connection-manager',
  'drizzle-orm',
  'drizzle-orm/*',
  'hono',
  'hono/*',
  '@hono/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  ...[
    'activities',
    'messaging',
    'db',
    'services',
    'bridge',
    'config',
    'toolchain',
    'worker',
    'gateway',
    'launcher',
    'clients',
    'http',
  ].flatMap((folder) => [`**/${folder}`, `**/${folder}/*`]),
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.toolchain/**', '.data/**', 'bench-results/**', '**/migrations/**'] },
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
  {
    files: ['workflows/**/*.ts', 'test/fixtures/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: workflowForbiddenImports,
              message: 'Workflow code is replayed: no I/O, no Node built-ins. Do it in an activity.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code is deterministic: pass configuration as workflow arguments.' },
        { name: 'fetch', message: 'Workflow code does no I/O: call an activity.' },
        { name: 'crypto', message: 'Use uuid4() from @temporalio/workflow for deterministic ids.' },
      ],
    },
  },
  {
    // Tests read JSON answers whose shape the assertions check.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
