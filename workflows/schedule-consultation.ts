import { condition, setHandler } from '@temporalio/workflow';
import type { ConsultationStatusReason } from '../events/consultations';
import { temporalConfig } from '../temporal.config';
import { publishFromSaga, sagaActivities } from './saga-activities';
import { replySignals, type SagaState, type ScheduleConsultationInput } from './definitions';
import { SagaJournal } from './saga-journal';

type Verdict = { ok: true } | { ok: false; reason: ConsultationStatusReason };

/**
 * Saga 1 (seed §5.1): record the consultation PENDING, ask patients and
 * physicians, and on both confirmations mark it SCHEDULED. A rejection, or
 * silence past the deadline, marks it REJECTED and publishes
 * ConsultationCancelled, which releases a held slot (the compensation).
 *
 * It waits for both answers even after a rejection (up to the deadline), so
 * the compensation always reaches physicians after any hold it must undo.
 */
export async function scheduleConsultation(input: ScheduleConsultationInput): Promise<SagaState> {
  const journal = new SagaJournal('schedule', input.consultationId);
  const publish = publishFromSaga(input.correlationId);
  let patient: Verdict | undefined;
  let physician: Verdict | undefined;

  setHandler(replySignals.PatientValidatedForConsultation, (event) => {
    if (journal.accept(event)) patient ??= { ok: true };
  });
  setHandler(replySignals.PatientValidationFailed, (event) => {
    if (journal.accept(event)) patient ??= { ok: false, reason: event.payload.reason };
  });
  setHandler(replySignals.PhysicianAvailabilityConfirmed, (event) => {
    if (journal.accept(event)) physician ??= { ok: true };
  });
  setHandler(replySignals.PhysicianAvailabilityRejected, (event) => {
    if (journal.accept(event)) physician ??= { ok: false, reason: event.payload.reason };
  });

  const pending = await sagaActivities.createPendingConsultation(input);
  journal.step('consultation recorded as PENDING');
  await publish('ConsultationSchedulingStarted', pending);
  journal.status('AWAITING_VALIDATION', 'asked patients and physicians');

  const answered = await condition(() => patient !== undefined && physician !== undefined, temporalConfig.scheduling.replyDeadline);
  const rejection = [patient, physician].find((verdict) => verdict?.ok === false) as { reason: ConsultationStatusReason } | undefined;

  if (answered && !rejection) {
    const scheduled = await sagaActivities.markConsultationScheduled(input.consultationId);
    await publish('ConsultationScheduled', scheduled);
    journal.close('SCHEDULED');
    return journal.state;
  }

  const reason = rejection?.reason ?? 'TIMEOUT';
  const rejected = await sagaActivities.markConsultationRejected({ consultationId: input.consultationId, reason });
  await publish('ConsultationCancelled', rejected);
  journal.close('REJECTED', reason);
  return journal.state;
}
