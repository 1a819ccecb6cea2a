import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/pool';
import { NotFoundError } from '../../common/domain-errors';
import type { EntityStatuses, EntityTable, RowOf } from './columns';
import type { EntityDefinition } from './definition';

/** The status filter every entity's list has. */
export interface StatusFilter {
  status?: EntityStatuses[number] | undefined;
}

export interface EntityQueries<V extends EntityTable, F> {
  // Properties, not methods: their parameters are checked strictly, so `list` must take what the list route sends.
  /** NotFoundError when this instance's view does not have it (yet). */
  get: (db: Database, id: string) => Promise<RowOf<V>>;
  /** At most 500, in `sortBy` order, then by id. */
  list: (db: Database, filter: F) => Promise<RowOf<V>[]>;
}

export interface EntityQueryOptions<F> {
  sortBy: PgColumn;
  /** The conditions of the entity's own filters; undefined for a filter not given. */
  matching: (filter: F) => (SQL | undefined)[];
}

/** The entity's queries, on this instance's read view only. */
export function entityQueries<V extends EntityTable, F>(
  entity: Pick<EntityDefinition<string, string, EntityTable, V>, 'names' | 'view'>,
  { sortBy, matching }: EntityQueryOptions<F>,
): EntityQueries<V, F & StatusFilter> {
  const view: EntityTable = entity.view;
  return {
    async get(db, id) {
      const [row] = await db.select().from(view).where(eq(view.id, id));
      if (!row) throw new NotFoundError(entity.names.one, id);
      return row as RowOf<V>;
    },
    async list(db, filter) {
      const status = filter.status ? eq(view.status, filter.status) : undefined;
      const rows = await db
        .select()
        .from(view)
        .where(and(...matching(filter), status))
        .orderBy(asc(sortBy), asc(view.id))
        .limit(500);
      return rows as RowOf<V>[];
    },
  };
}
