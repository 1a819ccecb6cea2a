import { eq } from 'drizzle-orm';
import { createEvent, type EventType } from '../../events/catalog';
import type { Executor } from '../../messaging/executor';
import { definedOnly } from '../../db/changes';
import { enqueueEvents } from '../../messaging/outbox';
import { toPatientSnapshot } from './model';
import { patients, type PatientRow } from './write-schema';

export interface NewPatient {
  name: string;
  email: string;
  birthDate?: string | null | undefined;
  phone?: string | null | undefined;
}
export type PatientChanges = Partial<NewPatient>;

const sourceService = 'patient-service';

async function emit(
  tx: Executor,
  type: Extract<EventType, `Patient${'Registered' | 'Updated' | 'Deactivated'}`>,
  row: PatientRow,
  correlationId: string,
) {
  await enqueueEvents(tx, [createEvent(type, toPatientSnapshot(row), { sourceService })], { correlationId });
}

/** Registers a patient and emits PatientRegistered, in one transaction. */
export async function registerPatient(db: Executor, input: NewPatient, correlationId: string): Promise<PatientRow> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .insert(patients)
      .values({
        id: crypto.randomUUID(),
        name: input.name,
        email: input.email,
        birthDate: input.birthDate ?? null,
        phone: input.phone ?? null,
        status: 'ACTIVE',
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await emit(tx, 'PatientRegistered', row!, correlationId);
    return row!;
  });
}

/** Applies the changes and emits PatientUpdated; undefined when the patient does not exist. */
export async function updatePatient(
  db: Executor,
  id: string,
  changes: PatientChanges,
  correlationId: string,
): Promise<PatientRow | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(patients).where(eq(patients.id, id)).for('update');
    if (!current) return undefined;
    const [row] = await tx
      .update(patients)
      .set({ ...definedOnly(changes), version: current.version + 1, updatedAt: new Date() })
      .where(eq(patients.id, id))
      .returning();
    await emit(tx, 'PatientUpdated', row!, correlationId);
    return row;
  });
}

/** Deactivates the patient and emits PatientDeactivated; repeating it changes nothing and emits nothing. */
export async function deactivatePatient(db: Executor, id: string, correlationId: string): Promise<PatientRow | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(patients).where(eq(patients.id, id)).for('update');
    if (!current || current.status === 'INACTIVE') return current;
    const [row] = await tx
      .update(patients)
      .set({ status: 'INACTIVE', version: current.version + 1, updatedAt: new Date() })
      .where(eq(patients.id, id))
      .returning();
    await emit(tx, 'PatientDeactivated', row!, correlationId);
    return row;
  });
}
