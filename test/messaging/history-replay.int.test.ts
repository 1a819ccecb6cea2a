import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Teardown } from '../../libraries/common/teardown';
import { createEvent } from '../../libraries/events/catalog';
import type { Broker } from '../../libraries/messaging/broker';
import { replayHistory } from '../../libraries/messaging/history-replay';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';

/**
 * The replay of the history stream reaches the stream's end however slowly
 * the read model applies events: a prefetched batch that takes longer to
 * apply than the idle time is not the end of the history.
 */
describe('history replay', () => {
  const opened = new Teardown();
  let vhost: TestVhost;
  let broker: Broker;
  const events = 400;

  beforeAll(async () => {
    vhost = opened.add(await createTestVhost('history-replay'), (made) => made.remove());
    broker = opened.add(await connectTestBroker(vhost.url, 'history-replay-test'), (made) => made.close());
    for (let n = 0; n < events; n++) {
      const { payload } = sampleEvent('PhysicianUpdated');
      await publishEvent(broker, createEvent('PhysicianUpdated', { ...payload, version: n + 2 }, { sourceService: 'physician-service' }));
    }
  });
  afterAll(() => opened.run());

  it('applies every event of the stream when applying a prefetched batch outlasts the idle time', async () => {
    const applied: number[] = [];
    const counts = await replayHistory({
      broker,
      queue: { name: 'history-replay-test.events', bindings: [{ exchange: 'hap.physicians', pattern: 'physician.*' }] },
      // 2 ms an event: a batch of 100 takes 200 ms, four times the idle time.
      handler: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        applied.push((event.payload as { version: number }).version);
      },
      publishers: { self: broker.user, senderOf: () => broker.user },
      logger: silentLogger,
      idleMs: 50,
      prefetch: 100,
    });
    expect(counts).toEqual({ applied: events, skipped: 0 });
    expect(applied).toEqual(Array.from({ length: events }, (_, n) => n + 2));
  });
});
