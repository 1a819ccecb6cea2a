import type { Options } from 'amqplib';
import { catalog, type DomainEvent } from '../events/catalog';
import { toAmqpHeaders, type EventHeaders } from '../events/envelope';

/** A message ready for the wire: where it goes, its body and its AMQP properties. */
export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** The AMQP form of an event (docs/design.md §2.1): routed by the catalog, persistent, self-describing. */
export function encodeEvent(event: DomainEvent, headers: EventHeaders = {}): OutgoingMessage {
  const definition = catalog[event.eventType];
  return {
    exchange: definition.exchange,
    routingKey: definition.routingKey,
    content: Buffer.from(JSON.stringify(event)),
    options: eventProperties(event, toAmqpHeaders(headers)),
  };
}

export function eventProperties(
  event: Pick<DomainEvent, 'eventId' | 'eventType' | 'sourceService' | 'occurredAt'>,
  headers: Record<string, string | number>,
): Options.Publish {
  return {
    messageId: event.eventId,
    type: event.eventType,
    appId: event.sourceService,
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    persistent: true,
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    headers,
  };
}
