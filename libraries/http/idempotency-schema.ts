import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Idempotency-Key answers of one service, kept in its write database so that
 * an answer commits with the command it answers. The key is the primary key:
 * a concurrent duplicate's insert waits on the first one's uncommitted row.
 * `status` and `body` are null only inside the claiming transaction.
 */
export const httpIdempotency = pgTable(
  'http_idempotency',
  {
    key: text('key').primaryKey(),
    /** Method, path and canonical body of the request the key was first used for. */
    fingerprint: text('fingerprint').notNull(),
    status: integer('status'),
    /** The answer's JSON text exactly as first sent (jsonb would reorder its keys). */
    body: text('body'),
    headers: text('headers'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('http_idempotency_created_at_idx').on(table.createdAt)],
);
