import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '../../db/migrate';

const set = (kind: 'write' | 'read'): MigrationSet => ({
  folder: fileURLToPath(new URL(`./migrations/${kind}`, import.meta.url)),
  table: `__scheduling_${kind}_migrations`,
});

/** Scheduling's databases: the write model (shared with the saga worker) and each instance's read model. */
export const schedulingMigrations = { write: set('write'), read: set('read') };
