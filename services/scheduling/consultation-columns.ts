import { integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { consultationStatuses, consultationStatusReasons } from '../../libraries/events/consultations';

/** A consultation's columns, the same in the write model and in every instance's view. */
export const consultationColumns = {
  id: uuid('id').primaryKey(),
  patientId: uuid('patient_id').notNull(),
  physicianId: uuid('physician_id').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  reason: text('reason'),
  status: text('status', { enum: consultationStatuses }).notNull(),
  statusReason: text('status_reason', { enum: consultationStatusReasons }),
  version: integer('version').notNull(),
};
