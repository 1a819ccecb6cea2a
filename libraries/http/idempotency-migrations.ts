import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '../db/migrate';

/** The http_idempotency table, for every service's write database (never the read ones). */
export const idempotencyMigrations: MigrationSet = {
  folder: fileURLToPath(new URL('./migrations', import.meta.url)),
  table: '__http_idempotency_migrations',
};
