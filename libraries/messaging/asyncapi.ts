import { z } from 'zod';
import { brokerPrincipals, type BrokerPrincipal } from '../config/broker-principals';
import { serviceNames, serviceRegistry, type ServiceIdentity } from '../config/services';
import { catalog, eventTypes, type EventType } from '../events/catalog';
import { envelopeSchema, headerNames } from '../events/envelope';
import { instanceQueue, sagaQueue, sagaQueues, topicMatches, type QueueSpec } from './topology';

const amqpBinding = '0.3.0';
// Without $schema: inside an AsyncAPI document the schema format is the document's own (a JSON Schema draft 7 superset).
const schemaOf = (schema: z.ZodType) => {
  const { $schema: _draft, ...json } = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
};

/** The headers every event carries (docs/design.md §2.1). */
const headersSchema = {
  type: 'object',
  properties: {
    [headerNames.correlationId]: { type: 'string', description: 'the request that caused the event; every event it causes carries it' },
    [headerNames.sagaId]: { type: 'string', description: "the saga's Temporal workflow id, on every saga event and reply" },
    [headerNames.retryCount]: { type: 'integer', minimum: 0, description: '0 on first publication; raised by the consumer on each retry' },
    traceparent: { type: 'string', description: 'W3C trace context of the publish (docs/design.md §11)' },
  },
  required: [headerNames.retryCount],
};

/** Who consumes a queue: its service, or the process that takes the service's saga queue. */
function consumerOf(queue: QueueSpec): BrokerPrincipal {
  const name = serviceNames.find((candidate) => queue.name.startsWith(`${serviceRegistry[candidate].source}.`))!;
  return queue.name === sagaQueue(serviceRegistry[name].source).name
    ? ((serviceRegistry[name] as ServiceIdentity).sagaConsumedBy ?? name)
    : name;
}

const reaches = (queue: QueueSpec, type: EventType) =>
  queue.bindings.some((binding) => binding.exchange === catalog[type].exchange && topicMatches(binding.pattern, catalog[type].routingKey));

/**
 * HAP's events as an AsyncAPI 3.0 document, drawn from the one catalog and the
 * topology: a channel per event (its exchange and routing key), a message per
 * event type whose payload is the envelope with that event's JSON Schema
 * (from the same zod schemas that validate it at both ends), each sender's
 * send operations, and each queue's receive operations. Served by the gateway
 * at GET /asyncapi.json; `{instance}` stands for every instance's own queue.
 */
export function asyncApiDocument() {
  const queues = [...sagaQueues(), ...serviceNames.map((name) => instanceQueue(serviceRegistry[name].source, '{instance}'))];
  const channels = Object.fromEntries(
    eventTypes.map((type) => {
      const { exchange, routingKey, description } = catalog[type];
      return [
        type,
        {
          address: routingKey,
          title: type,
          description,
          messages: { [type]: { $ref: `#/components/messages/${type}` } },
          bindings: {
            amqp: {
              is: 'routingKey',
              exchange: { name: exchange, type: 'topic', durable: true, autoDelete: false },
              bindingVersion: amqpBinding,
            },
          },
        },
      ];
    }),
  );
  const messages = Object.fromEntries(
    eventTypes.map((type) => {
      const { payload, description, publishedBy } = catalog[type];
      const envelope = schemaOf(envelopeSchema.extend({ eventType: z.literal(type), payload }));
      return [
        type,
        {
          name: type,
          title: type,
          summary: description,
          contentType: 'application/json',
          headers: { $ref: '#/components/schemas/EventHeaders' },
          payload: envelope,
          bindings: { amqp: { contentEncoding: 'utf-8', messageType: type, bindingVersion: amqpBinding } },
          'x-published-by': publishedBy,
        },
      ];
    }),
  );
  const operation = (action: 'send' | 'receive', type: EventType, summary: string) => ({
    action,
    summary,
    channel: { $ref: `#/channels/${type}` },
    messages: [{ $ref: `#/channels/${type}/messages/${type}` }],
  });
  const sends = brokerPrincipals.flatMap((principal) =>
    eventTypes
      .filter((type) => catalog[type].sentBy === principal)
      .map((type) => [`${principal}.send.${type}`, operation('send', type, `${principal} publishes ${type} on ${catalog[type].exchange}`)]),
  );
  const receives = queues.flatMap((queue) =>
    eventTypes
      .filter((type) => reaches(queue, type))
      .map((type) => [
        `${queue.name}.receive.${type}`,
        {
          ...operation('receive', type, `${consumerOf(queue)} takes ${type} from ${queue.name}`),
          'x-queue': queue.name,
          'x-consumer': consumerOf(queue),
        },
      ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'HAP events',
      version: '1.0.0',
      description:
        "Every domain event of HAP on RabbitMQ: each service's topic exchange, the routing key and payload of each event, who sends it and which queues take it. " +
        'Generated from the event catalog (libraries/events/catalog.ts) and the topology (libraries/messaging/topology.ts).',
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: { host: '127.0.0.1:5672', protocol: 'amqp', protocolVersion: '0.9.1', description: 'the broker of npm start (AMQP_URL)' },
    },
    channels,
    operations: Object.fromEntries([...sends, ...receives]),
    components: { messages, schemas: { EventHeaders: headersSchema } },
  };
}
