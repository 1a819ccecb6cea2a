import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';

/**
 * A drizzle handle or a transaction on one: what inbox and outbox write with.
 * Generic over the caller's schema, which they never look at.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Executor = PgDatabase<NodePgQueryResultHKT, any, any>;

/** The transaction handle that `db.transaction()` passes to its callback. */
export type TransactionOf<D extends Executor> = Parameters<Parameters<D['transaction']>[0]>[0];
