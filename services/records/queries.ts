import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/pool';
import { recordView } from './read-schema';

export async function findRecord(db: Database, id: string) {
  const [row] = await db.select().from(recordView).where(eq(recordView.id, id));
  return row;
}

export async function listRecords(db: Database, filter: { consultationId?: string | undefined }) {
  const conditions: SQL[] = [];
  if (filter.consultationId) conditions.push(eq(recordView.consultationId, filter.consultationId));
  return db
    .select()
    .from(recordView)
    .where(and(...conditions))
    .orderBy(asc(recordView.createdAt), asc(recordView.id))
    .limit(500);
}
