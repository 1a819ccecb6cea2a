import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../libraries/events/catalog';
import { PermanentError } from '../../libraries/events/errors';
import { silentLogger } from '../../libraries/observability/logging/logger';
import type { Broker } from '../../libraries/messaging/broker';
import { Consumer, deadLetterHeaders, type EventHandler } from '../../libraries/messaging/consumer';
import type { RetryPolicy } from '../../libraries/messaging/retry-policy';
import { dlqName, type QueueSpec } from '../../libraries/messaging/topology';
import { declareQueues } from '../support/declare';
import { eventually } from '../../libraries/common/eventually';
import { QueueProbe } from '../support/queue-probe';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';

const retry = { delaysMs: [200, 400, 800], maxRetries: 3, retryForMs: 60_000 };

describe('consumer: acks, retries and dead letters', () => {
  let vhost: TestVhost;
  let broker: Broker;
  let probe: QueueProbe;
  let consumer: Consumer | undefined;
  let queueCounter = 0;

  beforeAll(async () => {
    vhost = await createTestVhost('consumer');
    broker = await connectTestBroker(vhost.url, 'consumer-test', { retryDelaysMs: retry.delaysMs });
    probe = await QueueProbe.open(vhost.url);
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  afterAll(async () => {
    await probe?.close();
    await broker?.close();
    await vhost?.remove();
  });

  /** A queue of its own per test, declared the way the topology declares every queue. */
  async function consume(handler: EventHandler, policy: RetryPolicy = retry): Promise<QueueSpec> {
    const queue: QueueSpec = {
      name: `test-${++queueCounter}.events`,
      bindings: [{ exchange: 'hap.patients', pattern: `test${queueCounter}.#` }],
    };
    await declareQueues(broker, [queue], retry.delaysMs);
    consumer = await Consumer.start(broker, { queue: queue.name, handler, prefetch: 8, retry: policy, logger: silentLogger });
    return queue;
  }

  it('dead-letters malformed JSON, an unknown type and a schema-breaking payload, and goes on consuming', async () => {
    const applied: DomainEvent[] = [];
    const queue = await consume(async (event) => {
      applied.push(event);
    });
    const valid = sampleEvent('PatientRegistered');
    await probe.publish('', queue.name, '{"eventId": oops');
    await probe.publish('', queue.name, JSON.stringify({ ...valid, eventId: crypto.randomUUID(), eventType: 'PatientTeleported' }));
    await probe.publish('', queue.name, JSON.stringify({ ...valid, eventId: crypto.randomUUID(), payload: { name: 42 } }));
    await probe.publish('', queue.name, JSON.stringify(valid));

    const dead = await probe.take(dlqName(queue.name), 3);
    expect(dead.map((message) => message.properties.headers?.[deadLetterHeaders.reason])).toEqual([
      'malformed-json',
      'unknown-event-type',
      'invalid-payload',
    ]);
    for (const message of dead) {
      expect(message.properties.headers?.[deadLetterHeaders.queue]).toBe(queue.name);
      expect(String(message.properties.headers?.[deadLetterHeaders.error])).not.toBe('');
    }
    await eventually(() => expect(applied.map((event) => event.eventId)).toEqual([valid.eventId]));
    expect(await probe.count(queue.name)).toBe(0);
  });

  it('retries a recoverable failure with growing delays and applies it once', async () => {
    const attempts: { at: number; retryCount: number | undefined }[] = [];
    let applied = 0;
    const queue = await consume(async (_event, context) => {
      attempts.push({ at: Date.now(), retryCount: context.headers.retryCount });
      if (attempts.length <= 2) throw new Error('database briefly down');
      applied += 1;
    });
    await probe.publish('', queue.name, JSON.stringify(sampleEvent('PatientUpdated')), { headers: { 'x-correlation-id': 'keep-me' } });

    await eventually(() => expect(applied).toBe(1));
    expect(attempts.map((attempt) => attempt.retryCount)).toEqual([0, 1, 2]);
    const [first, second, third] = attempts.map((attempt) => attempt.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(180);
    expect(third - second).toBeGreaterThanOrEqual(380);
    expect(third - second).toBeGreaterThan(second - first);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(applied).toBe(1);
    expect(await probe.count(dlqName(queue.name))).toBe(0);
  });

  it('dead-letters a message that always fails after the configured tries', async () => {
    let attempts = 0;
    const queue = await consume(async () => {
      attempts += 1;
      throw new Error('still broken');
    });
    const event = sampleEvent('PatientRegistered');
    await probe.publish('', queue.name, JSON.stringify(event), { messageId: event.eventId });

    const [dead] = await probe.take(dlqName(queue.name), 1, 20_000);
    expect(attempts).toBe(1 + retry.maxRetries);
    expect(dead?.properties.messageId).toBe(event.eventId);
    expect(dead?.properties.headers).toMatchObject({
      'x-retry-count': retry.maxRetries,
      [deadLetterHeaders.reason]: 'retries-exhausted after 3 retries',
      [deadLetterHeaders.error]: 'Error: still broken',
    });
    expect(JSON.parse(dead!.content.toString())).toEqual(event);
  });

  it('keeps retrying a recoverable failure past any count while its window lasts, and applies it once', async () => {
    // The old policy gave up after 5 retries (~96 s of outage); a compensation must outlive any outage.
    let attempts = 0;
    let applied = 0;
    const queue = await consume(
      async () => {
        attempts += 1;
        if (attempts <= 8) throw new Error('database away');
        applied += 1;
      },
      { delaysMs: [200], retryForMs: 60_000 },
    );
    await probe.publish('', queue.name, JSON.stringify(sampleEvent('PatientUpdated')));
    await eventually(() => expect(applied).toBe(1), { timeoutMs: 20_000 });
    expect(attempts).toBe(9);
    expect(await probe.count(dlqName(queue.name))).toBe(0);
  });

  it('dead-letters a recoverable failure once it has failed for longer than the window', async () => {
    const queue = await consume(
      async () => {
        throw new Error('still broken');
      },
      { delaysMs: [200], retryForMs: 700 },
    );
    const event = sampleEvent('PatientRegistered');
    await probe.publish('', queue.name, JSON.stringify(event), { messageId: event.eventId });
    const [dead] = await probe.take(dlqName(queue.name), 1, 20_000);
    const headers = dead?.properties.headers ?? {};
    expect(String(headers[deadLetterHeaders.reason])).toMatch(/^retries-exhausted after \d+ retries over \d+ s$/);
    expect(Number(headers['x-retry-count'])).toBeGreaterThanOrEqual(3);
    expect(Date.parse(String(headers['x-first-failed-at']))).toBeLessThan(Date.parse(String(headers[deadLetterHeaders.at])) - 600);
  });

  it('dead-letters at once what the handler declares permanent', async () => {
    let attempts = 0;
    const queue = await consume(async () => {
      attempts += 1;
      throw new PermanentError('consultation does not exist', 'unknown-consultation');
    });
    await probe.publish('', queue.name, JSON.stringify(sampleEvent('PatientRegistered')));
    const [dead] = await probe.take(dlqName(queue.name), 1);
    expect(attempts).toBe(1);
    expect(dead?.properties.headers?.[deadLetterHeaders.reason]).toBe('unknown-consultation');
  });
});
