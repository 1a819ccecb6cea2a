/**
 * Broker benchmark: publish-with-confirms and consume rates of the messaging
 * library against the real RabbitMQ (and PostgreSQL for the inbox case).
 *   npm run bench:broker [-- --messages 20000]
 * Works in a throw-away queue and database; prints a table and JSON.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env';
import { databaseName, databaseUrl, dropDatabase, ensureDatabase } from '../db/database';
import { runMigrations } from '../db/migrate';
import { openDatabase } from '../db/pool';
import { type DomainEvent } from '../events/catalog';
import { createEvent } from '../events/catalog';
import { silentLogger } from '../logging/logger';
import { Broker } from '../messaging/broker';
import { Consumer, type EventHandler } from '../messaging/consumer';
import { idempotent } from '../messaging/inbox';
import { encodeEvent } from '../messaging/message';
import { messagingMigrations } from '../messaging/migration-set';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '20000' }, window: { type: 'string', default: '500' } } });
const total = Number(values.messages);
const window = Number(values.window);
const config = loadConfig();
const runId = Math.random().toString(36).slice(2, 8);
const queue = `hap.bench.${runId}`;

function event(): DomainEvent {
  const now = new Date().toISOString();
  return createEvent(
    'PatientRegistered',
    { patientId: crypto.randomUUID(), name: 'Bench Patient', email: 'bench@example.org', birthDate: null, phone: null, status: 'ACTIVE', version: 1, createdAt: now, updatedAt: now },
    { sourceService: 'patient-service' },
  );
}

async function publishAll(broker: Broker, count: number, inFlight: number): Promise<number> {
  const messages = Array.from({ length: count }, () => ({ ...encodeEvent(event()), exchange: '', routingKey: queue }));
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

async function consumeAll(broker: Broker, count: number, handler: EventHandler, prefetch: number): Promise<number> {
  let seen = 0;
  let started = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const consumer = await Consumer.start(broker, {
    queue,
    prefetch,
    retry: { delaysMs: [1000], maxRetries: 3 },
    logger: silentLogger,
    handler: async (e, context) => {
      if (seen === 0) started = performance.now();
      await handler(e, context);
      if (++seen === count) done();
    },
  });
  await finished;
  const rate = count / ((performance.now() - started) / 1000);
  await consumer.stop();
  return rate;
}

async function main() {
  const broker = await Broker.connect({
    url: config.AMQP_URL,
    connectionName: 'bench',
    topology: { queues: [{ name: queue, bindings: [] }], retryDelaysMs: [] },
    logger: silentLogger,
  });
  const dbName = databaseName(config.DB_PREFIX, 'bench', runId);
  await ensureDatabase(config.PG_URL, dbName);
  const database = openDatabase(databaseUrl(config.PG_URL, dbName), { max: 16 });
  await runMigrations(database.pool, [messagingMigrations]);
  const results: Record<string, number> = {};
  try {
    const sequential = Math.min(2000, total);
    results.publishConfirmedSequentialPerSecond = await publishAll(broker, sequential, 1);
    results.publishConfirmedPerSecond = await publishAll(broker, total, window);
    const noop: EventHandler = async () => {};
    results.consumePerSecond = await consumeAll(broker, total + sequential, noop, config.AMQP_PREFETCH);

    await publishAll(broker, total, window);
    const inbox = idempotent(database.db, 'bench', async () => {});
    results.consumeWithInboxPerSecond = await consumeAll(broker, total, inbox, config.AMQP_PREFETCH);
  } finally {
    await database.close();
    await dropDatabase(config.PG_URL, dbName);
    const channel = broker.createChannel('cleanup', async (ch) => {
      await ch.deleteQueue(queue);
      await ch.deleteQueue(`${queue}.dlq`);
    });
    await channel.waitForConnect();
    await channel.close();
    await broker.close();
  }
  console.log(`\nHAP broker benchmark: ${total} messages, ${window} publishes in flight, prefetch ${config.AMQP_PREFETCH}\n`);
  console.table(Object.fromEntries(Object.entries(results).map(([name, rate]) => [name, { 'msg/s': Math.round(rate) }])));
  console.log(JSON.stringify({ messages: total, window, prefetch: config.AMQP_PREFETCH, ...mapValues(results, Math.round) }));
}

function mapValues(record: Record<string, number>, map: (value: number) => number) {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

await main();
