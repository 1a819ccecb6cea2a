import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../libraries/events/catalog';
import { silentLogger } from '../../libraries/observability/logging/logger';
import type { Broker } from '../../libraries/messaging/broker';
import { Consumer } from '../../libraries/messaging/consumer';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { eventually } from '../../libraries/common/eventually';
import { testQueue } from '../support/probes';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';

const queue = testQueue('reconnect-test.events', 'hap.physicians', 'physician.*');

describe('connection recovery', () => {
  let vhost: TestVhost;
  let broker: Broker;
  let consumer: Consumer;
  const received: DomainEvent[] = [];

  beforeAll(async () => {
    vhost = await createTestVhost('reconnect');
    broker = await connectTestBroker(vhost.url, 'reconnect-test', { queues: [queue] });
    consumer = await Consumer.start(broker, {
      queue: queue.name,
      handler: async (event) => {
        received.push(event);
      },
      prefetch: 4,
      retry: { delaysMs: [100], maxRetries: 1, retryForMs: 60_000 },
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await broker?.close();
    await vhost?.remove();
  });

  it('keeps publishing and consuming after the broker force-closes its connections', async () => {
    const before = sampleEvent('PhysicianRegistered');
    await publishEvent(broker, before);
    await eventually(() => expect(received.map((event) => event.eventId)).toEqual([before.eventId]));

    expect(broker.connects).toBe(1);
    await vhost.closeAllConnections();
    await eventually(() => expect(broker.connects).toBe(2), { timeoutMs: 10_000 });

    const after = [sampleEvent('PhysicianUpdated'), sampleEvent('PhysicianDeactivated')];
    for (const event of after) await publishEvent(broker, event);
    await eventually(
      () => expect(received.map((event) => event.eventId)).toEqual([before.eventId, ...after.map((event) => event.eventId)]),
      {
        timeoutMs: 20_000,
      },
    );
  });
});
