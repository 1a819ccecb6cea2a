import { and, asc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { ConsultationStatus, ConsultationStatusReason } from '../../../libraries/events/consultations';
import type { Executor } from '../../../libraries/db/executor';
import { NotFoundError } from '../../../libraries/common/domain-errors';
import type { ScheduleConsultationInput } from '../../../workflows/definitions';
import { allowedFrom, InvalidTransitionError, reasonEditableIn } from './lifecycle';
import { consultations, type ConsultationRow } from './schema';

/** What saga 1 opens a consultation with: its input, less the request's correlation id. */
export type NewConsultation = Omit<ScheduleConsultationInput, 'correlationId'>;

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
 * machine does not allow is an InvalidTransitionError (`rule` words it for a client).
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
  rule?: string,
): Promise<{ row: ConsultationRow; changed: boolean }> {
  const moved = await updateIfIn(db, consultationId, allowedFrom[to], { status: to, statusReason });
  if (moved) return { row: moved, changed: true };
  const current = await findConsultation(db, consultationId);
  if (!current) throw new InvalidTransitionError(consultationId, 'MISSING', to, rule);
  if (current.status === to) return { row: current, changed: false };
  throw new InvalidTransitionError(consultationId, current.status, to, rule);
}

/** Changes the reason of a consultation still to happen (PENDING or SCHEDULED). */
export async function changeReason(db: Executor, consultationId: string, reason: string | null): Promise<ConsultationRow> {
  const row = await updateIfIn(db, consultationId, reasonEditableIn, { reason });
  if (row) return row;
  const current = await findConsultation(db, consultationId);
  if (!current) throw new NotFoundError('consultation', consultationId);
  throw new InvalidTransitionError(consultationId, current.status, 'CHANGED', 'its reason can change only while PENDING or SCHEDULED');
}

/** Applies `set` (and a new version) only while the consultation is in one of `statuses`; undefined when it is not, or missing. */
async function updateIfIn(
  db: Executor,
  consultationId: string,
  statuses: readonly ConsultationStatus[],
  set: Partial<Pick<ConsultationRow, 'status' | 'statusReason' | 'reason'>>,
): Promise<ConsultationRow | undefined> {
  const [row] = await db
    .update(consultations)
    .set({ ...set, version: sql`${consultations.version} + 1`, updatedAt: new Date() })
    .where(and(eq(consultations.id, consultationId), inArray(consultations.status, [...statuses])))
    .returning();
  return row;
}

export async function findConsultation(db: Executor, consultationId: string): Promise<ConsultationRow | undefined> {
  const [row] = await db.select().from(consultations).where(eq(consultations.id, consultationId));
  return row;
}

/** The consultation, or NotFoundError: what every command starts from. */
export async function getConsultation(db: Executor, consultationId: string): Promise<ConsultationRow> {
  const row = await findConsultation(db, consultationId);
  if (!row) throw new NotFoundError('consultation', consultationId);
  return row;
}

/** Where a page of consultations in one status ended: the next page starts after it. */
export interface StatusCursor {
  updatedAt: Date;
  id: string;
}

/** Up to `limit` consultations in `status` unchanged since before `before`, oldest first after `after`. */
export async function consultationsInStatus(
  db: Executor,
  status: ConsultationStatus,
  page: { before: Date; after?: StatusCursor | undefined; limit: number },
): Promise<ConsultationRow[]> {
  const { before, after, limit } = page;
  return db
    .select()
    .from(consultations)
    .where(
      and(
        eq(consultations.status, status),
        lt(consultations.updatedAt, before),
        after
          ? or(
              gt(consultations.updatedAt, after.updatedAt),
              and(eq(consultations.updatedAt, after.updatedAt), gt(consultations.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(consultations.updatedAt), asc(consultations.id))
    .limit(limit);
}

/** For a process that uses this store without owning it (the saga worker): has scheduling migrated it yet? */
export async function checkConsultationStore(db: Executor): Promise<void> {
  try {
    await db.execute(sql`SELECT 1 FROM ${consultations} LIMIT 0`);
  } catch (error) {
    throw new Error("scheduling's write database is not there or not migrated yet: it is created when scheduling starts", { cause: error });
  }
}

/**
 * What the saga worker needs of the write model, and nothing else: its role
 * (when there is one; `npm start` and compose make it) may read, insert and
 * update consultations. Run by scheduling, the tables' owner, once migrated;
 * under a lock, because two instances granting at once make PostgreSQL fail
 * one of them ("tuple concurrently updated").
 */
export async function grantConsultationAccess(db: Executor, role: string): Promise<void> {
  const found = await db.execute(sql`SELECT 1 FROM pg_roles WHERE rolname = ${role}`);
  if (found.rows.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('hap-consultation-grants'))`);
    await tx.execute(sql`GRANT SELECT, INSERT, UPDATE ON ${consultations} TO ${sql.identifier(role)}`);
  });
}
