import type { ConsultationSnapshot, ConsultationStatusReason } from '../events/consultations';
import type { Database } from '../db/pool';
import { createPending, toConsultationSnapshot, transition, type NewConsultation } from '../services/scheduling/write-model';

/**
 * The consultation write model as saga steps. Every step is idempotent (a
 * retry finds the consultation already moved and returns it), and a move the
 * state machine forbids is an InvalidTransitionError, which is not retried.
 */
export function consultationActivities(db: Database) {
  return {
    async createPendingConsultation(input: NewConsultation): Promise<ConsultationSnapshot> {
      return toConsultationSnapshot(await createPending(db, input));
    },
    async markConsultationScheduled(consultationId: string): Promise<ConsultationSnapshot> {
      return toConsultationSnapshot((await transition(db, consultationId, 'SCHEDULED')).row);
    },
    async markConsultationRejected(input: { consultationId: string; reason: ConsultationStatusReason }): Promise<ConsultationSnapshot> {
      return toConsultationSnapshot((await transition(db, input.consultationId, 'REJECTED', input.reason)).row);
    },
    async markCancellationRequested(consultationId: string): Promise<ConsultationSnapshot> {
      return toConsultationSnapshot((await transition(db, consultationId, 'CANCELLATION_REQUESTED')).row);
    },
    async markConsultationCancelled(consultationId: string): Promise<ConsultationSnapshot> {
      return toConsultationSnapshot((await transition(db, consultationId, 'CANCELLED', 'CANCELLED_BY_REQUEST')).row);
    },
  };
}
