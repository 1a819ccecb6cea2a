import type { ServiceDefinition } from '../../libraries/runtime/service-instance';
import { serviceMigrations } from '../../libraries/runtime/migration-sets';
import { patientProjection } from './projection';
import { patientRoutes } from './routes';
import { patientSagaParticipant } from './saga-participant';

/** Patients: registration and details; validates patients for saga 1. */
export const patientsService: ServiceDefinition = {
  name: 'patients',
  title: 'HAP patients',
  description: 'Patient commands and queries. Emits PatientRegistered, PatientUpdated, PatientDeactivated; answers saga 1 validation.',
  migrations: serviceMigrations(import.meta.url, 'patients'),
  sagaHandler: () => patientSagaParticipant,
  projection: () => patientProjection,
  routes: patientRoutes,
};
