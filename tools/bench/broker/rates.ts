/**
 * Broker rates of the messaging library against the real RabbitMQ:
 * publish-with-confirms (one at a time, and a window in flight) and consume
 * (no-op handler, and with the PostgreSQL inbox). Works in a throw-away queue
 * and database that it removes again.
 */
import { databaseName, databaseUrl, dropDatabase, ensureDatabase } from '../../../libraries/db/database';
import { runMigrations } from '../../../libraries/db/migrate';
import { openDatabase } from '../../../libraries/db/pool';
import { createEvent, type DomainEvent } from '../../../libraries/events/catalog';
import { silentLogger } from '../../../libraries/observability/logging/logger';
import { Broker } from '../../../libraries/messaging/broker';
import { Consumer, type EventHandler } from '../../../libraries/messaging/consumer';
import { idempotent } from '../../../libraries/messaging/inbox';
import { encodeEvent } from '../../../libraries/messaging/message';
import { messagingMigrations } from '../../../libraries/messaging/migration-set';

export interface BrokerRateOptions {
  amqpUrl: string;
  pgUrl: string;
  dbPrefix: string;
  /** Messages per measurement. */
  messages: number;
  /** Publishes in flight (unconfirmed) at once. */
  window: number;
  prefetch: number;
}

export interface BrokerRates {
  publishConfirmedSequentialPerSecond: number;
  publishConfirmedPerSecond: number;
  consumePerSecond: number;
  consumeWithInboxPerSecond: number;
}

function sampleEvent(): DomainEvent {
  const now = new Date().toISOString();
  return createEvent(
    'PatientRegistered',
    {
      patientId: crypto.randomUUID(),
      name: 'Bench Patient',
      email: 'bench@example.org',
      birthDate: null,
      phone: null,
      status: 'ACTIVE',
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
    { sourceService: 'patient-service' },
  );
}

async function publishAll(broker: Broker, queue: string, count: number, inFlight: number): Promise<number> {
  const messages = Array.from({ length: count }, () => ({ ...encodeEvent(sampleEvent()), exchange: '', routingKey: queue }));
  const started = performance.now();
  let next = 0;
  // A bounded window of unconfirmed publishes, as a relay or a busy service would keep.
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < messages.length) await broker.publish(messages[next++]!);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function consumeAll(broker: Broker, queue: string, count: number, handler: EventHandler, prefetch: number): Promise<number> {
  let seen = 0;
  let started = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const consumer = await Consumer.start(broker, {
    queue,
    prefetch,
    retry: { delaysMs: [1000], maxRetries: 3, retryForMs: 60_000 },
    logger: silentLogger,
    handler: async (event, context) => {
      if (seen === 0) started = performance.now();
      await handler(event, context);
      if (++seen === count) done();
    },
  });
  await finished;
  const rate = count / ((performance.now() - started) / 1000);
  await consumer.stop();
  return rate;
}

export async function measureBrokerRates(options: BrokerRateOptions): Promise<BrokerRates> {
  const runId = Math.random().toString(36).slice(2, 8);
  const queue = `hap.bench.${runId}`;
  const broker = await Broker.connect({
    url: options.amqpUrl,
    connectionName: 'bench',
    topology: { queues: [{ name: queue, bindings: [] }], retryDelaysMs: [] },
    // The bench plays the setup user in a vhost of its own.
    declare: true,
    logger: silentLogger,
  });
  const dbName = databaseName(options.dbPrefix, 'bench', runId);
  await ensureDatabase(options.pgUrl, dbName);
  const database = openDatabase(databaseUrl(options.pgUrl, dbName), { max: 16 });
  try {
    await runMigrations(database.pool, [messagingMigrations]);
    const { messages, window, prefetch } = options;
    const sequential = Math.min(2000, messages);
    const publishConfirmedSequentialPerSecond = await publishAll(broker, queue, sequential, 1);
    const publishConfirmedPerSecond = await publishAll(broker, queue, messages, window);
    const consumePerSecond = await consumeAll(broker, queue, messages + sequential, async () => {}, prefetch);
    await publishAll(broker, queue, messages, window);
    const inbox = idempotent(database.db, 'bench', async () => {});
    const consumeWithInboxPerSecond = await consumeAll(broker, queue, messages, inbox, prefetch);
    return { publishConfirmedSequentialPerSecond, publishConfirmedPerSecond, consumePerSecond, consumeWithInboxPerSecond };
  } finally {
    await database.close();
    await dropDatabase(options.pgUrl, dbName);
    const channel = broker.createChannel('cleanup', async (ch) => {
      await ch.deleteQueue(queue);
      await ch.deleteQueue(`${queue}.dlq`);
    });
    await channel.waitForConnect();
    await channel.close();
    await broker.close();
  }
}
