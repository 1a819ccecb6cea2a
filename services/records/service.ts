import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '../runtime/instance';
import { recordsProjection } from './projection';
import { recordRoutes } from './routes';
import { recordsSagaParticipant } from './saga-participant';

const migrations = (set: 'write' | 'read') => ({
  folder: fileURLToPath(new URL(`./migrations/${set}`, import.meta.url)),
  table: `__records_${set}_migrations`,
});

/** Clinical records: records of consultations; voids a consultation's records for saga 2. */
export const recordsService: ServiceDefinition = {
  service: 'clinical-records',
  name: 'records',
  title: 'HAP clinical records',
  description:
    'Clinical record commands and queries. Emits ConsultationRecordCreated, ConsultationRecordUpdated; answers saga 2 with ConsultationRecordsVoided.',
  migrations: { write: migrations('write'), read: migrations('read') },
  sagaHandler: () => recordsSagaParticipant,
  projection: () => recordsProjection,
  routes: recordRoutes,
};
