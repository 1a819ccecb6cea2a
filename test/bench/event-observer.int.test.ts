import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventObserver } from '../../tools/bench/load/event-observer';
import type { ConsultationStatus } from '../../libraries/events/consultations';
import { JsonHttpClient } from '../../tools/harness/json-http';
import { eventually } from '../../libraries/common/eventually';
import type { Broker } from '../../libraries/messaging/broker';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { testHost } from '../support/loopback';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';

/**
 * The bench's instrument against a real broker, with a fake read model in
 * front of it (what scheduling's GET /consultations/:id would answer): a saga
 * settles when its event has come and the read model shows it, not before.
 */
describe('the bench sees a saga settle by its event and one read-model check', () => {
  let vhost: TestVhost;
  let broker: Broker;
  let server: http.Server;
  let client: JsonHttpClient;
  let observer: EventObserver;
  const readModel = new Map<string, { status: ConsultationStatus; statusReason: string | null }>();
  let asked = 0;

  beforeAll(async () => {
    vhost = await createTestVhost('observer');
    broker = await connectTestBroker(vhost.url, 'observer-test');
    server = http.createServer((request, response) => {
      asked++;
      const item = readModel.get(request.url?.split('/').at(-1) ?? '');
      response.writeHead(item ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(item ?? { error: { code: 'NOT_FOUND' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, testHost, resolve));
    client = new JsonHttpClient(`http://${testHost}:${(server.address() as AddressInfo).port}`);
    observer = new EventObserver([client], { amqpUrl: vhost.url, confirmRetryMs: 10, lookupAfterMs: 60_000 });
    await observer.start();
  });

  afterAll(async () => {
    await observer?.stop();
    client?.close();
    await new Promise((resolve) => server?.close(resolve));
    await broker?.close();
    await vhost?.remove();
  });

  it('waits for the read model after the event, and keeps an event that came before its saga was followed', async () => {
    const booked = sampleEvent('ConsultationScheduled', { status: 'SCHEDULED' });
    const id = booked.payload.consultationId;
    readModel.set(id, { status: 'PENDING', statusReason: null });
    const settled: { status: string; at: number }[] = [];
    observer.track(id, 0, { before: 'ABSENT', via: 'PENDING' }, (status, at) => settled.push({ status, at }));
    await publishEvent(broker, booked);
    await eventually(() => expect(observer.stats().events).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toEqual([]); // the event alone is not "visible"
    const shownAt = performance.now();
    readModel.set(id, { status: 'SCHEDULED', statusReason: null });
    await eventually(() => expect(settled.map((s) => s.status)).toEqual(['SCHEDULED']));
    expect(settled[0]!.at).toBeGreaterThanOrEqual(shownAt);

    // A saga quicker than its 202: its rejection arrives before the bench follows it.
    const rejected = sampleEvent('ConsultationCancelled', { status: 'REJECTED', statusReason: 'PATIENT_INACTIVE' });
    readModel.set(rejected.payload.consultationId, { status: 'REJECTED', statusReason: 'PATIENT_INACTIVE' });
    await publishEvent(broker, rejected);
    await eventually(() => expect(observer.stats().events).toBe(2));
    const reasons: (string | null)[] = [];
    const before = asked;
    observer.track(rejected.payload.consultationId, 0, { before: 'ABSENT', via: 'PENDING' }, (status, _at, reason) =>
      reasons.push(`${status} ${reason}`),
    );
    await eventually(() => expect(reasons).toEqual(['REJECTED PATIENT_INACTIVE']));
    expect(asked - before).toBe(1);
    expect(observer.stats()).toMatchObject({ settledFromEvent: 2, settledFromLookup: 0, failedRequests: 0 });
  });
});
