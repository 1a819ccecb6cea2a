import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { patientsService } from '../../services/patients/service';
import { schedulingService } from '../../services/scheduling/service';
import { expectStatus, json, patientsClient, schedulingClient } from '../support/clients';
import { startTestInstance } from '../support/instances';
import { openProbes, type Probes } from '../support/probes';
import { sagaSystemFixture } from '../support/saga-system';
import { sampleEvent } from '../support/sample-events';

let hour = 0;
const nextSlot = () => new Date(Date.UTC(2034, 0, 1, 8) + hour++ * 3_600_000).toISOString();

/**
 * Instances started after the fact: their read models start empty, replay
 * the history stream, then take their queues, and serve what happened
 * before they existed.
 */
describe('a new instance catches up on the event history', () => {
  const hap = sagaSystemFixture('catch-up');
  let probes: Probes;
  const late: RunningInstance[] = [];

  beforeAll(async () => {
    probes = await openProbes(hap.sandbox.vhost.url, 'catch-up-probe', []);
  });

  afterAll(async () => {
    for (const instance of late) await instance.stop();
    await probes?.probe.close();
    await probes?.broker.close();
  });

  const listOn = async (url: string) => {
    const answer = await json(schedulingClient(url).consultations.$get({ query: {} }));
    expectStatus(answer, 200);
    return answer.body.items
      .map(({ id, status, patientName, physicianName }) => ({ id, status, patientName, physicianName }))
      .sort((a, b) => a.id.localeCompare(b.id));
  };

  it('a third scheduling instance serves the same consultations as instance-1; a third patients instance the same patients, and not a forged one', async () => {
    const patient = await json(
      hap.system.patients.patients.$post({ json: { name: 'Rita Moura', email: `${crypto.randomUUID()}@example.org` } }),
    );
    expectStatus(patient, 201);
    const physician = await json(hap.system.physicians.physicians.$post({ json: { name: 'Dr. Sara Nunes', specialty: 'dermatology' } }));
    expectStatus(physician, 201);
    const booked: string[] = [];
    const patientId: string = patient.body.id;
    const physicianId: string = physician.body.id;
    for (let i = 0; i < 3; i++) {
      const slot = { patientId, physicianId, startsAt: nextSlot() };
      const booking = await json(hap.system.scheduling[0].consultations.$post({ header: {}, json: slot }));
      expectStatus(booking, 202);
      booked.push(booking.body.consultationId);
    }
    const first = await eventually(
      async () => {
        const listed = await listOn(hap.system.urls.scheduling[0]);
        expect(listed.filter((row) => booked.includes(row.id)).map((row) => row.status)).toEqual(['SCHEDULED', 'SCHEDULED', 'SCHEDULED']);
        return listed;
      },
      { timeoutMs: 30_000 },
    );
    // In the history too, from a user that does not send it: the live consumers park it, the replay skips it.
    const forged = sampleEvent('PatientRegistered');
    await probes.probe.publish('hap.patients', 'patient.registered', JSON.stringify(forged), {
      messageId: forged.eventId,
      userId: 'guest',
    });

    const scheduling3 = await startTestInstance(
      schedulingService(hap.system.temporal, hap.sandbox.sagaConfig('catch-up').TEMPORAL_TASK_QUEUE),
      hap.sandbox.sagaConfig('catch-up'),
      'instance-3',
    );
    late.push(scheduling3);
    const ready = await (await fetch(`${scheduling3.url}/ready`)).json();
    expect(ready).toMatchObject({ status: 'ready', checks: { readModel: 'ok' } });
    expect(await listOn(scheduling3.url)).toEqual(first);

    const patients3 = await startTestInstance(patientsService, hap.sandbox.config(), 'instance-3');
    late.push(patients3);
    const seen = await json(patientsClient(patients3.url).patients[':id'].$get({ param: { id: patient.body.id } }));
    expectStatus(seen, 200);
    expect(seen.body.name).toBe('Rita Moura');
    expect((await json(patientsClient(patients3.url).patients[':id'].$get({ param: { id: forged.payload.patientId } }))).status).toBe(404);

    // From here on it is fed by its own queue, as any instance.
    const later = await json(
      hap.system.patients.patients[':id'].$patch({ param: { id: patient.body.id }, json: { name: 'Rita Moura Lopes' } }),
    );
    expectStatus(later, 200);
    await eventually(async () => {
      const now = await json(patientsClient(patients3.url).patients[':id'].$get({ param: { id: patient.body.id } }));
      expectStatus(now, 200);
      expect(now.body.name).toBe('Rita Moura Lopes');
    });
  });
});
