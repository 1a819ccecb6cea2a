import { createEvent, type EventType, type PayloadOf } from '../libraries/events/catalog';
import type { ConfirmedPublisher } from '../libraries/messaging/broker';
import { publishEvent } from '../libraries/messaging/publish-event';
import { serviceRegistry } from '../libraries/config/services';

/**
 * An event a workflow decided to publish, without its payload: the id and
 * time are made in the workflow, so a retried activity sends the same event
 * and consumers drop the copy.
 */
export interface Announcement<T extends EventType = EventType> {
  eventType: T;
  eventId: string;
  occurredAt: string;
  sagaId: string;
  correlationId: string;
}

export interface SagaEventRequest<T extends EventType = EventType> extends Announcement<T> {
  payload: PayloadOf<T>;
}

/** Publishes a saga event with broker confirms; resolves only once the broker has it. */
export async function sendSagaEvent(publisher: ConfirmedPublisher, request: SagaEventRequest): Promise<void> {
  const event = createEvent(request.eventType, request.payload, {
    sourceService: serviceRegistry.scheduling.source,
    eventId: request.eventId,
    occurredAt: request.occurredAt,
  });
  await publishEvent(publisher, event, { sagaId: request.sagaId, correlationId: request.correlationId });
}

export function publishingActivities(publisher: ConfirmedPublisher) {
  return {
    /** A saga event on its own (saga 2 asks records again with it). */
    publishSagaEvent: (request: SagaEventRequest): Promise<void> => sendSagaEvent(publisher, request),
  };
}
