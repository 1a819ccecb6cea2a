import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger';
import type { Broker } from '../../messaging/broker';
import { Consumer } from '../../messaging/consumer';
import { idempotent } from '../../messaging/inbox';
import { dlqName } from '../../messaging/topology';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../../lib/eventually';
import { QueueProbe } from '../support/queue-probe';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';
import { createMetrics } from '../../metrics';

const retry = { delaysMs: [100], maxRetries: 5, retryForMs: 60_000 };
const queue = { name: 'inbox-test.events', bindings: [] };

describe('inbox: the same event twice is applied once (docs/specification.md §8.4)', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let broker: Broker;
  let probe: QueueProbe;
  let consumer: Consumer | undefined;
  let deliveries = 0;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost('inbox'), createTestDatabase('inbox')]);
    await database.pool.query('CREATE TABLE applications (patient_id uuid PRIMARY KEY, name text NOT NULL, times integer NOT NULL)');
    broker = await connectTestBroker(vhost.url, 'inbox-test', { queues: [queue], retryDelaysMs: retry.delaysMs });
    probe = await QueueProbe.open(vhost.url);
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await database.pool.query('TRUNCATE applications, messaging_inbox');
  });

  afterAll(async () => {
    await probe?.close();
    await broker?.close();
    await Promise.all([vhost?.remove(), database?.remove()]);
  });

  const metrics = createMetrics({ service: 'inbox-test', instance: 'instance-1' });

  /** A projection that counts how often it really ran: an upsert, as read models do. */
  function start(beforeCommit: () => void = () => {}) {
    const handler = idempotent(database.db, 'test-projection', async (event, tx) => {
      if (event.eventType !== 'PatientRegistered') return;
      await tx.execute(sql`
        INSERT INTO applications (patient_id, name, times) VALUES (${event.payload.patientId}, ${event.payload.name}, 1)
        ON CONFLICT (patient_id) DO UPDATE SET name = excluded.name, times = applications.times + 1`);
      beforeCommit();
    });
    const counted = async (...args: Parameters<typeof handler>) => {
      const outcome = await handler(...args);
      deliveries += 1;
      return outcome;
    };
    return Consumer.start(broker, { queue: queue.name, handler: counted, prefetch: 16, retry, logger: silentLogger, metrics });
  }

  async function applications() {
    return (await database.pool.query('SELECT name, times FROM applications')).rows;
  }

  it('ignores a redelivery, including duplicates that arrive at the same time', async () => {
    consumer = await start();
    const event = sampleEvent('PatientRegistered');
    const body = JSON.stringify(event);
    deliveries = 0;
    await Promise.all(Array.from({ length: 5 }, () => probe.publish('', queue.name, body)));
    await eventually(() => expect(deliveries).toBe(5));
    await consumer.stop();
    await probe.publish('', queue.name, body);
    consumer = await start();
    await eventually(() => expect(deliveries).toBe(6));

    expect(await applications()).toEqual([{ name: event.payload.name, times: 1 }]);
    const inbox = await database.pool.query('SELECT consumer, event_id FROM messaging_inbox');
    expect(inbox.rows).toEqual([{ consumer: 'test-projection', event_id: event.eventId }]);
    expect(await probe.count(dlqName(queue.name))).toBe(0);
    // Counted for what they were: one applied, five seen before.
    const consumed = (await metrics.messagesConsumed.get()).values;
    expect(consumed.map(({ labels, value }) => [labels.outcome, value]).sort()).toEqual([
      ['acked', 1],
      ['duplicate', 5],
    ]);
  });

  it('records nothing when the handler fails, so the retry applies it', async () => {
    let failures = 0;
    consumer = await start(() => {
      if (failures++ === 0) throw new Error('crash after the write, before the commit');
    });
    const event = sampleEvent('PatientRegistered');
    await probe.publish('', queue.name, JSON.stringify(event));
    await eventually(async () => expect(await applications()).toEqual([{ name: event.payload.name, times: 1 }]));
    expect(failures).toBe(2);
  });
});
