import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.toolchain/**', '.data/**'],
    // One Temporal dev server, one run prefix for databases and vhosts (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/quiet-temporal.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: a couple of files at a time keeps timing-sensitive tests honest.
    maxWorkers: 2,
    // Said out loud, not left to the default: an error no test awaited (a pg client
    // dying unheard, a rejected promise nobody caught) fails the run. Processes the
    // tests launch are held to the same rule by their own assertions (no exit on
    // their own: test/e2e), and test/db/pool.test.ts provokes the old crash on purpose.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
