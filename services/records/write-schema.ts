import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { consultationStatuses } from '../../events/consultations';
import { recordStatuses } from '../../events/records';

/**
 * What records knows of each consultation, learned only from consultation
 * events on its saga queue: enough to decide whether a record may be written
 * and whose it is. Kept at the newest version seen.
 */
export const consultations = pgTable('consultations', {
  id: uuid('id').primaryKey(),
  patientId: uuid('patient_id').notNull(),
  physicianId: uuid('physician_id').notNull(),
  status: text('status', { enum: consultationStatuses }).notNull(),
  version: integer('version').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});
export type ConsultationRow = typeof consultations.$inferSelect;

/** The clinical records write model: the truth, shared by every instance of the service. */
export const records = pgTable(
  'records',
  {
    id: uuid('id').primaryKey(),
    consultationId: uuid('consultation_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    physicianId: uuid('physician_id').notNull(),
    diagnosis: text('diagnosis').notNull(),
    notes: text('notes'),
    prescriptions: jsonb('prescriptions').$type<string[]>().notNull().default([]),
    status: text('status', { enum: recordStatuses }).notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('records_consultation_id_idx').on(table.consultationId)],
);
export type RecordRow = typeof records.$inferSelect;
