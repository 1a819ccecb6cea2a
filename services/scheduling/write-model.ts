import { eq } from 'drizzle-orm';
import type { ConsultationSnapshot, ConsultationStatus, ConsultationStatusReason } from '../../events/consultations';
import type { Executor } from '../../messaging/executor';
import { consultations, type ConsultationRow } from './write-schema';

export interface NewConsultation {
  consultationId: string;
  patientId: string;
  physicianId: string;
  startsAt: string;
  durationMinutes: number;
  reason: string | null;
}

/** A change the consultation's current state does not allow (e.g. completing a PENDING one). */
export class InvalidTransitionError extends Error {
  constructor(
    readonly consultationId: string,
    readonly from: ConsultationStatus | 'MISSING',
    readonly to: ConsultationStatus,
  ) {
    super(`consultation ${consultationId} cannot go from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

/** PENDING → SCHEDULED | REJECTED; SCHEDULED → CANCELLATION_REQUESTED → CANCELLED; SCHEDULED → DONE. */
const allowedFrom: Record<ConsultationStatus, ConsultationStatus[]> = {
  PENDING: [],
  SCHEDULED: ['PENDING'],
  REJECTED: ['PENDING'],
  CANCELLATION_REQUESTED: ['SCHEDULED'],
  CANCELLED: ['CANCELLATION_REQUESTED'],
  DONE: ['SCHEDULED'],
};

/** Records a new consultation as PENDING; a repeated call returns the row the first one made. */
export async function createPending(db: Executor, input: NewConsultation): Promise<ConsultationRow> {
  const startsAt = new Date(input.startsAt);
  const now = new Date();
  await db
    .insert(consultations)
    .values({
      id: input.consultationId,
      patientId: input.patientId,
      physicianId: input.physicianId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000),
      durationMinutes: input.durationMinutes,
      reason: input.reason,
      status: 'PENDING',
      statusReason: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const [row] = await db.select().from(consultations).where(eq(consultations.id, input.consultationId));
  return row!;
}

/**
 * Moves a consultation to `to`. Idempotent: already there, it returns the row
 * unchanged, so a retried activity or request does no harm. Anything the state
 * machine does not allow is an InvalidTransitionError.
 */
export async function transition(
  db: Executor,
  consultationId: string,
  to: ConsultationStatus,
  statusReason: ConsultationStatusReason | null = null,
): Promise<{ row: ConsultationRow; changed: boolean }> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(consultations).where(eq(consultations.id, consultationId)).for('update');
    if (!current) throw new InvalidTransitionError(consultationId, 'MISSING', to);
    if (current.status === to) return { row: current, changed: false };
    if (!allowedFrom[to].includes(current.status)) throw new InvalidTransitionError(consultationId, current.status, to);
    const [row] = await tx
      .update(consultations)
      .set({ status: to, statusReason, version: current.version + 1, updatedAt: new Date() })
      .where(eq(consultations.id, consultationId))
      .returning();
    return { row: row!, changed: true };
  });
}

export async function findConsultation(db: Executor, consultationId: string): Promise<ConsultationRow | undefined> {
  const [row] = await db.select().from(consultations).where(eq(consultations.id, consultationId));
  return row;
}

export function toConsultationSnapshot(row: ConsultationRow): ConsultationSnapshot {
  return {
    consultationId: row.id,
    patientId: row.patientId,
    physicianId: row.physicianId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    durationMinutes: row.durationMinutes,
    reason: row.reason,
    status: row.status,
    statusReason: row.statusReason,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
