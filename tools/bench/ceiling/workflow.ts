/**
 * The workflows of the ceilings, in one bundle for the bench's in-process
 * worker. Deterministic: that worker bundles this file alone.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { temporalConfig } from '../../../temporal.config';
import { replySignals, type ScheduleConsultationInput } from '../../../workflows/definitions';
import { sagaActivities, sagaAnnouncer } from '../../../workflows/saga-activities';

/** Saga 1 itself: its ceiling includes the saga journal's work on Temporal (search attributes, details). */
export { scheduleConsultation } from '../../../workflows/schedule-consultation';

/**
 * Saga 1's shape with nothing behind it. It calls the saga's own activity
 * proxy (workflows/saga-activities.ts: the same kind of activity, local or
 * not, the same timeouts and retries) the same two times with the same
 * payloads, waits for the same two reply signals under the same deadline (a
 * timer), but there is no saga journal (no search attributes, no current
 * details).
 */
export async function bareSaga(input: ScheduleConsultationInput): Promise<'SCHEDULED' | 'TIMEOUT'> {
  let patient = false;
  let physician = false;
  setHandler(replySignals.PatientValidatedForConsultation, () => void (patient = true));
  setHandler(replySignals.PhysicianAvailabilityConfirmed, () => void (physician = true));
  const { announce } = sagaAnnouncer(input.correlationId);

  await sagaActivities.openConsultation(input, announce('ConsultationSchedulingStarted'));
  if (!(await condition(() => patient && physician, temporalConfig.scheduling.replyDeadline))) return 'TIMEOUT';
  await sagaActivities.moveConsultation({ consultationId: input.consultationId, to: 'SCHEDULED' }, announce('ConsultationScheduled'));
  return 'SCHEDULED';
}
