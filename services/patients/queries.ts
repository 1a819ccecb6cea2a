import { eq } from 'drizzle-orm';
import type { Owners } from '../../libraries/auth/guard';
import type { Database } from '../../libraries/db/pool';
import { matchesText } from '../../libraries/db/like';
import { entityQueries } from '../../libraries/runtime/entity';
import { patientEntity } from './entity';
import { careRelations, patientView } from './read-schema';

/** This instance's read model: `name` matches a case-insensitive part of the name. */
export const patientQueries = entityQueries(patientEntity, {
  sortBy: patientView.name,
  matching: ({ name }: { name?: string | undefined }) => [name ? matchesText(patientView.name, name) : undefined],
});

/** A patient is their own, and their physicians' (those with a consultation with them, as this instance heard it). */
export async function patientOwners(db: Database, patientId: string): Promise<Owners> {
  const physicians = await db.select({ id: careRelations.physicianId }).from(careRelations).where(eq(careRelations.patientId, patientId));
  return { patient: [patientId], physician: physicians.map(({ id }) => id) };
}
