import { condition, setHandler } from '@temporalio/workflow';
import type { ConsultationStatusReason } from '../events/consultations';
import { temporalConfig } from '../temporal.config';
import { sagaActivities, sagaAnnouncer } from './saga-activities';
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
  const { announce } = sagaAnnouncer(input.correlationId);
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

  await sagaActivities.openConsultation(input, announce('ConsultationSchedulingStarted'));
  journal.status('AWAITING_VALIDATION', 'consultation recorded as PENDING; asked patients and physicians');

  const answered = await condition(() => patient !== undefined && physician !== undefined, temporalConfig.scheduling.replyDeadline);
  const rejection = [patient, physician].find((verdict) => verdict?.ok === false) as { reason: ConsultationStatusReason } | undefined;

  if (answered && !rejection) {
    await sagaActivities.moveConsultation({ consultationId: input.consultationId, to: 'SCHEDULED' }, announce('ConsultationScheduled'));
    journal.close('SCHEDULED');
    return journal.state;
  }

  const reason = rejection?.reason ?? 'TIMEOUT';
  // ConsultationCancelled is the compensation: physicians release a slot it held.
  await sagaActivities.moveConsultation({ consultationId: input.consultationId, to: 'REJECTED', reason }, announce('ConsultationCancelled'));
  journal.close('REJECTED', reason);
  return journal.state;
}
