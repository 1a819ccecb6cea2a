import type { CatalogPublisher } from '../support/broker-logins';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import { expectStatus, fieldsOf, json, type SchedulingClient } from '../support/clients';
import { openProbes, testQueue } from '../support/probes';
import type { QueueProbe } from '../support/queue-probe';
import { sagaSystemFixture } from '../support/saga-system';
import { asPhysician } from '../support/tokens';

/**
 * HAP_RECORD_HISTORIES=1 saves the histories of these real runs as replay
 * fixtures (test/fixtures/histories), which test/workflows/replay.test.ts
 * replays against the current workflow code.
 */
const recordHistories = process.env.HAP_RECORD_HISTORIES === '1';
const recorded: { name: string; workflowId: string }[] = [];
const historiesDir = fileURLToPath(new URL('../fixtures/histories', import.meta.url));

const voidedProbe = testQueue('probe.records-voided', 'hap.records', 'record.voided');
let slotHour = 0;
/** A fresh hour in the future for every booking, so that only the tests that mean to collide do. */
const nextSlot = () => new Date(Date.UTC(2031, 0, 1, 8) + slotHour++ * 3_600_000).toISOString();

describe('sagas end to end in one process (real RabbitMQ, PostgreSQL, Temporal)', () => {
  const hap = sagaSystemFixture('sagas');
  let broker: CatalogPublisher;
  let probe: QueueProbe;

  beforeAll(async () => {
    ({ broker, probe } = await openProbes(hap.sandbox.vhost.url, 'sagas-probe', [voidedProbe]));
  });

  afterAll(async () => {
    if (recordHistories) {
      await mkdir(historiesDir, { recursive: true });
      for (const { name, workflowId } of recorded) {
        const { stdout } = await promisify(execFile)(inject('temporalCliPath'), [
          'workflow',
          'show',
          '--address',
          inject('temporalAddress'),
          '--workflow-id',
          workflowId,
          '--output',
          'json',
        ]);
        await writeFile(`${historiesDir}/${name}.json`, stdout);
      }
    }
    await probe?.close();
    await broker?.close();
  });

  async function patient(active = true): Promise<string> {
    const { patients } = hap.system.patients;
    const created = await json(
      patients.$post({ json: { name: 'Ana Lima', email: `ana.${Math.random().toString(36).slice(2)}@example.org` } }),
    );
    expectStatus(created, 201);
    if (!active) await json(patients[':id'].deactivate.$post({ param: { id: created.body.id } }));
    return created.body.id;
  }

  async function physician(active = true): Promise<string> {
    const { physicians } = hap.system.physicians;
    const created = await json(physicians.$post({ json: { name: 'Dr. Rui Sá', specialty: 'cardiology' } }));
    expectStatus(created, 201);
    if (!active) await json(physicians[':id'].deactivate.$post({ param: { id: created.body.id } }));
    return created.body.id;
  }

  async function book(patientId: string, physicianId: string, startsAt = nextSlot(), idempotencyKey?: string) {
    const response = await json(
      hap.system.scheduling[0].consultations.$post({
        header: { 'idempotency-key': idempotencyKey },
        json: { patientId, physicianId, startsAt, durationMinutes: 30, reason: 'check-up' },
      }),
    );
    expectStatus(response, 202);
    return response.body;
  }

  const consultationOn = (client: SchedulingClient, id: string) => json(client.consultations[':id'].$get({ param: { id } }));
  const sagaOf = (client: SchedulingClient, id: string) => json(client.consultations[':id'].saga.$get({ param: { id } }));
  const cancel = (client: SchedulingClient, id: string, reason?: string) =>
    json(client.consultations[':id'].cancel.$post({ param: { id }, json: reason === undefined ? {} : { reason } }));
  const complete = (client: SchedulingClient, id: string) => json(client.consultations[':id'].complete.$post({ param: { id } }));

  /** Waits until BOTH scheduling instances show the consultation settled, and returns instance-2's view. */
  async function settled(consultationId: string, status: string) {
    const settledOn = (client: SchedulingClient) =>
      eventually(
        async () => {
          const answer = await consultationOn(client, consultationId);
          expectStatus(answer, 200);
          expect(answer.body.status).toBe(status);
          return answer.body;
        },
        { timeoutMs: 30_000 },
      );
    await settledOn(hap.system.scheduling[0]);
    return settledOn(hap.system.scheduling[1]);
  }

  const slotsOf = async (physicianId: string) => {
    const slots = await json(hap.system.physicians.physicians[':id'].slots.$get({ param: { id: physicianId } }));
    expectStatus(slots, 200);
    return slots.body.items;
  };

  it('schedules a consultation: SCHEDULED on both instances with names, the slot CONFIRMED (docs/specification.md §8.2, §8.3)', async () => {
    const [patientId, physicianId] = await Promise.all([patient(), physician()]);
    const { consultationId, sagaId, status } = await book(patientId, physicianId);
    expect(status).toBe('PENDING');
    expect(sagaId).toBe(`schedule-consultation-${consultationId}`);

    const view = await settled(consultationId, 'SCHEDULED');
    expect(view).toMatchObject({
      patientId,
      patientName: 'Ana Lima',
      physicianId,
      physicianName: 'Dr. Rui Sá',
      physicianSpecialty: 'cardiology',
      statusReason: null,
    });
    await eventually(async () =>
      expect(await slotsOf(physicianId)).toEqual([expect.objectContaining({ consultationId, status: 'CONFIRMED' })]),
    );

    recorded.push({ name: 'schedule-success', workflowId: sagaId });
    const saga = await sagaOf(hap.system.scheduling[1], consultationId);
    expectStatus(saga, 200);
    expect(saga.body).toMatchObject({ sagaId, kind: 'schedule', status: 'SCHEDULED' });
    expect(saga.body.steps.map((step) => step.name)).toContain('received PhysicianAvailabilityConfirmed');
  });

  it.each([
    ['an inactive patient', { patientActive: false, physicianActive: true }, 'PATIENT_INACTIVE'],
    ['a deactivated physician', { patientActive: true, physicianActive: false }, 'PHYSICIAN_INACTIVE'],
  ])('rejects %s with the reason and leaves no slot held', async (_name, setup, reason) => {
    const [patientId, physicianId] = await Promise.all([patient(setup.patientActive), physician(setup.physicianActive)]);
    const { consultationId } = await book(patientId, physicianId);
    const view = await settled(consultationId, 'REJECTED');
    expect(view.statusReason).toBe(reason);
    recorded.push({
      name: `schedule-rejected-${reason.toLowerCase().replace(/_/g, '-')}`,
      workflowId: `schedule-consultation-${consultationId}`,
    });
    await eventually(async () => expect(await slotsOf(physicianId)).toEqual([]));
  });

  it('rejects the second booking of a taken slot with SLOT_TAKEN and keeps the first', async () => {
    const [patientId, physicianId] = await Promise.all([patient(), physician()]);
    const startsAt = nextSlot();
    const first = await book(patientId, physicianId, startsAt);
    await settled(first.consultationId, 'SCHEDULED');
    const second = await book(await patient(), physicianId, startsAt);
    expect((await settled(second.consultationId, 'REJECTED')).statusReason).toBe('SLOT_TAKEN');
    expect(await slotsOf(physicianId)).toEqual([expect.objectContaining({ consultationId: first.consultationId, status: 'CONFIRMED' })]);
  });

  it('answers a retried POST with the same Idempotency-Key with the first answer', async () => {
    const [patientId, physicianId] = await Promise.all([patient(), physician()]);
    const key = `key-${crypto.randomUUID()}`;
    const startsAt = nextSlot();
    const first = await book(patientId, physicianId, startsAt, key);
    const again = await book(patientId, physicianId, startsAt, key);
    expect(again).toEqual(first);
    await settled(first.consultationId, 'SCHEDULED');
    const other = await json(
      hap.system.scheduling[1].consultations.$post({
        header: { 'idempotency-key': key },
        json: { patientId, physicianId, startsAt: nextSlot() },
      }),
    );
    expectStatus(other, 422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('cancels a consultation with two records: records voided, CANCELLED, slot free (docs/specification.md §8.3)', async () => {
    const [patientId, physicianId] = await Promise.all([patient(), physician()]);
    const { consultationId } = await book(patientId, physicianId);
    await settled(consultationId, 'SCHEDULED');
    const recordIds: string[] = [];
    for (const diagnosis of ['flu', 'dehydration']) {
      const created = await eventually(async () => {
        const response = await json(hap.system.as(asPhysician(physicianId)).records.records.$post({ json: { consultationId, diagnosis } }));
        expectStatus(response, 201);
        return response;
      });
      recordIds.push(created.body.id);
    }
    await probe.drain(voidedProbe.name);

    const cancelled = await cancel(hap.system.scheduling[1], consultationId, 'patient travelling');
    expectStatus(cancelled, 202);
    expect(cancelled.body).toEqual({ consultationId, sagaId: `cancel-consultation-${consultationId}`, status: 'CANCELLATION_REQUESTED' });

    const [voided] = await probe.take(voidedProbe.name, 1, 30_000);
    expect(JSON.parse(voided!.content.toString()).payload.voidedRecordIds.sort()).toEqual([...recordIds].sort());
    expect(voided!.properties.headers?.['x-saga-id']).toBe(`cancel-consultation-${consultationId}`);

    const view = await settled(consultationId, 'CANCELLED');
    expect(view.statusReason).toBe('CANCELLED_BY_REQUEST');
    recorded.push({ name: 'cancel-with-two-records', workflowId: `cancel-consultation-${consultationId}` });
    for (const id of recordIds)
      await eventually(async () =>
        expect((await json(hap.system.as(asPhysician(physicianId)).records.records[':id'].$get({ param: { id } }))).body).toMatchObject({
          status: 'VOIDED',
        }),
      );
    await eventually(async () => expect(await slotsOf(physicianId)).toEqual([]));

    // Asking again answers the same; the saga endpoint shows both sagas.
    expect((await cancel(hap.system.scheduling[0], consultationId)).body).toEqual(cancelled.body);
    const sagas = await sagaOf(hap.system.scheduling[0], consultationId);
    expectStatus(sagas, 200);
    expect(sagas.body).toMatchObject({ kind: 'cancel', status: 'CANCELLED' });
    expect(sagas.body.steps[0]?.detail).toBe('consultation marked CANCELLATION_REQUESTED: patient travelling');
    expect(sagas.body.sagas.map((saga) => `${saga.kind}:${saga.status}`)).toEqual(['schedule:SCHEDULED', 'cancel:CANCELLED']);
  });

  it('refuses to cancel what is not SCHEDULED, completes what is, and changes reasons', async () => {
    const [patientId, physicianId] = await Promise.all([patient(), physician()]);
    const rejected = await book(await patient(false), physicianId);
    await settled(rejected.consultationId, 'REJECTED');
    const refused = await cancel(hap.system.scheduling[0], rejected.consultationId);
    expectStatus(refused, 409);
    expect(refused.body.error.details).toEqual({ status: 'REJECTED' });

    const { consultationId } = await book(patientId, physicianId);
    await settled(consultationId, 'SCHEDULED');
    const patched = await json(
      hap.system.scheduling[0].consultations[':id'].$patch({ param: { id: consultationId }, json: { reason: 'follow-up' } }),
    );
    expect(patched.body).toMatchObject({ reason: 'follow-up', status: 'SCHEDULED', patientName: 'Ana Lima' });
    // Only the consultation's physician completes it.
    const physicianOf = hap.system.as(asPhysician(physicianId)).scheduling;
    const done = await complete(physicianOf[1], consultationId);
    expect(done.body).toMatchObject({ status: 'DONE' });
    expect((await complete(physicianOf[0], consultationId)).status).toBe(409);
    expect((await cancel(hap.system.scheduling[1], consultationId)).status).toBe(409);
    expect((await complete(physicianOf[0], crypto.randomUUID())).status).toBe(404);
    const view = await settled(consultationId, 'DONE');
    expect(view.reason).toBe('follow-up');
    const listed = await json(hap.system.scheduling[0].consultations.$get({ query: { physicianId, status: 'DONE' } }));
    expectStatus(listed, 200);
    expect(listed.body.items.map((item) => item.id)).toEqual([consultationId]);
  });

  it('makes the sagas findable with the temporal CLI by ConsultationId, and shows them completed', async () => {
    const [patientId, physicianId] = await Promise.all([patient(), physician()]);
    const { consultationId, sagaId } = await book(patientId, physicianId);
    await settled(consultationId, 'SCHEDULED');
    const temporal = inject('temporalCliPath');
    const address = inject('temporalAddress');
    const run = promisify(execFile);
    const listed = await eventually(async () => {
      const { stdout } = await run(temporal, [
        'workflow',
        'list',
        '--address',
        address,
        '--query',
        `ConsultationId='${consultationId}'`,
        '--output',
        'json',
      ]);
      const rows = JSON.parse(stdout || '[]');
      expect(rows.length).toBe(1);
      return rows;
    });
    expect(listed[0].execution.workflowId).toBe(sagaId);
    const { stdout } = await run(temporal, ['workflow', 'describe', '--address', address, '--workflow-id', sagaId, '--output', 'json']);
    expect(JSON.parse(stdout).workflowExecutionInfo.status).toMatch(/COMPLETED/);
  });

  it('answers bad consultation input with 400 naming the field', async () => {
    const response = await json(
      hap.system.scheduling[0].consultations.$post({
        header: {},
        json: { patientId: 'x', physicianId: crypto.randomUUID(), startsAt: 'tomorrow', durationMinutes: 5 },
      }),
    );
    expect(response.status).toBe(400);
    expect(fieldsOf(response).sort()).toEqual(['durationMinutes', 'patientId', 'startsAt']);
    expect((await consultationOn(hap.system.scheduling[0], crypto.randomUUID())).status).toBe(404);
    expect((await sagaOf(hap.system.scheduling[0], crypto.randomUUID())).status).toBe(404);
  });
});
