import amqplib, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../libraries/events/errors';
import { eventually } from '../../libraries/common/eventually';
import { Teardown } from '../../libraries/common/teardown';
import { silentLogger } from '../../libraries/observability/logging/logger';
import type { Broker } from '../../libraries/messaging/broker';
import { Consumer } from '../../libraries/messaging/consumer';
import { DeadLetterStore } from '../../libraries/messaging/dead-letter-store';
import { dlqName, type QueueSpec } from '../../libraries/messaging/topology';
import { declareQueues } from '../support/declare';
import { QueueProbe } from '../support/queue-probe';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';

const delays = [200, 400];

describe('DLQ store: an operator lists, looks at, replays and purges dead letters', () => {
  let vhost: TestVhost;
  let broker: Broker;
  let probe: QueueProbe;
  let operator: ChannelModel;
  let consumer: Consumer;
  let store: DeadLetterStore;
  const queue: QueueSpec = { name: 'dlq-tool.events', bindings: [{ exchange: 'hap.patients', pattern: 'dlqtool.#' }] };
  const dlq = dlqName(queue.name);
  // The cause of the failure, which the operator fixes before replaying.
  let broken = true;
  const applied: string[] = [];

  // What beforeAll opened, closed newest first after the tests.
  const opened = new Teardown();

  beforeAll(async () => {
    vhost = opened.add(await createTestVhost('dlq-store'), (made) => made.remove());
    broker = opened.add(await connectTestBroker(vhost.url, 'dlq-store-test', { retryDelaysMs: delays }), (made) => made.close());
    await declareQueues(broker, [queue], delays);
    probe = opened.add(await QueueProbe.open(vhost.url), (made) => made.close());
    operator = opened.add(await amqplib.connect(vhost.url), (made) => made.close());
    consumer = await Consumer.start(broker, {
      queue: queue.name,
      prefetch: 4,
      retry: { delaysMs: delays, maxRetries: 2, retryForMs: 60_000 },
      logger: silentLogger,
      handler: async (event) => {
        if (broken) throw new PermanentError('the handler has a bug', 'permanent-failure');
        applied.push(event.eventId);
      },
    });
    opened.add(consumer, (made) => made.stop());
    store = new DeadLetterStore({
      connection: operator,
      republish: (_queue, message) => broker.publish(message),
      retryDelayMs: delays[0]!,
    });
  });

  afterAll(() => opened.run());

  it('parks, shows, keeps what is still invalid, replays what is fixed exactly once, and purges', async () => {
    const good = sampleEvent('PatientRegistered');
    await probe.publish('', queue.name, JSON.stringify(good));
    await probe.publish('', queue.name, '{"not": json');
    await eventually(async () => expect(await probe.count(dlq)).toBe(2));

    const [listed] = await store.list([queue.name, 'no-such.events']);
    expect(listed).toMatchObject({ queue: dlq, messages: 2 });
    expect(listed!.oldestAgeSeconds).toBeGreaterThanOrEqual(0);

    const shown = await store.show(dlq);
    expect(shown.map((message) => message.reason).sort()).toEqual(['malformed-json', 'permanent-failure']);
    const failed = shown.find((message) => message.reason === 'permanent-failure')!;
    expect(failed).toMatchObject({ messageId: good.eventId, originalQueue: queue.name, envelope: { eventId: good.eventId } });
    // Looking took nothing away (a quorum queue counts what came back a moment later).
    await eventually(async () => expect(await probe.count(dlq)).toBe(2));

    const dry = await store.replay(dlq, 'all', { dryRun: true });
    expect(dry.replayed).toEqual([good.eventId]);
    expect(dry.kept).toHaveLength(1);
    expect(dry.kept[0]!.why).toMatch(/^still invalid: /);
    await eventually(async () => expect(await probe.count(dlq)).toBe(2));

    broken = false;
    const replayed = await store.replay(dlq, { id: good.eventId });
    expect(replayed).toEqual({ replayed: [good.eventId], kept: [] });
    await eventually(() => expect(applied).toEqual([good.eventId]));
    await eventually(async () => expect(await probe.count(dlq)).toBe(1));

    expect(await store.purge(dlq, 'all')).toBe(1);
    await eventually(async () => expect(await probe.count(dlq)).toBe(0));
    expect(applied).toEqual([good.eventId]);
  });
});
