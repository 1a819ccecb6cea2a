import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '../db/migrate';

/** One folder of committed SQL migrations, journaled in its own table. */
export function migrationSet(folder: URL, table: string): MigrationSet {
  return { folder: fileURLToPath(folder), table };
}

/**
 * A service's two migration sets, from its `migrations/write` and
 * `migrations/read` folders, each journaled in its own table.
 */
export function serviceMigrations(serviceFolderUrl: string, name: string): { write: MigrationSet; read: MigrationSet } {
  const set = (kind: 'write' | 'read') => migrationSet(new URL(`./migrations/${kind}`, serviceFolderUrl), `__${name}_${kind}_migrations`);
  return { write: set('write'), read: set('read') };
}
