import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { consultationStatuses } from '../../libraries/events/consultations';
import { recordColumns, recordVersionColumns } from './columns';

/**
 * One instance's view of clinical records with their consultation's status,
 * fed only by record and consultation events from its own queue. `version` is
 * that of the last record snapshot applied (voiding carries none).
 */
export const recordView = pgTable(
  'record_view',
  {
    ...recordColumns,
    /** Null until this instance has seen an event of the consultation. */
    consultationStatus: text('consultation_status', { enum: consultationStatuses }),
    ...recordVersionColumns,
  },
  (table) => [index('record_view_consultation_id_idx').on(table.consultationId)],
);

/** The newest consultation status this instance has seen, so that a record projected later still shows it. */
export const consultationStatusView = pgTable('consultation_status_view', {
  consultationId: uuid('consultation_id').primaryKey(),
  status: text('status', { enum: consultationStatuses }).notNull(),
  version: integer('version').notNull(),
});

/**
 * Records this instance has seen voided. Voiding is final, and the events of
 * one queue are applied concurrently: a record snapshot projected after the
 * voiding (or a voiding seen before the record) must still end VOIDED.
 */
export const voidedRecords = pgTable('voided_records', {
  recordId: uuid('record_id').primaryKey(),
  consultationId: uuid('consultation_id').notNull(),
  voidedAt: timestamp('voided_at', { withTimezone: true, mode: 'date' }).notNull(),
});
