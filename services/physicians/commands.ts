import { eq } from 'drizzle-orm';
import { createEvent, type EventType } from '../../events/catalog';
import type { Executor } from '../../messaging/executor';
import { definedOnly } from '../../db/changes';
import { enqueueEvents } from '../../messaging/outbox';
import { toPhysicianSnapshot } from './model';
import { physicians, type PhysicianRow } from './write-schema';

export interface NewPhysician {
  name: string;
  specialty: string;
  licenseNumber?: string | null | undefined;
}
export type PhysicianChanges = Partial<NewPhysician>;

const sourceService = 'physician-service';

async function emit(
  tx: Executor,
  type: Extract<EventType, `Physician${'Registered' | 'Updated' | 'Deactivated'}`>,
  row: PhysicianRow,
  correlationId: string,
) {
  await enqueueEvents(tx, [createEvent(type, toPhysicianSnapshot(row), { sourceService })], { correlationId });
}

/** Registers a physician and emits PhysicianRegistered, in one transaction. */
export async function registerPhysician(db: Executor, input: NewPhysician, correlationId: string): Promise<PhysicianRow> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .insert(physicians)
      .values({
        id: crypto.randomUUID(),
        name: input.name,
        specialty: input.specialty,
        licenseNumber: input.licenseNumber ?? null,
        status: 'ACTIVE',
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await emit(tx, 'PhysicianRegistered', row!, correlationId);
    return row!;
  });
}

/** Applies the changes and emits PhysicianUpdated; undefined when the physician does not exist. */
export async function updatePhysician(
  db: Executor,
  id: string,
  changes: PhysicianChanges,
  correlationId: string,
): Promise<PhysicianRow | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(physicians).where(eq(physicians.id, id)).for('update');
    if (!current) return undefined;
    const [row] = await tx
      .update(physicians)
      .set({ ...definedOnly(changes), version: current.version + 1, updatedAt: new Date() })
      .where(eq(physicians.id, id))
      .returning();
    await emit(tx, 'PhysicianUpdated', row!, correlationId);
    return row;
  });
}

/**
 * Deactivates the physician and emits PhysicianDeactivated; repeating it
 * changes nothing and emits nothing. Slots already held stay held: the sagas
 * that own them decide their fate.
 */
export async function deactivatePhysician(db: Executor, id: string, correlationId: string): Promise<PhysicianRow | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(physicians).where(eq(physicians.id, id)).for('update');
    if (!current || current.status === 'INACTIVE') return current;
    const [row] = await tx
      .update(physicians)
      .set({ status: 'INACTIVE', version: current.version + 1, updatedAt: new Date() })
      .where(eq(physicians.id, id))
      .returning();
    await emit(tx, 'PhysicianDeactivated', row!, correlationId);
    return row;
  });
}
