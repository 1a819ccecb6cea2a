import { integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { recordStatuses } from '../../libraries/events/records';

/** A record's own columns, the same in the write model and in every instance's view. */
export const recordColumns = {
  id: uuid('id').primaryKey(),
  consultationId: uuid('consultation_id').notNull(),
  patientId: uuid('patient_id').notNull(),
  physicianId: uuid('physician_id').notNull(),
  diagnosis: text('diagnosis').notNull(),
  notes: text('notes'),
  prescriptions: jsonb('prescriptions').$type<string[]>().notNull().default([]),
  status: text('status', { enum: recordStatuses }).notNull(),
};

/** The snapshot's version and times, after whatever a table adds to the record. */
export const recordVersionColumns = {
  version: integer('version').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
};
