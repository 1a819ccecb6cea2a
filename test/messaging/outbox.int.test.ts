import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../libraries/observability/logging/logger';
import type { Broker } from '../../libraries/messaging/broker';
import { enqueueEvents } from '../../libraries/messaging/outbox';
import { OutboxRelay } from '../../libraries/messaging/outbox-relay';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../../libraries/common/eventually';
import { testQueue } from '../support/probes';
import { QueueProbe } from '../support/queue-probe';
import { sampleEvent } from '../support/sample-events';
import { TcpProxy } from '../support/tcp-proxy';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';

const queue = testQueue('outbox-test.events', 'hap.patients', 'patient.*');

describe('outbox: a broker outage loses no event', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let broker: Broker;
  let probe: QueueProbe;
  let relay: OutboxRelay;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost('outbox'), createTestDatabase('outbox')]);
    let viaProxy: string;
    ({ proxy, url: viaProxy } = await TcpProxy.inFrontOf(vhost.url, 5672));
    broker = await connectTestBroker(viaProxy, 'outbox-test', { queues: [queue], publishTimeoutMs: 1000, heartbeatSeconds: 1 });
    probe = await QueueProbe.open(vhost.url);
    relay = new OutboxRelay({
      pool: database.pool,
      publisher: broker,
      logger: silentLogger,
      pollIntervalMs: 200,
      maxBackoffMs: 500,
      batchSize: 20,
    });
    relay.start();
  });

  afterAll(async () => {
    await relay?.stop();
    await broker?.close();
    await proxy?.close();
    await probe?.close();
    await Promise.all([vhost?.remove(), database?.remove()]);
  });

  async function unpublished(): Promise<number> {
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM messaging_outbox WHERE published_at IS NULL');
    return rows[0].n;
  }

  it('relays a committed event and nothing from a rolled-back transaction', async () => {
    const committed = sampleEvent('PatientRegistered');
    await database.db.transaction((tx) => enqueueEvents(tx, [committed], { correlationId: 'c-1' }));
    await database.db
      .transaction(async (tx) => {
        await enqueueEvents(tx, [sampleEvent('PatientUpdated')]);
        throw new Error('the state change failed');
      })
      .catch(() => {});

    const [message] = await probe.take(queue.name, 1);
    expect(JSON.parse(message!.content.toString())).toEqual(committed);
    expect(message!.properties.headers?.['x-correlation-id']).toBe('c-1');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await probe.count(queue.name)).toBe(0);
  });

  it('delivers every event written while the broker was unreachable, once it is back, none doubled', async () => {
    await proxy.cut();
    const events = Array.from({ length: 60 }, () => sampleEvent('PatientRegistered'));
    for (let i = 0; i < events.length; i += 3) {
      await database.db.transaction((tx) => enqueueEvents(tx, events.slice(i, i + 3)));
    }
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the relay tries and fails meanwhile
    expect(await unpublished()).toBe(60);
    expect(await probe.count(queue.name)).toBe(0);

    await proxy.open();
    const messages = await probe.take(queue.name, 60, 30_000);
    await eventually(async () => expect(await unpublished()).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    messages.push(...(await probe.drain(queue.name)));

    const ids = messages.map((message) => message.properties.messageId);
    expect(ids).toHaveLength(60);
    expect(new Set(ids)).toEqual(new Set(events.map((event) => event.eventId)));
  });
});
