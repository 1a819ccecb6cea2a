import { matchesText } from '../../db/like';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/pool';
import { patientView } from './read-schema';

export async function findPatient(db: Database, id: string) {
  const [row] = await db.select().from(patientView).where(eq(patientView.id, id));
  return row;
}

export async function listPatients(db: Database, filter: { name?: string | undefined; status?: 'ACTIVE' | 'INACTIVE' | undefined }) {
  const conditions: SQL[] = [];
  if (filter.name) conditions.push(matchesText(patientView.name, filter.name));
  if (filter.status) conditions.push(eq(patientView.status, filter.status));
  return db
    .select()
    .from(patientView)
    .where(and(...conditions))
    .orderBy(asc(patientView.name), asc(patientView.id))
    .limit(500);
}
