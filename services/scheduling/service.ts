import type { TemporalClient } from '../../libraries/runtime/temporal-client';
import { serviceMigrations } from '../../libraries/runtime/migration-sets';
import type { ServiceDefinition } from '../../libraries/runtime/service-instance';
import { cancellationReconcilerJob } from './cancellation-reconciler';
import { databaseRole } from '../../libraries/db/database';
import { consultationMigrations, grantConsultationAccess } from './consultations';
import { schedulingProjection } from './projection';
import { consultationRoutes } from './routes';
import { sagaClient } from './saga-client';

/**
 * Scheduling: consultation commands start sagas through Temporal; queries
 * read the instance's own read model. It owns its write database (the saga
 * worker's activities use it, without migrating it). Its saga queue belongs
 * to the bridge, so it has no saga participant of its own.
 */
export function schedulingService(temporal: TemporalClient, taskQueue: string): ServiceDefinition {
  const sagas = sagaClient(temporal.client, taskQueue);
  return {
    name: 'scheduling',
    title: 'HAP scheduling',
    description: 'Consultations: booking and cancelling run as Temporal sagas; reads come from this instance read model.',
    migrations: { write: consultationMigrations, read: serviceMigrations(import.meta.url, 'scheduling').read },
    projection: () => schedulingProjection,
    routes: (context) => consultationRoutes(sagas, context),
    checks: [{ name: 'temporal', check: temporal.check }],
    // The saga worker logs in as a role of its own, which may use the consultation table only.
    prepare: async ({ databases, config }) => grantConsultationAccess(databases.write.db, databaseRole(config.DB_PREFIX, 'worker')),
    // A cancellation whose saga could not be started after its mark committed (Temporal away) is started later.
    jobs: ({ databases, logger }) => [cancellationReconcilerJob({ db: databases.write.db, sagas, logger })],
  };
}
