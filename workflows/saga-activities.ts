import { proxyLocalActivities, uuid4, workflowInfo } from '@temporalio/workflow';
import type { SagaActivities } from '../activities';
import type { Announcement } from '../activities/publishing';
import type { EventType, PayloadOf } from '../libraries/events/catalog';
import { temporalConfig } from '../temporal.config';

const { activities } = temporalConfig;

/**
 * The saga activities as workflows call them, with the timeouts and retry
 * policy of temporal.config.ts. They are local activities: each is a short
 * database write and a publish, so running them inside the workflow task
 * (recorded as a marker once done) spares the server an activity task and a
 * workflow task per step, with the same at-least-once retries.
 */
export const sagaActivities = proxyLocalActivities<SagaActivities>({
  startToCloseTimeout: activities.startToCloseTimeout,
  retry: { ...activities.retry, nonRetryableErrorTypes: [...activities.retry.nonRetryableErrorTypes] },
});

/**
 * Makes the saga's announcements. An event's id and time are made here,
 * deterministically, so an activity retry republishes the same event and
 * consumers drop the copy.
 */
export function sagaAnnouncer(correlationId: string) {
  const announce = <T extends EventType>(eventType: T): Announcement<T> => ({
    eventType,
    eventId: uuid4(),
    occurredAt: new Date().toISOString(),
    sagaId: workflowInfo().workflowId,
    correlationId,
  });
  return {
    announce,
    /** Publishes an event on its own, for a step with no state change (asking again). */
    publish: async <T extends EventType>(eventType: T, payload: PayloadOf<T>): Promise<void> => {
      await sagaActivities.publishSagaEvent({ ...announce(eventType), payload });
    },
  };
}
