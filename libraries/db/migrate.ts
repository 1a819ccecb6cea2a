import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';

export interface MigrationSet {
  /** Folder of committed SQL migrations made by drizzle-kit. */
  folder: string;
  /** Journal table of this set, so that several sets (messaging + a service) share a database. */
  table: string;
}

/**
 * Applies migration sets in order. An advisory lock serializes instances that
 * start together against the same write database.
 */
export async function runMigrations(pool: pg.Pool, sets: MigrationSet[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('hap-migrations'))");
    try {
      const db = drizzle({ client });
      for (const set of sets) {
        await migrate(db, { migrationsFolder: set.folder, migrationsTable: set.table, migrationsSchema: 'public' });
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('hap-migrations'))");
    }
  } finally {
    client.release();
  }
}
