import { entityRoutes } from '../../libraries/runtime/entity';
import type { InstanceContext } from '../../libraries/runtime/service-instance';
import { patientApi } from './api';
import { patientEntity } from './entity';
import { patientOwners, patientQueries } from './queries';

/** /patients: commands write the shared write database; queries read this instance's read model only. */
export const patientRoutes = (context: InstanceContext) => entityRoutes(patientEntity, patientApi, patientQueries, context, patientOwners);

/** The patients HTTP API, for typed clients (`hc<PatientsApp>(url)`). */
export type PatientsApp = ReturnType<typeof patientRoutes>;
