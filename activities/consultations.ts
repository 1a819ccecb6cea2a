import type { ConsultationSnapshot, ConsultationStatus, ConsultationStatusReason } from '../libraries/events/consultations';
import type { EventType, PayloadOf } from '../libraries/events/catalog';
import type { Database } from '../libraries/db/pool';
import type { ConfirmedPublisher } from '../libraries/messaging/broker';
import { createPending, toConsultationSnapshot, transition, type NewConsultation } from '../services/scheduling';
import { sendSagaEvent, type Announcement } from './publishing';

/** The events that carry a consultation as its payload: what a consultation step can announce. */
export type ConsultationEventType = { [T in EventType]: PayloadOf<T> extends ConsultationSnapshot ? T : never }[EventType];

export interface ConsultationMove {
  consultationId: string;
  to: ConsultationStatus;
  reason?: ConsultationStatusReason;
}

/**
 * The consultation write model as saga steps. A step moves the consultation
 * and, when given an announcement, publishes the consultation as it left it,
 * in one local activity: one round trip through the workflow instead of two.
 * Every step is idempotent (a retry finds the consultation already moved,
 * returns it and publishes the same event again), and a move the state
 * machine forbids is an InvalidTransitionError, which is not retried.
 */
export function consultationActivities(db: Database, publisher: ConfirmedPublisher) {
  const announce = async (snapshot: ConsultationSnapshot, announcement?: Announcement<ConsultationEventType>) => {
    if (announcement) await sendSagaEvent(publisher, { ...announcement, payload: snapshot });
    return snapshot;
  };
  return {
    /** Saga 1's first step: the consultation recorded as PENDING. */
    async openConsultation(input: NewConsultation, announcement?: Announcement<ConsultationEventType>): Promise<ConsultationSnapshot> {
      return announce(toConsultationSnapshot(await createPending(db, input)), announcement);
    },
    async moveConsultation(move: ConsultationMove, announcement?: Announcement<ConsultationEventType>): Promise<ConsultationSnapshot> {
      const { row } = await transition(db, move.consultationId, move.to, move.reason);
      return announce(toConsultationSnapshot(row), announcement);
    },
  };
}
