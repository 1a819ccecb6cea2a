import { index, pgTable } from 'drizzle-orm/pg-core';
import { physicianStatuses } from '../../libraries/events/physicians';
import { entityColumns } from '../../libraries/runtime/entity';
import { physicianColumns } from './columns';

/** One instance's view of physicians, fed only by physician events from its own queue. */
export const physicianView = pgTable('physician_view', entityColumns(physicianStatuses, physicianColumns), (table) => [
  index('physician_view_status_idx').on(table.status),
  index('physician_view_specialty_idx').on(table.specialty),
]);
