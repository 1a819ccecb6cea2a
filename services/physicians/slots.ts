import { versionOf } from '../../libraries/db/version-of';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { PermanentError } from '../../libraries/events/errors';
import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import { sqlState } from '../../libraries/db/errors';
import type { Database } from '../../libraries/db/pool';
import type { TransactionOf } from '../../libraries/db/executor';
import { reaches, type ConsistencyToken } from '../../libraries/http/consistency';
import { physicianSlots, takenStatuses, type SlotRow, type SlotStatus, type TakenSlot } from './write-schema';

type Tx = TransactionOf<Database>;

/** SQLSTATE exclusion_violation: physician_slots_no_overlap refused an overlapping slot. */
const exclusionViolation = '23P01';

export function isTaken(slot: SlotRow): slot is TakenSlot {
  return (takenStatuses as readonly SlotStatus[]).includes(slot.status);
}

export async function findSlot(tx: Tx, consultationId: string): Promise<SlotRow | undefined> {
  const [slot] = await tx.select().from(physicianSlots).where(eq(physicianSlots.consultationId, consultationId));
  return slot;
}

/**
 * Holds the consultation's time for its physician, or returns undefined when
 * the database refuses it because the time overlaps a taken slot. The insert
 * runs in a savepoint so that the refusal leaves the caller's transaction
 * usable for its reply.
 */
export async function holdSlot(tx: Tx, consultation: ConsultationSnapshot): Promise<TakenSlot | undefined> {
  try {
    return await tx.transaction(async (savepoint) => {
      const [slot] = await savepoint.insert(physicianSlots).values(slotRow(consultation, 'HELD')).returning();
      return slot as TakenSlot;
    });
  } catch (error) {
    if (sqlState(error) === exclusionViolation) return undefined;
    throw error;
  }
}

/**
 * HELD → CONFIRMED. A hold that expired while its confirmation was held up
 * (an outage longer than SLOT_HOLD_TIMEOUT_MS) is taken back when the time
 * is still free; `taken` says it is not. Otherwise returns what was there.
 */
export async function confirmSlot(
  tx: Tx,
  { consultationId, version }: Pick<ConsultationSnapshot, 'consultationId' | 'version'>,
): Promise<{ confirmed: boolean; found?: SlotStatus; taken?: boolean }> {
  const updated = await tx
    .update(physicianSlots)
    .set({ status: 'CONFIRMED', updatedAt: new Date(), consultationVersion: version })
    .where(and(eq(physicianSlots.consultationId, consultationId), eq(physicianSlots.status, 'HELD')))
    .returning({ consultationId: physicianSlots.consultationId });
  if (updated.length > 0) return { confirmed: true };
  const found = (await findSlot(tx, consultationId))?.status;
  if (found !== 'EXPIRED') return { confirmed: false, found };
  try {
    await tx.transaction((savepoint) =>
      savepoint
        .update(physicianSlots)
        .set({ status: 'CONFIRMED', updatedAt: new Date(), consultationVersion: version })
        .where(and(eq(physicianSlots.consultationId, consultationId), eq(physicianSlots.status, 'EXPIRED'))),
    );
    return { confirmed: true, found };
  } catch (error) {
    if (sqlState(error) === exclusionViolation) return { confirmed: false, found, taken: true };
    throw error;
  }
}

/**
 * HELD or CONFIRMED → RELEASED: the time is free again. A consultation that
 * never held a slot is recorded as RELEASED all the same, so that its
 * availability question, should it arrive late (retried after the saga gave
 * up), finds the consultation over and holds nothing.
 */
export async function releaseSlot(tx: Tx, consultation: ConsultationSnapshot): Promise<'released' | 'already-released' | 'never-held'> {
  // One statement: if a hold for this consultation is being inserted right now,
  // the conflict waits for it to commit and then releases it, instead of
  // missing it and leaving the time blocked.
  const [row] = await tx
    .insert(physicianSlots)
    .values(slotRow(consultation, 'RELEASED'))
    .onConflictDoUpdate({
      target: physicianSlots.consultationId,
      set: { status: 'RELEASED', updatedAt: new Date(), consultationVersion: consultation.version },
      setWhere: inArray(physicianSlots.status, [...takenStatuses]),
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  if (!row) return 'already-released';
  return row.inserted ? 'never-held' : 'released';
}

/** The slot of a consultation in a status, as a new row. */
const slotRow = (consultation: ConsultationSnapshot, status: SlotStatus) => ({
  ...slotTime(consultation),
  consultationId: consultation.consultationId,
  status,
  updatedAt: new Date(),
  consultationVersion: consultation.version,
});

/** The consultation's time; an empty or inverted range can never be held and no retry will fix it. */
export function slotTime(consultation: ConsultationSnapshot): { physicianId: string; startsAt: Date; endsAt: Date } {
  const startsAt = new Date(consultation.startsAt);
  const endsAt = new Date(consultation.endsAt);
  if (endsAt <= startsAt) {
    throw new PermanentError(
      `consultation ${consultation.consultationId} ends (${consultation.endsAt}) before it starts`,
      'invalid-slot-time',
    );
  }
  return { physicianId: consultation.physicianId, startsAt, endsAt };
}

/** Whether physicians has applied the consultation's events up to the token's version to its slot. */
export async function slotShows(db: Database, token: ConsistencyToken): Promise<boolean> {
  return reaches(await versionOf(db, { key: physicianSlots.consultationId, version: physicianSlots.consultationVersion }, token.id), token);
}
