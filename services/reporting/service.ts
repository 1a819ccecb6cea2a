import type { ServiceDefinition } from '../../libraries/runtime/service-instance';
import { serviceMigrations } from '../../libraries/runtime/migration-sets';
import { reportingProjection } from './projection';
import { reportRoutes } from './routes';

/**
 * Reporting: counts and rates for staff over consultation, physician and
 * record events, each instance from its own read model. It writes nothing of
 * its own: its write database holds only the kit's tables.
 */
export const reportingService: ServiceDefinition = {
  name: 'reporting',
  title: 'HAP reporting',
  description:
    'Aggregates over a time range (consultations by status, rates, reasons and time to SCHEDULED; record changes). No names, no clinical text.',
  migrations: { read: serviceMigrations(import.meta.url, 'reporting').read },
  projection: () => reportingProjection,
  routes: reportRoutes,
};
