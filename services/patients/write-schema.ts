import { pgTable } from 'drizzle-orm/pg-core';
import { patientStatuses } from '../../events/patients';
import { entityColumns } from '../../runtime/entity';
import { patientColumns } from './columns';

/** The patients write model: the truth, shared by every instance of the service. */
export const patients = pgTable('patients', entityColumns(patientStatuses, patientColumns));
export type PatientRow = typeof patients.$inferSelect;
