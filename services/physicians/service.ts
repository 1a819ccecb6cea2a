import type { ServiceDefinition } from '../../libraries/runtime/service-instance';
import { serviceMigrations } from '../../libraries/runtime/migration-sets';
import { physicianProjection } from './projection';
import { physicianRoutes } from './routes';
import { physicianSagaParticipant } from './saga-participant';
import { slotExpiryJob } from './slot-expiry';

/** Physicians: registration and details; holds, confirms and releases physicians' time for saga 1 and 2. */
export const physiciansService: ServiceDefinition = {
  name: 'physicians',
  title: 'HAP physicians',
  description:
    'Physician commands and queries. Emits PhysicianRegistered, PhysicianUpdated, PhysicianDeactivated; ' +
    'answers saga 1 availability (holding the slot) and confirms or releases slots as consultations are scheduled or cancelled.',
  migrations: serviceMigrations(import.meta.url, 'physicians'),
  sagaHandler: () => physicianSagaParticipant,
  projection: () => physicianProjection,
  routes: physicianRoutes,
  jobs: ({ config, databases, logger }) => [
    slotExpiryJob(databases.write.db, { holdTimeoutMs: config.SLOT_HOLD_TIMEOUT_MS, intervalMs: config.SLOT_EXPIRY_INTERVAL_MS, logger }),
  ],
};
