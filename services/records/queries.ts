import { versionOf } from '../../libraries/db/version-of';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { ownersOf, type Owners } from '../../libraries/auth/guard';
import type { Database } from '../../libraries/db/pool';
import { consultationStatusView, recordView } from './read-schema';
import { knownConsultations, records } from './write-schema';
import { reaches, type ConsistencyToken } from '../../libraries/http/consistency';

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

/** Whether records' write model knows the consultation at the token's version or later (what POST /records checks against). */
export async function knowsConsultation(db: Database, token: ConsistencyToken): Promise<boolean> {
  return reaches(await versionOf(db, { key: knownConsultations.id, version: knownConsultations.version }, token.id), token);
}

/**
 * Whether this instance's read model shows the token's consultation (its
 * status) or record at that version or later. The read model hears a
 * consultation from SCHEDULED on, since no record exists before: a token of a
 * consultation's first version (PENDING, from its booking) is met as soon as
 * its id is not a record's, which the write model tells.
 */
export async function showsVersion(read: Database, write: Database, token: ConsistencyToken): Promise<boolean> {
  const [consultation] = await read
    .select({ version: consultationStatusView.version })
    .from(consultationStatusView)
    .where(eq(consultationStatusView.consultationId, token.id));
  const [record] = consultation
    ? []
    : await read.select({ version: recordView.version }).from(recordView).where(eq(recordView.id, token.id));
  const seen = consultation?.version ?? record?.version;
  if (seen !== undefined || token.version > 1) return reaches(seen, token);
  const [written] = await write.select({ id: records.id }).from(records).where(eq(records.id, token.id));
  return written === undefined;
}
