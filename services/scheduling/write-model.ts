import { and, eq, inArray, sql } from 'drizzle-orm';
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
  const [inserted] = await db
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
    .onConflictDoNothing()
    .returning();
  // Nothing returned: a retry, and the first call's row is the answer.
  return inserted ?? (await findConsultation(db, input.consultationId))!;
}

/**
 * Moves a consultation to `to`. Idempotent: already there, it returns the row
 * unchanged, so a retried activity or request does no harm. Anything the state
 * machine does not allow is an InvalidTransitionError.
 *
 * One statement in the usual case: the UPDATE only matches a row in a state
 * `to` may follow, and PostgreSQL re-checks that condition against a
 * concurrent change before writing, so no explicit lock is needed.
 */
export async function transition(
  db: Executor,
  consultationId: string,
  to: ConsultationStatus,
  statusReason: ConsultationStatusReason | null = null,
): Promise<{ row: ConsultationRow; changed: boolean }> {
  const [moved] = await db
    .update(consultations)
    .set({ status: to, statusReason, version: sql`${consultations.version} + 1`, updatedAt: new Date() })
    .where(and(eq(consultations.id, consultationId), inArray(consultations.status, allowedFrom[to])))
    .returning();
  if (moved) return { row: moved, changed: true };
  const current = await findConsultation(db, consultationId);
  if (!current) throw new InvalidTransitionError(consultationId, 'MISSING', to);
  if (current.status === to) return { row: current, changed: false };
  throw new InvalidTransitionError(consultationId, current.status, to);
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
