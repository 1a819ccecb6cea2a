import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '../runtime/instance';
import { patientProjection } from './projection';
import { patientRoutes } from './routes';
import { patientSagaParticipant } from './saga-participant';

const migrations = (set: 'write' | 'read') => ({
  folder: fileURLToPath(new URL(`./migrations/${set}`, import.meta.url)),
  table: `__patients_${set}_migrations`,
});

/** Patients: registration and details; validates patients for saga 1. */
export const patientsService: ServiceDefinition = {
  service: 'patient-service',
  name: 'patients',
  title: 'HAP patients',
  description: 'Patient commands and queries. Emits PatientRegistered, PatientUpdated, PatientDeactivated; answers saga 1 validation.',
  migrations: { write: migrations('write'), read: migrations('read') },
  sagaHandler: () => patientSagaParticipant,
  projection: () => patientProjection,
  routes: patientRoutes,
};
