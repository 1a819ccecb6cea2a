import { and, asc, eq, type SQL } from 'drizzle-orm';
import { ownersOf, type Owners } from '../../auth/guard';
import type { Database } from '../../db/pool';
import { recordView } from './read-schema';

export async function findRecord(db: Database, id: string) {
  const [row] = await db.select().from(recordView).where(eq(recordView.id, id));
  return row;
}

export interface RecordFilter {
  consultationId?: string | undefined;
  patientId?: string | undefined;
  physicianId?: string | undefined;
}

export async function listRecords(db: Database, filter: RecordFilter) {
  const conditions: SQL[] = [];
  if (filter.consultationId) conditions.push(eq(recordView.consultationId, filter.consultationId));
  if (filter.patientId) conditions.push(eq(recordView.patientId, filter.patientId));
  if (filter.physicianId) conditions.push(eq(recordView.physicianId, filter.physicianId));
  return db
    .select()
    .from(recordView)
    .where(and(...conditions))
    .orderBy(asc(recordView.createdAt), asc(recordView.id))
    .limit(500);
}

/** A record, as this instance sees it, is its patient's and its physician's. */
export const recordOwners = async (db: Database, id: string): Promise<Owners | undefined> => ownersOf(await findRecord(db, id));
