import { index, pgTable } from 'drizzle-orm/pg-core';
import { patientStatuses } from '../../events/patients';
import { entityColumns } from '../../runtime/entity';
import { patientColumns } from './columns';

/** One instance's view of patients, fed only by patient events from its own queue. */
export const patientView = pgTable('patient_view', entityColumns(patientStatuses, patientColumns), (table) => [
  index('patient_view_status_idx').on(table.status),
]);
