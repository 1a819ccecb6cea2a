import { defineConfig } from 'vitest/config';

/**
 * Two projects told apart by file name: `*.int.test.ts` needs PostgreSQL,
 * RabbitMQ and a Temporal dev server (test/setup/integration.ts starts the
 * one dev server and gives the run its prefix for databases and vhosts);
 * every other `*.test.ts` needs none of them (test/setup/unit.ts), so
 * `npm run test:unit` runs on a machine with no server at all.
 */
export default defineConfig({
  test: {
    exclude: ['node_modules/**', '.toolchain/**', '.data/**'],
    setupFiles: ['test/setup/quiet-temporal.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: a couple of files at a time keeps timing-sensitive tests honest.
    maxWorkers: 2,
    // Said out loud, not left to the default: an error no test awaited (a pg client
    // dying unheard, a rejected promise nobody caught) fails the run. Processes the
    // tests launch are held to the same rule by their own assertions (no exit on
    // their own: test/e2e), and test/db/pool.int.test.ts provokes the old crash on purpose.
    dangerouslyIgnoreUnhandledErrors: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts'],
          globalSetup: ['test/setup/unit.ts'],
          // Nothing answers here: a unit test that reaches for a server fails even where one runs.
          env: {
            PG_URL: 'postgres://unit-test@127.0.0.1:9/none',
            AMQP_URL: 'amqp://unit-test@127.0.0.1:9/none',
            TEMPORAL_ADDRESS: '127.0.0.1:9',
          },
        },
      },
      { extends: true, test: { name: 'integration', include: ['test/**/*.int.test.ts'], globalSetup: ['test/setup/integration.ts'] } },
    ],
  },
});
