import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Inbox: the events each consumer has applied, written in the same transaction
 * as the consumer's own changes. A redelivered event finds its row and changes
 * nothing. Rows older than the retention window are pruned (inbox-retention.ts).
 */
export const inbox = pgTable(
  'messaging_inbox',
  {
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // processed_at: the retention prune finds old ids without reading the whole table.
  (table) => [primaryKey({ columns: [table.consumer, table.eventId] }), index('messaging_inbox_processed_at_idx').on(table.processedAt)],
);

/**
 * Outbox: events written in the same transaction as the state change that
 * caused them, relayed to the broker with confirms. Published rows stay as the
 * service's event log.
 */
export const outbox = pgTable(
  'messaging_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    eventType: text('event_type').notNull(),
    exchange: text('exchange').notNull(),
    routingKey: text('routing_key').notNull(),
    envelope: jsonb('envelope').notNull(),
    headers: jsonb('headers').$type<Record<string, string | number>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [
    index('messaging_outbox_pending_idx')
      .on(table.id)
      .where(sql`${table.publishedAt} IS NULL`),
  ],
);
