import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { consultationStatuses } from '../../libraries/events/consultations';
import { recordColumns, recordVersionColumns } from './columns';

/**
 * What records knows of each consultation, learned only from consultation
 * events on its saga queue: enough to decide whether a record may be written
 * and whose it is. Kept at the newest version seen.
 */
export const knownConsultations = pgTable('consultations', {
  id: uuid('id').primaryKey(),
  patientId: uuid('patient_id').notNull(),
  physicianId: uuid('physician_id').notNull(),
  status: text('status', { enum: consultationStatuses }).notNull(),
  version: integer('version').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});
export type KnownConsultationRow = typeof knownConsultations.$inferSelect;

/** The clinical records write model: the truth, shared by every instance of the service. */
export const records = pgTable(
  'records',
  {
    ...recordColumns,
    ...recordVersionColumns,
  },
  (table) => [index('records_consultation_id_idx').on(table.consultationId)],
);
export type RecordRow = typeof records.$inferSelect;
