import { serviceRegistry } from '../../libraries/config/services';
import { physicianStatuses } from '../../libraries/events/physicians';
import { defineEntity } from '../../libraries/runtime/entity';
import { physicianView } from './read-schema';
import { physicians } from './write-schema';

/**
 * The physician as the entity kit sees it: its tables, its events and its
 * name. Deactivating a physician leaves the slots it holds held: the sagas
 * that own them decide their fate.
 */
export const physicianEntity = defineEntity({
  names: { one: 'physician', many: 'physicians' },
  sourceService: serviceRegistry.physicians.source,
  statuses: physicianStatuses,
  table: physicians,
  view: physicianView,
  events: { registered: 'PhysicianRegistered', updated: 'PhysicianUpdated', deactivated: 'PhysicianDeactivated' },
  snapshotId: 'physicianId',
});
