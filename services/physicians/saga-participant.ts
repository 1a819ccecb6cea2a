import { serviceRegistry } from '../../libraries/config/services';
import { eq } from 'drizzle-orm';
import { createEvent, type DomainEvent } from '../../libraries/events/catalog';
import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import { PermanentError } from '../../libraries/events/errors';
import type { physicianRejectionReasons } from '../../libraries/events/physicians';
import type { Database } from '../../libraries/db/pool';
import type { DeliveryContext } from '../../libraries/messaging/consumer';
import type { TransactionOf } from '../../libraries/db/executor';
import type { TransactionalHandler } from '../../libraries/messaging/inbox';
import { enqueueEvents } from '../../libraries/messaging/outbox';
import { confirmSlot, findSlot, holdSlot, isTaken, releaseSlot, slotTime } from './slots';
import { physicians, type PhysicianRow, type TakenSlot } from './write-schema';

const sourceService = serviceRegistry.physicians.source;

type Tx = TransactionOf<Database>;
type Answer =
  | { held: TakenSlot; physician: PhysicianRow }
  | { reason: (typeof physicianRejectionReasons)[number] }
  /** The consultation is already over (its slot was released): nobody waits for an answer. */
  | { over: true };

/**
 * Saga 1, the physician's part: holds a slot on ConsultationSchedulingStarted
 * (answering PhysicianAvailabilityConfirmed or PhysicianAvailabilityRejected),
 * confirms it on ConsultationScheduled and releases it on
 * ConsultationCancelled. Runs in the inbox transaction, replies through the
 * outbox: each event is applied and answered exactly once.
 */
export const physicianSagaParticipant: TransactionalHandler<Database> = async (event, tx, context) => {
  switch (event.eventType) {
    case 'ConsultationSchedulingStarted':
      return answerAvailability(event.payload, tx, context);
    case 'ConsultationScheduled': {
      const { consultationId } = event.payload;
      const { confirmed, found, taken } = await confirmSlot(tx, event.payload);
      if (confirmed)
        context.logger.info(found === 'EXPIRED' ? 'expired hold taken back and confirmed' : 'slot confirmed', { consultationId });
      // Only after an outage longer than the hold timeout, and another booking of the same time meanwhile.
      else if (taken) context.logger.error('confirmation arrived after the hold expired and the time was booked again', { consultationId });
      else context.logger.info('no held slot to confirm; ignored', { consultationId, found: found ?? 'none' });
      return;
    }
    case 'ConsultationCancelled': {
      const outcome = await releaseSlot(tx, event.payload);
      context.logger.info(outcome === 'released' ? 'slot released' : 'nothing held to release', {
        consultationId: event.payload.consultationId,
        outcome,
      });
      return;
    }
    default:
      return; // the saga queue hears only the three events above
  }
};

async function answerAvailability(consultation: ConsultationSnapshot, tx: Tx, context: DeliveryContext): Promise<void> {
  const { sagaId, correlationId } = context.headers;
  if (!sagaId) throw new PermanentError('ConsultationSchedulingStarted without x-saga-id: nobody to answer', 'missing-saga-id');
  const { consultationId, physicianId } = consultation;

  const answer = await decide(tx, consultation);
  if ('over' in answer) {
    context.logger.info('availability asked for a consultation that is over; not answered', { consultationId });
    return;
  }
  const reply: DomainEvent =
    'reason' in answer
      ? createEvent('PhysicianAvailabilityRejected', { consultationId, physicianId, reason: answer.reason }, { sourceService })
      : createEvent(
          'PhysicianAvailabilityConfirmed',
          {
            consultationId,
            physicianId,
            physicianName: answer.physician.name,
            specialty: answer.physician.specialty,
            startsAt: answer.held.startsAt.toISOString(),
            endsAt: answer.held.endsAt.toISOString(),
          },
          { sourceService },
        );
  await enqueueEvents(tx, [reply], { sagaId, correlationId });
  context.logger.info('physician availability answered', {
    consultationId,
    answer: reply.eventType,
    reason: 'reason' in answer ? answer.reason : undefined,
  });
}

async function decide(tx: Tx, consultation: ConsultationSnapshot): Promise<Answer> {
  const time = slotTime(consultation);
  // Locking the physician serializes the questions about one physician: it
  // keeps a deactivation from slipping in between check and hold, and keeps
  // two overlapping inserts from waiting on each other inside the exclusion
  // check (a deadlock). The exclusion constraint still decides who gets the time.
  const [physician] = await tx.select().from(physicians).where(eq(physicians.id, time.physicianId)).for('no key update');
  if (!physician) return { reason: 'PHYSICIAN_NOT_FOUND' };

  // Asked again (a new eventId for the same consultation): the same answer, no second slot.
  const existing = await findSlot(tx, consultation.consultationId);
  if (existing) return isTaken(existing) ? { held: existing, physician } : { over: true };

  if (physician.status !== 'ACTIVE') return { reason: 'PHYSICIAN_INACTIVE' };
  if (time.startsAt.getTime() <= Date.now()) return { reason: 'SLOT_IN_PAST' };
  const held = await holdSlot(tx, consultation);
  return held ? { held, physician } : { reason: 'SLOT_TAKEN' };
}
