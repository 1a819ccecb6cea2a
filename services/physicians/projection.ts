import { entityProjection } from '../../runtime/entity';
import { physicianEntity } from './entity';

/** Keeps this instance's physician_view current from physician events; older snapshots are ignored. */
export const physicianProjection = entityProjection(physicianEntity);
