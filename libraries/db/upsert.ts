import { and, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './executor';

/**
 * Inserts a snapshot or replaces the stored one only if the snapshot is newer:
 * a replayed, duplicated or late event can never move a read model backwards.
 */
export async function upsertIfNewer<T extends PgTable>(
  tx: Executor,
  table: T,
  values: T['$inferInsert'],
  keys: { id: PgColumn; version: PgColumn },
): Promise<void> {
  await upsertIfNewerStatement(tx, table, values, keys);
}

/**
 * The same upsert built on `db` and not run (a StatementProjection's
 * statement, with its `fresh` guard on the update); awaiting it runs it.
 */
export function upsertIfNewerStatement<T extends PgTable>(
  db: Executor,
  table: T,
  values: T['$inferInsert'],
  keys: { id: PgColumn; version: PgColumn },
  guard?: SQL,
) {
  const set: Record<string, SQL> = {};
  for (const [property, column] of Object.entries(getTableColumns(table))) {
    if (column.name !== keys.id.name) set[property] = sql.raw(`excluded."${column.name}"`);
  }
  return db
    .insert(table)
    .values(values)
    .onConflictDoUpdate({
      target: keys.id,
      set,
      setWhere: and(sql`${keys.version} < excluded.${sql.identifier(keys.version.name)}`, guard),
    });
}
