import type { ServiceDefinition } from '../../libraries/runtime/service-instance';
import { serviceMigrations } from '../../libraries/runtime/migration-sets';
import { recordsProjection } from './projection';
import { recordRoutes } from './routes';
import { recordsSagaParticipant } from './saga-participant';

/** Clinical records: records of consultations; voids a consultation's records for saga 2. */
export const recordsService: ServiceDefinition = {
  name: 'records',
  title: 'HAP clinical records',
  description:
    'Clinical record commands and queries. Emits ConsultationRecordCreated, ConsultationRecordUpdated; answers saga 2 with ConsultationRecordsVoided.',
  migrations: serviceMigrations(import.meta.url, 'records'),
  sagaHandler: () => recordsSagaParticipant,
  projection: () => recordsProjection,
  routes: recordRoutes,
};
