import { matchesText } from '../../db/like';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/pool';
import { physicianView } from './read-schema';
import { physicians, physicianSlots, takenStatuses, type TakenSlot } from './write-schema';

/** Read model (this instance's read database). */
export async function findPhysician(db: Database, id: string) {
  const [row] = await db.select().from(physicianView).where(eq(physicianView.id, id));
  return row;
}

export interface PhysicianFilter {
  name?: string | undefined;
  specialty?: string | undefined;
  status?: 'ACTIVE' | 'INACTIVE' | undefined;
}

/** Read model: `name` matches a case-insensitive part, `specialty` the whole specialty in any case. */
export async function listPhysicians(db: Database, filter: PhysicianFilter) {
  const conditions: SQL[] = [];
  if (filter.name) conditions.push(matchesText(physicianView.name, filter.name));
  if (filter.specialty) conditions.push(matchesText(physicianView.specialty, filter.specialty, { contains: false }));
  if (filter.status) conditions.push(eq(physicianView.status, filter.status));
  return db
    .select()
    .from(physicianView)
    .where(and(...conditions))
    .orderBy(asc(physicianView.name), asc(physicianView.id))
    .limit(500);
}

/**
 * The physician's taken time, read from the WRITE database: slots change only
 * through saga events on `physician-service.saga`, and no event projects them
 * into the instance queue (its `physician.*` binding hears entity events
 * only), so there is no read model to read them from. Undefined when the
 * physician does not exist.
 */
export async function findTakenSlots(db: Database, physicianId: string) {
  const [physician] = await db.select({ id: physicians.id }).from(physicians).where(eq(physicians.id, physicianId));
  if (!physician) return undefined;
  const rows = await db
    .select()
    .from(physicianSlots)
    .where(and(eq(physicianSlots.physicianId, physicianId), inArray(physicianSlots.status, [...takenStatuses])))
    .orderBy(asc(physicianSlots.startsAt), asc(physicianSlots.consultationId));
  return rows as TakenSlot[]; // the WHERE clause admits taken statuses only
}
