import { condition, patched, setHandler } from '@temporalio/workflow';
import type { ConsultationStatusReason } from '../libraries/events/consultations';
import { temporalConfig } from '../temporal.config';
import { sagaActivities, sagaAnnouncer } from './saga-activities';
import { replySignals, type SagaState, type ScheduleConsultationInput } from './definitions';
import { dataFailure } from './failures';
import { SagaJournal } from './saga-journal';

type Verdict = { ok: true } | { ok: false; reason: ConsultationStatusReason };

/** Step failures caused by the consultation's own data (activities/failures.ts): retrying cannot help. */
const invalidData = ['InvalidRequest', 'InvalidTransitionError'] as const;

/**
 * Saga 1 (docs/specification.md §5.1, docs/design.md §5.1): record the consultation PENDING, ask patients and
 * physicians, and on both confirmations mark it SCHEDULED. A rejection, or
 * silence past the deadline, marks it REJECTED and publishes
 * ConsultationCancelled, which releases a held slot (the compensation).
 *
 * It waits for both answers even after a rejection (up to the deadline), so
 * the compensation always reaches physicians after any hold it must undo.
 *
 * A step that fails on invalid data ends the saga REJECTED with
 * INVALID_REQUEST after the same compensation, as far as the data allows:
 * when not even the consultation row can be written, the saga's own state
 * (GET /consultations/:id/saga) is where the rejection shows.
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

  const reject = (reason: ConsultationStatusReason) =>
    // ConsultationCancelled is the compensation: physicians release a slot it held.
    sagaActivities.moveConsultation({ consultationId: input.consultationId, to: 'REJECTED', reason }, announce('ConsultationCancelled'));

  try {
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
    await reject(reason);
    journal.close('REJECTED', reason);
    return journal.state;
  } catch (error) {
    const failure = dataFailure(error, invalidData);
    // Before this path such a failure failed the workflow: its histories replay as they ran.
    if (!failure || !patched('reject-invalid-request')) throw error;
    journal.step('step failed on invalid data', failure.message);
    try {
      await reject('INVALID_REQUEST');
    } catch (error) {
      // The same data can break the compensation too. Typically no row was ever written (or
      // its snapshot breaks the schema): then nothing was announced and physicians hold nothing.
      // If instead publishing ConsultationScheduled failed after the row became SCHEDULED, the
      // row stays SCHEDULED (it cannot go back to REJECTED) and physicians' hold expires unconfirmed.
      const again = dataFailure(error, invalidData);
      if (!again) throw error;
      journal.step('compensation incomplete', again.message);
    }
    journal.close('REJECTED', 'INVALID_REQUEST');
    return journal.state;
  }
}
