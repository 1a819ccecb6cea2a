import { index, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { consultationColumns } from '../consultation-columns';

/** The consultation write model: changed by the saga activities and by scheduling's own commands. */
export const consultations = pgTable(
  'consultations',
  {
    ...consultationColumns,
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
