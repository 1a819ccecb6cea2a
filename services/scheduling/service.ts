import type { TemporalClient } from '../../clients/temporal';
import type { ServiceDefinition } from '../runtime/instance';
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
  return {
    service: 'scheduling-service',
    name: 'scheduling',
    title: 'HAP scheduling',
    description: 'Consultations: booking and cancelling run as Temporal sagas; reads come from this instance read model.',
    migrations: schedulingMigrations,
    projection: () => schedulingProjection,
    routes: schedulingRoutes(sagaGateway(temporal.client, taskQueue)),
    checks: [{ name: 'temporal', check: temporal.check }],
  };
}
