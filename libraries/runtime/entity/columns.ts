import { integer, text, timestamp, uuid, type PgColumn, type PgColumnBuilderBase, type PgTable } from 'drizzle-orm/pg-core';

/** Every entity's lifecycle: registered ACTIVE, deactivated INACTIVE (for good). */
export type EntityStatuses = readonly ['ACTIVE', 'INACTIVE'];

/**
 * An entity table's columns: the id, then the entity's own `fields`, then the
 * lifecycle columns every entity shares. The order is the order of a selected
 * row's keys, and so of the JSON a resource is sent as.
 */
export function entityColumns<F extends Record<string, PgColumnBuilderBase>>(statuses: EntityStatuses, fields: F) {
  return {
    id: uuid('id').primaryKey(),
    ...fields,
    status: text('status', { enum: statuses }).notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  };
}

/** The columns entityColumns adds to the entity's own. */
export type EntityColumnName = 'id' | 'status' | 'version' | 'createdAt' | 'updatedAt';

/** What the kit reads of any entity's row. */
export interface EntityRow {
  id: string;
  status: EntityStatuses[number];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A table built from entityColumns: the write table or the read view of an entity. */
export type EntityTable = PgTable & Record<EntityColumnName, PgColumn> & { $inferSelect: EntityRow };

export type RowOf<T extends EntityTable> = T['$inferSelect'];
