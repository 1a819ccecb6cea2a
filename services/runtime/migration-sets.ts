import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '../../db/migrate';

/**
 * A service's two migration sets, from its `migrations/write` and
 * `migrations/read` folders, each journaled in its own table.
 */
export function serviceMigrations(serviceFolderUrl: string, name: string): { write: MigrationSet; read: MigrationSet } {
  const set = (kind: 'write' | 'read'): MigrationSet => ({
    folder: fileURLToPath(new URL(`./migrations/${kind}`, serviceFolderUrl)),
    table: `__${name}_${kind}_migrations`,
  });
  return { write: set('write'), read: set('read') };
}
