import { randomUUID } from 'node:crypto';
import { catalog, eventTypes } from '../../../libraries/events/catalog';
import type { BrokerPrincipal } from '../../../libraries/config/broker-principals';
import type { OutgoingMessage } from '../../../libraries/messaging/message';
import { publishAs } from '../publish-as';
import type { Scenario } from '../scenario';

const COUNT = 100;
const kinds = ['not JSON', 'unknown type', 'breaks the schema'] as const;

/** One poison message, routed as a real event would be so that every queue bound to that event receives it. */
function poison(index: number): { sender: BrokerPrincipal; message: OutgoingMessage } {
  const type = eventTypes[index % eventTypes.length]!;
  const definition = catalog[type];
  const messageId = randomUUID();
  const kind = kinds[index % kinds.length]!;
  const envelope = {
    eventId: messageId,
    eventType: kind === 'unknown type' ? 'ChaosMonkeyArrived' : type,
    occurredAt: new Date().toISOString(),
    sourceService: definition.publishedBy,
    payload: { chaos: true },
  };
  const content = kind === 'not JSON' ? Buffer.from(`chaos ${index} {{{ not json`) : Buffer.from(JSON.stringify(envelope));
  return {
    sender: definition.sentBy,
    message: {
      exchange: definition.exchange,
      routingKey: definition.routingKey,
      content,
      options: { messageId, type: envelope.eventType, contentType: 'application/json', persistent: true, headers: { 'hap-chaos': kind } },
    },
  };
}

/**
 * 100 poison messages spread over every event type and so over every
 * exchange, from the event's real sender: a body that is not JSON, an
 * event type no one knows, a payload that breaks its schema. Each must
 * end in the DLQ of every queue it reached, and nothing else may.
 */
export const poisonMessages: Scenario = {
  name: 'poison-messages',
  summary: `${COUNT} poison messages (not JSON, unknown type, schema-breaking) over every exchange`,
  contained: true,
  inject: async ({ system, log, expectDeadLetters }) => {
    const messages = Array.from({ length: COUNT }, (_, i) => poison(i));
    expectDeadLetters(
      messages.map(({ message }) => ({
        messageId: message.options.messageId!,
        exchange: message.exchange,
        routingKey: message.routingKey,
      })),
    );
    log(`sending ${COUNT} poison messages`);
    await publishAs(system, messages);
  },
};
