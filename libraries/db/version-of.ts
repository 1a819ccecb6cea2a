import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './executor';

/**
 * The version of the row whose `key` is `id` (undefined when there is none):
 * what a read-your-writes check compares with the version a client was told.
 */
export async function versionOf(db: Executor, columns: { key: PgColumn; version: PgColumn }, id: string): Promise<number | undefined> {
  const [row] = await db
    .select({ version: columns.version })
    .from(columns.version.table as PgTable)
    .where(eq(columns.key, id));
  return row?.version as number | undefined;
}
