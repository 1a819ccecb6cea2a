import { upsertIfNewer } from '../../db/upsert';
import type { TransactionalHandler } from '../../messaging/inbox';
import type { Database } from '../../db/pool';
import { physicianView } from './read-schema';

/** Keeps this instance's physician_view current from physician events; older snapshots are ignored. */
export const physicianProjection: TransactionalHandler<Database> = async (event, tx) => {
  switch (event.eventType) {
    case 'PhysicianRegistered':
    case 'PhysicianUpdated':
    case 'PhysicianDeactivated': {
      const { physicianId, createdAt, updatedAt, ...rest } = event.payload;
      await upsertIfNewer(
        tx,
        physicianView,
        { id: physicianId, ...rest, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) },
        { id: physicianView.id, version: physicianView.version },
      );
      return;
    }
    default:
      return; // the queue hears physician.* only; anything else is not ours to project
  }
};
