import { eq } from 'drizzle-orm';
import { createEvent } from '../../libraries/events/catalog';
import type { ConsultationStatus } from '../../libraries/events/consultations';
import type { Executor } from '../../libraries/db/executor';
import { definedOnly } from '../../libraries/db/changes';
import { ConflictError, NotFoundError } from '../../libraries/common/domain-errors';
import { enqueueEvents } from '../../libraries/messaging/outbox';
import { toRecordSnapshot } from './model';
import { knownConsultations, records, type RecordRow } from './write-schema';
import { serviceRegistry } from '../../libraries/config/services';

export interface NewRecord {
  consultationId: string;
  diagnosis: string;
  notes?: string | null | undefined;
  prescriptions?: string[] | undefined;
}
export type RecordChanges = Partial<Pick<NewRecord, 'diagnosis' | 'notes' | 'prescriptions'>>;

/** A record together with its consultation's status as records knows it. */
export interface WrittenRecord {
  record: RecordRow;
  consultationStatus: ConsultationStatus | null;
}

export type CreateOutcome =
  ({ kind: 'created' } & WrittenRecord) | { kind: 'unknown-consultation' } | { kind: 'consultation-not-open'; status: ConsultationStatus };

export type UpdateOutcome = ({ kind: 'updated' } & WrittenRecord) | { kind: 'not-found' } | { kind: 'voided' };

/** A record belongs to a consultation that is about to happen or has happened. */
export const openConsultationStatuses: readonly ConsultationStatus[] = ['SCHEDULED', 'DONE'];

const sourceService = serviceRegistry.records.source;

async function emit(tx: Executor, type: 'ConsultationRecordCreated' | 'ConsultationRecordUpdated', row: RecordRow, correlationId: string) {
  await enqueueEvents(tx, [createEvent(type, toRecordSnapshot(row), { sourceService })], { correlationId });
}

/**
 * Writes a record for a consultation records knows as SCHEDULED or DONE and
 * emits ConsultationRecordCreated, in one transaction. The consultation row is
 * locked, so a cancellation being applied (saga-participant) and this
 * creation serialize: the new record is either voided by it or refused.
 */
export async function createRecord(db: Executor, input: NewRecord, correlationId: string): Promise<WrittenRecord> {
  return db.transaction(async (tx) => {
    const [consultation] = await tx.select().from(knownConsultations).where(eq(knownConsultations.id, input.consultationId)).for('update');
    if (!consultation) throw new NotFoundError('consultation', input.consultationId);
    if (!openConsultationStatuses.includes(consultation.status)) {
      throw new ConflictError(
        `consultation ${input.consultationId} is ${consultation.status}: records are written for SCHEDULED or DONE consultations only`,
        { consultationStatus: consultation.status },
      );
    }
    const now = new Date();
    const [row] = await tx
      .insert(records)
      .values({
        id: crypto.randomUUID(),
        consultationId: consultation.id,
        patientId: consultation.patientId,
        physicianId: consultation.physicianId,
        diagnosis: input.diagnosis,
        notes: input.notes ?? null,
        prescriptions: input.prescriptions ?? [],
        status: 'ACTIVE',
        version: 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await emit(tx, 'ConsultationRecordCreated', row!, correlationId);
    return { record: row!, consultationStatus: consultation.status };
  });
}

/** Amends an ACTIVE record and emits ConsultationRecordUpdated; a VOIDED record stays as it is. */
export async function updateRecord(db: Executor, id: string, changes: RecordChanges, correlationId: string): Promise<WrittenRecord> {
  return db.transaction(async (tx) => {
    // The row lock orders this against voiding, which updates the same row.
    const [current] = await tx.select().from(records).where(eq(records.id, id)).for('update');
    if (!current) throw new NotFoundError('record', id);
    if (current.status === 'VOIDED') throw new ConflictError(`record ${id} is VOIDED and can no longer be changed`, { status: 'VOIDED' });
    const [row] = await tx
      .update(records)
      .set({ ...definedOnly(changes), version: current.version + 1, updatedAt: new Date() })
      .where(eq(records.id, id))
      .returning();
    await emit(tx, 'ConsultationRecordUpdated', row!, correlationId);
    const [consultation] = await tx
      .select({ status: knownConsultations.status })
      .from(knownConsultations)
      .where(eq(knownConsultations.id, row!.consultationId));
    return { record: row!, consultationStatus: consultation?.status ?? null };
  });
}
