import { index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { patientStatuses } from '../../libraries/events/patients';
import { entityColumns } from '../../libraries/runtime/entity';
import { patientColumns } from './columns';

/** One instance's view of patients, fed only by patient events from its own queue. */
export const patientView = pgTable('patient_view', entityColumns(patientStatuses, patientColumns), (table) => [
  index('patient_view_status_idx').on(table.status),
]);

/**
 * Which physicians each patient has had a consultation with, as this instance
 * heard it (ConsultationScheduled): whose details a physician may read.
 */
export const careRelations = pgTable(
  'care_relations',
  {
    patientId: uuid('patient_id').notNull(),
    physicianId: uuid('physician_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.patientId, table.physicianId] })],
);
