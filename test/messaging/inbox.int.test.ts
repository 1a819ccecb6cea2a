import { sql } from 'drizzle-orm';
import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../libraries/observability/logging/logger';
import type { Broker } from '../../libraries/messaging/broker';
import { Consumer } from '../../libraries/messaging/consumer';
import { idempotent, idempotentStatement } from '../../libraries/messaging/inbox';
import { upsertIfNewerStatement } from '../../libraries/db/upsert';
import { dlqName } from '../../libraries/messaging/topology';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../../libraries/common/eventually';
import { QueueProbe } from '../support/queue-probe';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';
import { createMetrics } from '../../libraries/observability/metrics';

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

describe('inbox in one statement: a projection that converges on its own goes with its claim', () => {
  let database: TestDatabase;
  const views = pgTable('views', { id: uuid('id').primaryKey(), name: text('name').notNull(), version: integer('version').notNull() });
  const context = { queue: 'q', headers: {}, redelivered: false, logger: silentLogger };
  let project: ReturnType<typeof idempotentStatement>;

  beforeAll(async () => {
    database = await createTestDatabase('inbox-statement');
    await database.pool.query('CREATE TABLE views (id uuid PRIMARY KEY, name text NOT NULL, version integer NOT NULL)');
    // A read model's kind of projection: a versioned upsert of patients, nothing for other events.
    project = idempotentStatement(database.db, 'statement-projection', (event, db, fresh) =>
      event.eventType === 'PatientRegistered' || event.eventType === 'PatientUpdated'
        ? upsertIfNewerStatement(
            db,
            views,
            { id: event.payload.patientId, name: event.payload.name, version: event.payload.version },
            { id: views.id, version: views.version },
            fresh,
          )
        : undefined,
    );
  });

  afterAll(async () => {
    await database?.remove();
  });

  const rows = async () => (await database.pool.query('SELECT name, version FROM views')).rows;
  const claims = async () =>
    (await database.pool.query("SELECT event_id FROM messaging_inbox WHERE consumer = 'statement-projection'")).rows;

  it('applies an event once, tells the duplicates, concurrent ones too, and claims what it does not project', async () => {
    const registered = sampleEvent('PatientRegistered', { name: 'Ana Lima', version: 1 });
    expect(await project(registered, context)).toBeUndefined();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => project(registered, context)));
    expect(outcomes).toEqual(Array(5).fill('duplicate'));

    const renamed = sampleEvent('PatientUpdated', { patientId: registered.payload.patientId, name: 'Ana L. Lima', version: 2 });
    const late = sampleEvent('PatientUpdated', { patientId: registered.payload.patientId, name: 'stale', version: 1 });
    const [first, second] = await Promise.all([project(renamed, context), project(renamed, context)]);
    expect([first, second].sort()).toEqual([undefined, 'duplicate'].sort());
    expect(await project(late, context)).toBeUndefined(); // new to the inbox, older than the view: nothing moves back
    // The same id again with a newer snapshot: only the claim, not the version, can keep it out.
    const reused = { ...renamed, payload: { ...renamed.payload, name: 'reused id', version: 9 } };
    expect(await project(reused, context)).toBe('duplicate');
    expect(await rows()).toEqual([{ name: 'Ana L. Lima', version: 2 }]);

    const unprojected = sampleEvent('PhysicianRegistered');
    expect(await project(unprojected, context)).toBeUndefined();
    expect(await project(unprojected, context)).toBe('duplicate');
    expect((await claims()).length).toBe(4);
  });
});
