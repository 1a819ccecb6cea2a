import { fileURLToPath } from 'node:url';
import type { MigrationSet } from '../db/migrate';

/** The access_audit table, for the write database of a service that audits. */
export const auditMigrations: MigrationSet = {
  folder: fileURLToPath(new URL('./migrations', import.meta.url)),
  table: '__access_audit_migrations',
};
