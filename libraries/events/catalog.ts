import type { z } from 'zod';
import { consultationEvents } from './consultations';
import { envelopeSchema, type Envelope, type SourceService } from './envelope';
import { EventValidationError } from './errors';
import { patientEvents } from './patients';
import { physicianEvents } from './physicians';
import { recordEvents } from './records';

/**
 * Every domain event of HAP: exchange, routing key, payload schema and
 * description. Publishers, consumers and the broker topology all read this
 * one object; docs/design.md §2 describes it for readers.
 */
export const catalog = {
  ...patientEvents,
  ...physicianEvents,
  ...consultationEvents,
  ...recordEvents,
};

export type Catalog = typeof catalog;
export type EventType = keyof Catalog;
export type PayloadOf<T extends EventType> = z.infer<Catalog[T]['payload']>;

/** A validated event: the envelope with its payload typed by eventType. */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: Omit<Envelope, 'eventType' | 'payload'> & { eventType: K; payload: PayloadOf<K> };
}[T];

export const eventTypes = Object.keys(catalog) as EventType[];

/** The consultation events: every one carries the consultation's snapshot. */
export type ConsultationEventType = keyof typeof consultationEvents;
export function isConsultationEvent(event: DomainEvent): event is DomainEvent<ConsultationEventType> {
  return Object.hasOwn(consultationEvents, event.eventType);
}

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(catalog, value);
}

export interface NewEventOptions {
  sourceService: SourceService;
  /** Supply it to make the event reproducible (a workflow, a retried command); random otherwise. */
  eventId?: string;
  occurredAt?: Date | string;
}

/** Builds a validated event envelope. Throws EventValidationError if the payload breaks its schema. */
export function createEvent<T extends EventType>(eventType: T, payload: PayloadOf<T>, options: NewEventOptions): DomainEvent<T> {
  const occurredAt = options.occurredAt ?? new Date();
  return validateEvent({
    eventId: options.eventId ?? crypto.randomUUID(),
    eventType,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    sourceService: options.sourceService,
    payload,
  }) as DomainEvent<T>;
}

/** Checks an already-parsed value against the envelope and its eventType's payload schema. */
export function validateEvent(value: unknown): DomainEvent {
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) {
    throw new EventValidationError('invalid-envelope', `invalid event envelope: ${summarize(envelope.error)}`, envelope.error.issues);
  }
  const { eventType } = envelope.data;
  if (!isEventType(eventType)) {
    throw new EventValidationError('unknown-event-type', `unknown eventType "${eventType}"`);
  }
  const payload = catalog[eventType].payload.safeParse(envelope.data.payload);
  if (!payload.success) {
    throw new EventValidationError('invalid-payload', `invalid ${eventType} payload: ${summarize(payload.error)}`, payload.error.issues);
  }
  return { ...envelope.data, eventType, payload: payload.data } as DomainEvent;
}

/** Parses a message body (bytes or text) into a validated event. */
export function parseEvent(body: Buffer | string): DomainEvent {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (error) {
    throw new EventValidationError('malformed-json', `body is not JSON: ${(error as Error).message}`);
  }
  return validateEvent(value);
}

function summarize(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
