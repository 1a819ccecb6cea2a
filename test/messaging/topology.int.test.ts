import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, type EventType } from '../../libraries/events/catalog';
import type { Broker } from '../../libraries/messaging/broker';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { dlqName, instanceQueue, systemQueues } from '../../libraries/messaging/topology';
import { declareQueues } from '../support/declare';
import { QueueProbe } from '../support/queue-probe';
import { sampleEvent } from '../support/sample-events';
import { connectTestBroker } from '../support/test-broker';
import { createTestVhost, type TestVhost } from '../support/vhost';

// Which queues must hear each event: docs/design.md §3's binding table, written out by
// hand so that the topology code is checked against the design, not itself.
const sagaQueuesOf: Partial<Record<EventType, string[]>> = {
  ConsultationSchedulingStarted: ['patient-service.saga', 'physician-service.saga'],
  ConsultationScheduled: ['physician-service.saga', 'clinical-records.saga'],
  ConsultationDone: ['clinical-records.saga'],
  ConsultationCancellationRequested: ['clinical-records.saga'],
  ConsultationCancelled: ['physician-service.saga', 'clinical-records.saga'],
  PatientValidatedForConsultation: ['scheduling-service.saga'],
  PatientValidationFailed: ['scheduling-service.saga'],
  PhysicianAvailabilityConfirmed: ['scheduling-service.saga'],
  PhysicianAvailabilityRejected: ['scheduling-service.saga'],
  ConsultationRecordsVoided: ['scheduling-service.saga'],
};
const perInstance = (...services: string[]) =>
  services.flatMap((service) => ['instance-1', 'instance-2'].map((instance) => `${service}.${instance}.events`));
const instanceQueuesOf = (type: EventType): string[] => {
  if (/^Patient(Registered|Updated|Deactivated)$/.test(type)) return perInstance('patient-service', 'scheduling-service');
  if (/^Physician(Registered|Updated|Deactivated)$/.test(type))
    return perInstance('physician-service', 'scheduling-service', 'reporting-service');
  // Patients learns from ConsultationScheduled which physician may read which patient.
  if (type === 'ConsultationScheduled')
    return perInstance('patient-service', 'scheduling-service', 'clinical-records', 'reporting-service');
  // Records hears a consultation from SCHEDULED on: no record exists before.
  if (type === 'ConsultationSchedulingStarted') return perInstance('scheduling-service', 'reporting-service');
  if (type.startsWith('Consultation') && !type.startsWith('ConsultationRecord'))
    return perInstance('scheduling-service', 'clinical-records', 'reporting-service');
  if (type.startsWith('ConsultationRecord')) return perInstance('clinical-records', 'reporting-service');
  return []; // saga replies go to the saga queue only
};

describe('broker topology (docs/specification.md §8.1)', () => {
  let vhost: TestVhost;
  let broker: Broker;
  let probe: QueueProbe;
  const queues = systemQueues(['instance-1', 'instance-2']);

  beforeAll(async () => {
    vhost = await createTestVhost('topology');
    broker = await connectTestBroker(vhost.url, 'topology-test', { queues, retryDelaysMs: [1000] });
    probe = await QueueProbe.open(vhost.url);
  });

  afterAll(async () => {
    await probe?.close();
    await broker?.close();
    await vhost?.remove();
  });

  it('declares a work queue and a DLQ for every service and instance', async () => {
    expect(queues.map((queue) => queue.name).sort()).toEqual(
      [
        'patient-service.saga',
        'physician-service.saga',
        'scheduling-service.saga',
        'clinical-records.saga',
        ...perInstance('patient-service', 'physician-service', 'scheduling-service', 'clinical-records', 'reporting-service'),
      ].sort(),
    );
    for (const queue of queues) {
      expect(await probe.count(queue.name)).toBe(0);
      expect(await probe.count(dlqName(queue.name))).toBe(0);
    }
  });

  it.each(eventTypes)('%s reaches every queue bound to its key and no other', async (type) => {
    const event = sampleEvent(type);
    await publishEvent(broker, event, { correlationId: 'corr-1', sagaId: 'saga-1' });

    const expected = [...(sagaQueuesOf[type] ?? []), ...instanceQueuesOf(type)].sort();
    const received: string[] = [];
    for (const queue of queues) {
      const messages = await probe.drain(queue.name);
      for (const message of messages) {
        expect(JSON.parse(message.content.toString())).toEqual(event);
        expect(message.properties).toMatchObject({
          messageId: event.eventId,
          type,
          appId: event.sourceService,
          contentType: 'application/json',
          deliveryMode: 2,
          headers: { 'x-correlation-id': 'corr-1', 'x-saga-id': 'saga-1', 'x-retry-count': 0 },
        });
        received.push(queue.name);
      }
    }
    expect(received.sort()).toEqual(expected);
  });

  it('removes a binding an earlier release made and this one retired: records instances stop hearing PENDING consultations', async () => {
    // An instance of its own, so the queues the other tests drain are left as they are.
    const today = instanceQueue('clinical-records', 'instance-3');
    // As the earlier release declared it: every consultation event.
    await declareQueues(broker, [{ name: today.name, bindings: [{ exchange: 'hap.consultations', pattern: 'consultation.#' }] }], [1000]);
    await publishEvent(broker, sampleEvent('ConsultationSchedulingStarted'), { correlationId: 'c' });
    expect(await probe.drain(today.name)).toHaveLength(1);

    await declareQueues(broker, [today], [1000]);
    await publishEvent(broker, sampleEvent('ConsultationSchedulingStarted'), { correlationId: 'c' });
    await publishEvent(broker, sampleEvent('ConsultationScheduled'), { correlationId: 'c' });
    expect((await probe.drain(today.name)).map((message) => message.properties.type)).toEqual(['ConsultationScheduled']);
  });
});
