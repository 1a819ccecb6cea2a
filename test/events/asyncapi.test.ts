import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { catalog, eventTypes } from '../../libraries/events/catalog';
import { asyncApiDocument } from '../../libraries/messaging/asyncapi';

describe('the AsyncAPI document (libraries/messaging/asyncapi.ts)', () => {
  const document = asyncApiDocument();

  it('is valid AsyncAPI 3.0 to the AsyncAPI parser, with no error and no warning', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
    expect(diagnostics.filter((diagnostic) => diagnostic.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(parsed?.version()).toBe('3.0.0');
    expect(
      parsed!
        .messages()
        .all()
        .map((message) => message.id())
        .sort(),
    ).toEqual([...eventTypes].sort());
  });

  it('names each event’s exchange and routing key, and its payload schema from the catalog', () => {
    for (const type of eventTypes) {
      const channel = document.channels[type]!;
      expect(channel.address).toBe(catalog[type].routingKey);
      expect(channel.bindings.amqp.exchange.name).toBe(catalog[type].exchange);
      const payload = document.components.messages[type]!.payload as { properties: Record<string, { const?: string }>; required: string[] };
      expect(payload.properties.eventType?.const).toBe(type);
      expect(payload.required).toEqual(expect.arrayContaining(['eventId', 'eventType', 'occurredAt', 'sourceService', 'payload']));
    }
    expect(Object.keys(document.components.schemas.EventHeaders.properties)).toEqual(
      expect.arrayContaining(['x-correlation-id', 'x-saga-id', 'x-retry-count']),
    );
  });

  it('says who sends each event and which queues take it', () => {
    const operations = Object.entries(document.operations) as [string, { action: string; 'x-queue'?: string; 'x-consumer'?: string }][];
    for (const type of eventTypes) expect(document.operations).toHaveProperty([`${catalog[type].sentBy}.send.${type}`]);
    const takes = (queue: string) =>
      operations
        .filter(([, operation]) => operation['x-queue'] === queue)
        .map(([id]) => id.split('.receive.')[1])
        .sort();
    expect(takes('patient-service.saga')).toEqual(['ConsultationSchedulingStarted']);
    expect(takes('physician-service.saga')).toEqual(['ConsultationCancelled', 'ConsultationScheduled', 'ConsultationSchedulingStarted']);
    expect(takes('patient-service.{instance}.events')).toEqual(
      expect.arrayContaining(['PatientRegistered', 'PatientUpdated', 'PatientDeactivated', 'ConsultationScheduled']),
    );
    // The bridge takes scheduling's saga queue: the replies that reach the workflows.
    const replies = operations.filter(([, operation]) => operation['x-queue'] === 'scheduling-service.saga');
    expect(replies.length).toBeGreaterThan(0);
    for (const [, operation] of replies) expect(operation['x-consumer']).toBe('bridge');
  });
});
