import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { consultationColumns } from './consultation-columns';

/**
 * One instance's view of consultations, denormalised with the names it learns
 * from patient and physician events: a renamed patient shows renamed everywhere.
 */
export const consultationView = pgTable(
  'consultation_view',
  {
    ...consultationColumns,
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('consultation_view_patient_idx').on(table.patientId),
    index('consultation_view_physician_idx').on(table.physicianId),
    index('consultation_view_status_idx').on(table.status),
  ],
);

/** Patient names as this instance last heard them. */
export const patientNames = pgTable('patient_names', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  version: integer('version').notNull(),
});

/** Physician names and specialties as this instance last heard them. */
export const physicianNames = pgTable('physician_names', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  specialty: text('specialty').notNull(),
  version: integer('version').notNull(),
});
