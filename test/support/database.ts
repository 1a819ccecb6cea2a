import { inject } from 'vitest';
import { databaseName, databaseUrl, dropDatabase, ensureDatabase } from '../../libraries/db/database';
import { runMigrations, type MigrationSet } from '../../libraries/db/migrate';
import { openDatabase, type DatabaseHandle } from '../../libraries/db/pool';
import { messagingMigrations } from '../../libraries/messaging/migration-set';

export interface TestDatabase extends DatabaseHandle {
  name: string;
  url: string;
  remove(): Promise<void>;
}

/** A fresh database for one test file, named under this run's prefix, with the messaging tables. */
export async function createTestDatabase(label: string, extraMigrations: MigrationSet[] = []): Promise<TestDatabase> {
  const serverUrl = inject('pgUrl');
  const name = databaseName(inject('runId'), label, Math.random().toString(36).slice(2, 8));
  await ensureDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  const handle = openDatabase(url, { max: 10 });
  await runMigrations(handle.pool, [messagingMigrations, ...extraMigrations]);
  return {
    ...handle,
    name,
    url,
    remove: async () => {
      await handle.close();
      await dropDatabase(serverUrl, name);
    },
  };
}
