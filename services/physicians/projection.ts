import type { Database } from '../../db/pool';
import type { Projection } from '../../messaging/inbox';
import { entityProjection } from '../../runtime/entity';
import { physicianEntity } from './entity';

/** Keeps this instance's physician_view current from physician events; older snapshots are ignored. */
export const physicianProjection: Projection<Database> = { statement: entityProjection(physicianEntity) };
