import { eq } from 'drizzle-orm';
import { createEvent } from '../../events/catalog';
import type { Executor } from '../../messaging/executor';
import { enqueueEvents } from '../../messaging/outbox';
import { toConsultationSnapshot, transition } from './write-model';
import { consultations, type ConsultationRow } from './write-schema';

const sourceService = 'scheduling-service';

export type CommandResult =
  { ok: true; row: ConsultationRow } | { ok: false; error: 'NOT_FOUND' } | { ok: false; error: 'CONFLICT'; status: string };

/** Changes the reason of a PENDING or SCHEDULED consultation and emits ConsultationUpdated. */
export async function updateReason(db: Executor, id: string, reason: string | null, correlationId: string): Promise<CommandResult> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(consultations).where(eq(consultations.id, id)).for('update');
    if (!current) return { ok: false, error: 'NOT_FOUND' };
    if (current.status !== 'PENDING' && current.status !== 'SCHEDULED') return { ok: false, error: 'CONFLICT', status: current.status };
    const [row] = await tx
      .update(consultations)
      .set({ reason, version: current.version + 1, updatedAt: new Date() })
      .where(eq(consultations.id, id))
      .returning();
    await enqueueEvents(tx, [createEvent('ConsultationUpdated', toConsultationSnapshot(row!), { sourceService })], { correlationId });
    return { ok: true, row: row! };
  });
}

/** SCHEDULED → DONE and ConsultationDone; anything else is a conflict (docs/api.md §9). */
export async function complete(db: Executor, id: string, correlationId: string): Promise<CommandResult> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(consultations).where(eq(consultations.id, id)).for('update');
    if (!current) return { ok: false, error: 'NOT_FOUND' };
    if (current.status !== 'SCHEDULED') return { ok: false, error: 'CONFLICT', status: current.status };
    const { row } = await transition(tx, id, 'DONE');
    await enqueueEvents(tx, [createEvent('ConsultationDone', toConsultationSnapshot(row), { sourceService })], { correlationId });
    return { ok: true, row };
  });
}

const cancellable = ['SCHEDULED', 'CANCELLATION_REQUESTED', 'CANCELLED'];

/**
 * Marks a SCHEDULED consultation CANCELLATION_REQUESTED, and only that: the
 * caller starts saga 2 once this has committed, never while holding the row
 * (a Temporal call inside a transaction would hold the lock for as long as
 * Temporal takes, and a start whose answer is lost would roll back a mark the
 * saga then finds missing). A start that fails after the commit is made up
 * by the cancellation reconciler. Asked again while cancelling or cancelled,
 * it answers the same.
 */
export async function requestCancellation(db: Executor, id: string): Promise<CommandResult> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(consultations).where(eq(consultations.id, id)).for('update');
    if (!current) return { ok: false, error: 'NOT_FOUND' };
    if (!cancellable.includes(current.status)) return { ok: false, error: 'CONFLICT', status: current.status };
    const { row } = current.status === 'SCHEDULED' ? await transition(tx, id, 'CANCELLATION_REQUESTED') : { row: current };
    return { ok: true, row };
  });
}
