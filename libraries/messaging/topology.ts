import type { ChannelModel, Options } from 'amqplib';
import {
  serviceOfSource,
  serviceRegistry,
  sourceServices,
  exchanges,
  type Exchange,
  type ServiceIdentity,
  type ServiceName,
  type SourceService,
  type Subscription,
} from '../config/services';
import { catalog, type EventType } from '../events/catalog';

export interface Binding {
  exchange: Exchange;
  pattern: string;
}

export interface QueueSpec {
  name: string;
  bindings: Binding[];
  /** Bindings an earlier release made that this one removes (unbinding one that is not there is a no-op). */
  retired?: Binding[];
}

/** Everything a process declares on (re)connect. Declaring is idempotent. */
export interface Topology {
  queues: QueueSpec[];
  /** One delay queue per distinct retry delay (see retry-policy). */
  retryDelaysMs: number[];
}

/** Headers exchange through which a retried message reaches the delay queue for its delay. */
export const retryExchange = 'hap.retry';
// Not x-…: a headers exchange ignores x- headers when matching.
export const retryDelayHeader = 'hap-retry-delay-ms';

/** Direct exchange through which a consumer parks a message in `<queue>.dlq` (bound by its own name), so no one needs the default exchange. */
export const deadLetterExchange = 'hap.dlq';

export const dlqName = (queue: string) => `${queue}.dlq`;
/**
 * Every event ever published on a service exchange, in order, kept (a
 * RabbitMQ stream bound to each exchange): what an instance whose read model
 * is empty replays before it takes its own queue (libraries/runtime/catch-up.ts).
 */
export const historyStream = 'hap.history';
export const delayQueueName = (delayMs: number) => `${retryExchange}.${delayMs}ms`;

/**
 * Work that must happen once per service (a saga step) goes to one queue per
 * service with competing consumers (docs/design.md §3). Its bindings are the
 * registry's (libraries/config/services.ts).
 */
export function sagaQueue(service: SourceService): QueueSpec {
  return { name: `${service}.saga`, bindings: registry[serviceOfSource(service)].saga.map(binding) };
}

/** State every instance keeps for itself (its read model) is fed by one queue per instance. */
export function instanceQueue(service: SourceService, instanceId: string): QueueSpec {
  const { readModel, retiredReadModel = [] } = registry[serviceOfSource(service)];
  return { name: `${service}.${instanceId}.events`, bindings: readModel.map(binding), retired: retiredReadModel.map(binding) };
}

/** Every saga queue: one per service whose registry entry subscribes it to saga work (or replies). */
export function sagaQueues(): QueueSpec[] {
  return sourceServices.filter((service) => registry[serviceOfSource(service)].saga.length > 0).map(sagaQueue);
}

/** The queues of every service for the given instances; what `npm start` declares. */
export function systemQueues(instanceIds: readonly string[]): QueueSpec[] {
  return [...sagaQueues(), ...sourceServices.flatMap((service) => instanceIds.map((id) => instanceQueue(service, id)))];
}

// Every event the registry subscribes to is one of the catalog's, every exchange one of the registry's.
const registry: Record<ServiceName, ServiceIdentity<EventType, Exchange>> = serviceRegistry;

/** One event: its exchange and routing key from the catalog. A pattern: as it is. */
function binding(subscription: Subscription<EventType, Exchange>): Binding {
  if ('event' in subscription) return { exchange: catalog[subscription.event].exchange, pattern: catalog[subscription.event].routingKey };
  return { exchange: subscription.exchange, pattern: subscription.pattern };
}

/** The channel operations that declaring needs; satisfied by amqplib channels. */
export interface DeclaringChannel {
  assertExchange(exchange: string, type: string, options?: Options.AssertExchange): Promise<unknown>;
  assertQueue(queue: string, options?: Options.AssertQueue): Promise<unknown>;
  bindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<unknown>;
  unbindQueue(queue: string, source: string, pattern: string): Promise<unknown>;
}

/**
 * Quorum queues: replicated and durable, the no-loss choice. A message that keeps
 * killing its consumer is dead-lettered by the broker after the delivery limit.
 */
const workQueueArguments = (queue: string) => ({
  'x-queue-type': 'quorum',
  'x-dead-letter-exchange': '',
  'x-dead-letter-routing-key': dlqName(queue),
  'x-delivery-limit': 10,
});

export async function declareTopology(channel: DeclaringChannel, topology: Topology): Promise<void> {
  for (const exchange of exchanges) {
    await channel.assertExchange(exchange, 'topic', { durable: true });
  }
  await channel.assertExchange(retryExchange, 'headers', { durable: true });
  await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
  for (const delayMs of new Set(topology.retryDelaysMs)) {
    const name = delayQueueName(delayMs);
    // Expired messages go back through the default exchange under their original
    // routing key, which the consumer set to the name of the queue to retry on.
    await channel.assertQueue(name, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-message-ttl': delayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    await channel.bindQueue(name, retryExchange, '', { 'x-match': 'all', [retryDelayHeader]: String(delayMs) });
  }
  // Retained until there is no room: each exchange's history, for read models that start empty.
  await channel.assertQueue(historyStream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  for (const exchange of exchanges) await channel.bindQueue(historyStream, exchange, '#');
  for (const queue of topology.queues) {
    await channel.assertQueue(dlqName(queue.name), { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(dlqName(queue.name), deadLetterExchange, dlqName(queue.name));
    await channel.assertQueue(queue.name, { durable: true, arguments: workQueueArguments(queue.name) });
    for (const binding of queue.bindings) {
      await channel.bindQueue(queue.name, binding.exchange, binding.pattern);
    }
    for (const binding of queue.retired ?? []) {
      await channel.unbindQueue(queue.name, binding.exchange, binding.pattern);
    }
  }
}

/** A queue or exchange a process needs is not declared: the setup at start (npm start, compose's definitions) has not run. */
export class TopologyMissingError extends Error {}

/**
 * Checks passively (no rights needed) that every exchange and queue of the
 * topology exists: HAP processes configure nothing, the setup user declares
 * it all before they start. Each check has a channel of its own, since a
 * failed one closes it.
 */
export async function checkTopology(connection: Pick<ChannelModel, 'createChannel'>, topology: Topology): Promise<void> {
  const check = async (kind: 'exchange' | 'queue', name: string) => {
    const channel = await connection.createChannel();
    channel.on('error', () => {});
    try {
      await (kind === 'exchange' ? channel.checkExchange(name) : channel.checkQueue(name));
      await channel.close();
    } catch {
      throw new TopologyMissingError(
        `the ${kind} ${name} is not declared; the setup user declares it at start (npm start, or compose's definitions)`,
      );
    }
  };
  for (const exchange of [...exchanges, retryExchange, deadLetterExchange]) await check('exchange', exchange);
  for (const delayMs of new Set(topology.retryDelaysMs)) await check('queue', delayQueueName(delayMs));
  await check('queue', historyStream);
  for (const queue of topology.queues) {
    await check('queue', queue.name);
    await check('queue', dlqName(queue.name));
  }
}

/** AMQP topic matching: `*` is one word, `#` zero or more. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const match = (p: string[], k: string[]): boolean => {
    if (p.length === 0) return k.length === 0;
    const [head, ...rest] = p;
    if (head === '#') return match(rest, k) || (k.length > 0 && match(p, k.slice(1)));
    return k.length > 0 && (head === '*' || head === k[0]) && match(rest, k.slice(1));
  };
  return match(pattern.split('.'), routingKey.split('.'));
}
