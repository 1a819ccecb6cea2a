import { and, asc, eq, inArray } from 'drizzle-orm';
import { matchesText } from '../../libraries/db/like';
import type { Database } from '../../libraries/db/pool';
import { NotFoundError } from '../../libraries/common/domain-errors';
import { entityQueries } from '../../libraries/runtime/entity';
import { physicianEntity } from './entity';
import { physicianView } from './read-schema';
import { physicians, physicianSlots, takenStatuses, type TakenSlot } from './write-schema';

interface PhysicianFilter {
  name?: string | undefined;
  specialty?: string | undefined;
}

/** Read model (this instance's read database): `name` matches a case-insensitive part, `specialty` the whole specialty in any case. */
export const physicianQueries = entityQueries(physicianEntity, {
  sortBy: physicianView.name,
  matching: ({ name, specialty }: PhysicianFilter) => [
    name ? matchesText(physicianView.name, name) : undefined,
    specialty ? matchesText(physicianView.specialty, specialty, { contains: false }) : undefined,
  ],
});

/**
 * The physician's taken time, read from the WRITE database: slots change only
 * through saga events on `physician-service.saga`, and no event projects them
 * into the instance queue (its `physician.*` binding hears entity events
 * only), so there is no read model to read them from. NotFoundError when the
 * physician does not exist.
 */
export async function findTakenSlots(db: Database, physicianId: string): Promise<TakenSlot[]> {
  const [physician] = await db.select({ id: physicians.id }).from(physicians).where(eq(physicians.id, physicianId));
  if (!physician) throw new NotFoundError('physician', physicianId);
  const rows = await db
    .select()
    .from(physicianSlots)
    .where(and(eq(physicianSlots.physicianId, physicianId), inArray(physicianSlots.status, [...takenStatuses])))
    .orderBy(asc(physicianSlots.startsAt), asc(physicianSlots.consultationId));
  return rows as TakenSlot[]; // the WHERE clause admits taken statuses only
}
