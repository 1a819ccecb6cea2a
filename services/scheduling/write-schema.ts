import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { consultationStatuses, consultationStatusReasons } from '../../events/consultations';

/** The consultation write model: changed by the saga activities and by scheduling's own commands. */
export const consultations = pgTable(
  'consultations',
  {
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
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('consultations_patient_idx').on(table.patientId),
    index('consultations_physician_idx').on(table.physicianId),
    // The cancellation reconciler pages through one status by age.
    index('consultations_status_updated_idx').on(table.status, table.updatedAt, table.id),
  ],
);
export type ConsultationRow = typeof consultations.$inferSelect;
