import { msToNumber } from '@temporalio/common/lib/time';
import { condition, setHandler } from '@temporalio/workflow';
import { temporalConfig } from '../temporal.config';
import { publishFromSaga, sagaActivities } from './activities';
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
  const publish = publishFromSaga(input.correlationId);
  let voidedRecordIds: string[] | undefined;

  setHandler(replySignals.ConsultationRecordsVoided, (event) => {
    if (journal.accept(event)) voidedRecordIds ??= event.payload.voidedRecordIds;
  });

  const requested = await sagaActivities.markCancellationRequested(input.consultationId);
  journal.status('AWAITING_RECORDS', 'consultation marked CANCELLATION_REQUESTED');

  const { firstReaskAfter, maxReaskInterval } = temporalConfig.cancellation;
  let wait = msToNumber(firstReaskAfter);
  for (let ask = 1; ; ask++) {
    await publish('ConsultationCancellationRequested', requested);
    if (await condition(() => voidedRecordIds !== undefined, wait)) break;
    journal.step('records did not answer', `asking again (ask ${ask + 1})`);
    wait = Math.min(wait * 2, msToNumber(maxReaskInterval));
  }

  const cancelled = await sagaActivities.markConsultationCancelled(input.consultationId);
  await publish('ConsultationCancelled', cancelled);
  journal.close('CANCELLED', `${voidedRecordIds?.length ?? 0} record(s) voided`);
  return journal.state;
}
