import type { TemporalClient } from '../../clients/temporal';
import type { ServiceDefinition } from '../runtime/instance';
import { cancellationReconcilerJob } from './cancellation-reconciler';
import { schedulingMigrations } from './migrations';
import { schedulingProjection } from './projection';
import { schedulingRoutes } from './routes';
import { sagaGateway } from './sagas';

/**
 * Scheduling: consultation commands start sagas through Temporal; queries
 * read the instance's own read model. Its saga queue belongs to the bridge,
 * so it has no saga participant of its own.
 */
export function schedulingService(temporal: TemporalClient, taskQueue: string): ServiceDefinition {
  const sagas = sagaGateway(temporal.client, taskQueue);
  return {
    service: 'scheduling-service',
    name: 'scheduling',
    title: 'HAP scheduling',
    description: 'Consultations: booking and cancelling run as Temporal sagas; reads come from this instance read model.',
    migrations: schedulingMigrations,
    projection: () => schedulingProjection,
    routes: schedulingRoutes(sagas),
    checks: [{ name: 'temporal', check: temporal.check }],
    // A cancellation whose saga could not be started after its mark committed (Temporal away) is started later.
    jobs: ({ databases, logger }) => [cancellationReconcilerJob({ db: databases.write.db, sagas, logger })],
  };
}
