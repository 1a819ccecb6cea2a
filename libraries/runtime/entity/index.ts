/**
 * The entity kit: what patients and physicians have in common, so that an
 * entity service declares its fields and the kit does the rest. An entity is
 * registered ACTIVE, changed, and deactivated for good, each command in one
 * transaction with its event; every instance keeps a read view of it from
 * those events and answers queries from that view.
 */
export { entityColumns, type EntityStatuses, type EntityTable } from './columns';
export { defineEntity, type EntityDefinition, type EntityEvents } from './definition';
export { entityCommands, type EntityChanges, type EntityCommands, type NewEntity } from './commands';
export { entityProjection } from './projection';
export { entityQueries, type EntityQueries, type EntityQueryOptions } from './queries';
export { entityApi, type EntitySchemas } from './api';
export { entityRoutes } from './routes';
