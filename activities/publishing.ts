import { createEvent, type EventType, type PayloadOf } from '../events/catalog';
import type { ConfirmedPublisher } from '../messaging/broker';
import { publishEvent } from '../messaging/publish-event';

/** An event as a workflow describes it: the id and time are made in the workflow, so a retry sends the same event. */
export interface SagaEventRequest<T extends EventType = EventType> {
  eventType: T;
  payload: PayloadOf<T>;
  eventId: string;
  occurredAt: string;
  sagaId: string;
  correlationId: string;
}

export function publishingActivities(publisher: ConfirmedPublisher) {
  return {
    /** Publishes with broker confirms; resolves only once the broker has the event. */
    async publishSagaEvent(request: SagaEventRequest): Promise<void> {
      const event = createEvent(request.eventType, request.payload, {
        sourceService: 'scheduling-service',
        eventId: request.eventId,
        occurredAt: request.occurredAt,
      });
      await publishEvent(publisher, event, { sagaId: request.sagaId, correlationId: request.correlationId });
    },
  };
}
