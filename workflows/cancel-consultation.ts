import { ActivityFailure, ApplicationFailure, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import { temporalConfig } from '../temporal.config';
import { sagaActivities, sagaAnnouncer } from './saga-activities';
import { replySignals, type CancelConsultationInput, type SagaState } from './definitions';
import { SagaJournal } from './saga-journal';

/**
 * Saga 2 (seed §5.2): mark the consultation CANCELLATION_REQUESTED, ask
 * clinical records to void its records, and once they answer mark it
 * CANCELLED and publish ConsultationCancelled (physicians release the slot).
 * Records that stay silent are asked again, with a growing pause and a fresh
 * event id each time, for as long as it takes: a cancellation is never lost.
 */
export async function cancelConsultation(input: CancelConsultationInput): Promise<SagaState> {
  const journal = new SagaJournal('cancel', input.consultationId);
  const { announce, publish } = sagaAnnouncer(input.correlationId);
  let voidedRecordIds: string[] | undefined;

  setHandler(replySignals.ConsultationRecordsVoided, (event) => {
    if (journal.accept(event)) voidedRecordIds ??= event.payload.voidedRecordIds;
  });

  let requested;
  try {
    // Scheduling marks it before starting this saga; repeating the move is harmless.
    requested = await sagaActivities.moveConsultation({ consultationId: input.consultationId, to: 'CANCELLATION_REQUESTED' });
  } catch (error) {
    if (!isInvalidTransition(error)) throw error;
    journal.close('REFUSED', 'the consultation is not SCHEDULED any more');
    return journal.state;
  }
  journal.status('AWAITING_RECORDS', `consultation marked CANCELLATION_REQUESTED${input.reason ? `: ${input.reason}` : ''}`);

  const { firstReaskAfterMs, maxReaskIntervalMs, asksPerRun } = temporalConfig.cancellation;
  const firstAsk = (input.asksSoFar ?? 0) + 1;
  let wait = Math.min(firstReaskAfterMs * 2 ** (firstAsk - 1), maxReaskIntervalMs);
  for (let ask = firstAsk; ; ask++) {
    await publish('ConsultationCancellationRequested', requested);
    if (await condition(() => voidedRecordIds !== undefined, wait)) break;
    if (ask - firstAsk + 1 >= asksPerRun) await continueAsNew<typeof cancelConsultation>({ ...input, asksSoFar: ask });
    journal.step('records did not answer', `asking again (ask ${ask + 1})`);
    wait = Math.min(wait * 2, maxReaskIntervalMs);
  }

  await sagaActivities.moveConsultation(
    { consultationId: input.consultationId, to: 'CANCELLED', reason: 'CANCELLED_BY_REQUEST' },
    announce('ConsultationCancelled'),
  );
  journal.close('CANCELLED', `${voidedRecordIds?.length ?? 0} record(s) voided`);
  return journal.state;
}

function isInvalidTransition(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'InvalidTransitionError';
}
