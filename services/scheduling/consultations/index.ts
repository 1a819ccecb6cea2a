/**
 * Scheduling's consultation write model: its table and migrations, the one
 * table of transitions and the error for a forbidden one, and the operations
 * on it. Scheduling owns the database and runs its migrations; the saga
 * worker's activities use the same operations through services/scheduling.
 */
import { migrationSet } from '../../../libraries/runtime/migration-sets';

export const consultationMigrations = migrationSet(new URL('./migrations', import.meta.url), '__scheduling_write_migrations');

export { cancellationUnderWayIn, InvalidTransitionError } from './lifecycle';
export type { ConsultationRow } from './schema';
export { toConsultationSnapshot } from './snapshot';
export {
  changeReason,
  checkConsultationStore,
  consultationsInStatus,
  createPending,
  findConsultation,
  grantConsultationAccess,
  getConsultation,
  transition,
  type NewConsultation,
  type StatusCursor,
} from './store';
