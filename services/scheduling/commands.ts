import { createEvent } from '../../libraries/events/catalog';
import type { Executor } from '../../libraries/db/executor';
import { enqueueEvents } from '../../libraries/messaging/outbox';
import {
  cancellationUnderWayIn,
  changeReason,
  getConsultation,
  InvalidTransitionError,
  toConsultationSnapshot,
  transition,
  type ConsultationRow,
} from './consultations';
import { serviceRegistry } from '../../libraries/config/services';

const sourceService = serviceRegistry.scheduling.source;

/**
 * Scheduling's own commands on the write model, each in one transaction with
 * its event in the outbox. A missing consultation is a NotFoundError, a state
 * the lifecycle does not allow an InvalidTransitionError (a 409).
 */

/** Changes the reason of a PENDING or SCHEDULED consultation and emits ConsultationUpdated. */
export async function updateReason(db: Executor, id: string, reason: string | null, correlationId: string): Promise<ConsultationRow> {
  return db.transaction(async (tx) => {
    const row = await changeReason(tx, id, reason);
    await enqueueEvents(tx, [createEvent('ConsultationUpdated', toConsultationSnapshot(row), { sourceService })], { correlationId });
    return row;
  });
}

/** SCHEDULED → DONE and ConsultationDone (docs/api.md §9). */
export async function complete(db: Executor, id: string, correlationId: string): Promise<ConsultationRow> {
  return db.transaction(async (tx) => {
    await getConsultation(tx, id);
    const rule = 'only a SCHEDULED consultation can be completed';
    const { row, changed } = await transition(tx, id, 'DONE', null, rule);
    // Completing twice is a conflict too: ConsultationDone is announced once.
    if (!changed) throw new InvalidTransitionError(id, row.status, 'DONE', rule);
    await enqueueEvents(tx, [createEvent('ConsultationDone', toConsultationSnapshot(row), { sourceService })], { correlationId });
    return row;
  });
}

/**
 * Marks a SCHEDULED consultation CANCELLATION_REQUESTED, and only that: the
 * caller starts saga 2 once this has committed, never while holding the row
 * (a Temporal call inside a transaction would hold the lock for as long as
 * Temporal takes, and a start whose answer is lost would roll back a mark the
 * saga then finds missing). A start that fails after the commit is made up
 * by the cancellation reconciler. Asked again while cancelling or cancelled,
 * it answers the same.
 */
export async function requestCancellation(db: Executor, id: string): Promise<ConsultationRow> {
  return db.transaction(async (tx) => {
    const current = await getConsultation(tx, id);
    if (cancellationUnderWayIn.includes(current.status)) return current;
    return (await transition(tx, id, 'CANCELLATION_REQUESTED', null, 'only a SCHEDULED consultation can be cancelled')).row;
  });
}
