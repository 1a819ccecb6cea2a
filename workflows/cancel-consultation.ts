import { ActivityFailure, condition, continueAsNew, patched, setHandler } from '@temporalio/workflow';
import { temporalConfig } from '../temporal.config';
import { sagaActivities, sagaAnnouncer } from './saga-activities';
import { replySignals, type CancelConsultationInput, type SagaState } from './definitions';
import { dataFailure } from './failures';
import { SagaJournal } from './saga-journal';

/** Data failures end the saga; before this patch they failed the workflow, and such histories replay as they ran. */
const dataFailuresEndSaga = 'fail-invalid-request';

/**
 * Saga 2 (docs/specification.md §5.2, docs/design.md §5.2): mark the consultation CANCELLATION_REQUESTED, ask
 * clinical records to void its records, and once they answer mark it
 * CANCELLED and publish ConsultationCancelled (physicians release the slot).
 * Records that stay silent are asked again, with a growing pause and a fresh
 * event id each time, for as long as it takes: a cancellation is never lost.
 * A step that fails on invalid data (activities/failures.ts) ends it FAILED
 * with INVALID_REQUEST: no retry or re-ask could ever get past it.
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
    // A local activity fails bare: before the patch only a wrapped failure was seen as a refusal.
    if (dataFailure(error, ['InvalidTransitionError']) && (error instanceof ActivityFailure || patched(dataFailuresEndSaga))) {
      journal.close('REFUSED', 'the consultation is not SCHEDULED any more');
      return journal.state;
    }
    return fail(error);
  }
  journal.status('AWAITING_RECORDS', `consultation marked CANCELLATION_REQUESTED${input.reason ? `: ${input.reason}` : ''}`);

  try {
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
  } catch (error) {
    return fail(error);
  }
  journal.close('CANCELLED', `${voidedRecordIds?.length ?? 0} record(s) voided`);
  return journal.state;

  /**
   * Ends the saga on a data failure, rethrows anything else (continueAsNew too).
   * Nothing to compensate: CANCELLATION_REQUESTED leads only to CANCELLED, so
   * the consultation waits for an operator, and the saga's state says why.
   */
  function fail(error: unknown): SagaState {
    const failure = dataFailure(error, ['InvalidRequest', 'InvalidTransitionError']);
    if (!failure || !patched(dataFailuresEndSaga)) throw error;
    journal.step('step failed on invalid data', failure.message);
    journal.close('FAILED', 'INVALID_REQUEST');
    return journal.state;
  }
}
