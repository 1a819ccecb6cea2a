import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '../db/migrate';

/** The inbox and outbox tables, applied to every service database before the service's own set. */
export const messagingMigrations: MigrationSet = {
  folder: fileURLToPath(new URL('./migrations', import.meta.url)),
  table: '__messaging_migrations',
};
