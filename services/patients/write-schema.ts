import { pgTable } from 'drizzle-orm/pg-core';
import { patientStatuses } from '../../libraries/events/patients';
import { entityColumns } from '../../libraries/runtime/entity';
import { patientColumns } from './columns';

/** The patients write model: the truth, shared by every instance of the service. */
export const patients = pgTable('patients', entityColumns(patientStatuses, patientColumns));
export type PatientRow = typeof patients.$inferSelect;
