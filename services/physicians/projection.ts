import type { Database } from '../../libraries/db/pool';
import type { Projection } from '../../libraries/messaging/inbox';
import { entityProjection } from '../../libraries/runtime/entity';
import { physicianEntity } from './entity';

/** Keeps this instance's physician_view current from physician events; older snapshots are ignored. */
export const physicianProjection: Projection<Database> = { statement: entityProjection(physicianEntity) };
