import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseName, databaseUrl } from '../../libraries/db/database';
import { openDatabase, type DatabaseHandle } from '../../libraries/db/pool';
import { sagaClient, type SagaClient } from '../../services/scheduling/saga-client';
import { findConsultation } from '../../services/scheduling/consultations';
import type { SagaState, ScheduleConsultationInput } from '../../workflows/definitions';
import { eventually } from '../../libraries/common/eventually';
import { expectStatus, json } from '../support/clients';
import { sagaSystemFixture } from '../support/saga-system';

/**
 * Defence in depth behind the HTTP edge's 400: a booking whose data the
 * database or the event catalog refuses, started straight through the saga
 * gateway, ends REJECTED with INVALID_REQUEST in seconds instead of retrying
 * its first step for ever.
 */
describe('a saga started with data no step can take ends REJECTED INVALID_REQUEST (real RabbitMQ, PostgreSQL, Temporal)', () => {
  const hap = sagaSystemFixture('invalid', { taskQueue: 'sagas' });
  let sagas: SagaClient;
  let writeDb: DatabaseHandle;

  beforeAll(async () => {
    sagas = sagaClient(hap.system.temporal.client, hap.sandbox.sagaConfig('sagas').TEMPORAL_TASK_QUEUE);
    writeDb = openDatabase(databaseUrl(inject('pgUrl'), databaseName(hap.sandbox.prefix, 'scheduling')), { max: 1 });
  });

  afterAll(async () => {
    await writeDb?.close();
  });

  async function booking(overrides: Partial<ScheduleConsultationInput>): Promise<ScheduleConsultationInput> {
    const patient = await json(
      hap.system.patients.patients.$post({ json: { name: 'Ana Lima', email: `ana.${crypto.randomUUID()}@example.org` } }),
    );
    const physician = await json(hap.system.physicians.physicians.$post({ json: { name: 'Dr. Rui Sá', specialty: 'cardiology' } }));
    expectStatus(patient, 201);
    expectStatus(physician, 201);
    const consultationId = crypto.randomUUID();
    return {
      consultationId,
      patientId: patient.body.id,
      physicianId: physician.body.id,
      startsAt: '2031-06-02T09:00:00Z',
      durationMinutes: 30,
      reason: 'chest pain',
      correlationId: `corr-${consultationId}`,
      ...overrides,
    };
  }

  /** The schedule saga, once closed: well before the 30 s reply deadline, which it never waits for. */
  async function closedSaga(consultationId: string): Promise<SagaState> {
    return eventually(
      async () => {
        const [state] = await sagas.states(consultationId);
        expect(state).toMatchObject({ kind: 'schedule', closedAt: expect.any(String) });
        return state!;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  }

  const slotsOf = async (physicianId: string) => {
    const slots = await json(hap.system.physicians.physicians[':id'].slots.$get({ param: { id: physicianId } }));
    expectStatus(slots, 200);
    return slots.body.items;
  };

  it('rejects a booking in year 9999 that PostgreSQL cannot store (SQLSTATE 22009), visibly in the saga, holding no slot', async () => {
    const input = await booking({ startsAt: '9999-12-31T23:50:00Z', durationMinutes: 240 });
    expect(await sagas.startScheduling(input)).toMatchObject({ started: true });

    const state = await closedSaga(input.consultationId);
    expect(state.status).toBe('REJECTED');
    expect(state.steps.at(-1)).toMatchObject({ name: 'rejected', detail: 'INVALID_REQUEST' });
    expect(state.steps.map((step) => step.detail)).toContain('openConsultation: invalid data (SQLSTATE 22009, DatabaseError)');
    // No health data in what Temporal keeps and the API shows: no names, no free text, no bound values.
    for (const secret of ['Ana Lima', 'chest pain', '9999', '10000']) expect(JSON.stringify(state)).not.toContain(secret);

    const saga = await json(hap.system.scheduling[1].consultations[':id'].saga.$get({ param: { id: input.consultationId } }));
    expectStatus(saga, 200);
    expect(saga.body).toMatchObject({ kind: 'schedule', status: 'REJECTED', closedAt: expect.any(String) });
    expect(saga.body.steps.at(-1)?.detail).toBe('INVALID_REQUEST');

    // No row could be written, so nothing was announced: no read model has it, physicians hold nothing.
    expect(await findConsultation(writeDb.db, input.consultationId)).toBeUndefined();
    expect((await json(hap.system.scheduling[0].consultations[':id'].$get({ param: { id: input.consultationId } }))).status).toBe(404);
    expect(await slotsOf(input.physicianId)).toEqual([]);
  });

  it('rejects a booking the database takes but the event catalog refuses, and marks the row REJECTED INVALID_REQUEST', async () => {
    const input = await booking({ durationMinutes: 5 });
    await sagas.startScheduling(input);

    const state = await closedSaga(input.consultationId);
    expect(state.status).toBe('REJECTED');
    expect(state.steps.at(-1)?.detail).toBe('INVALID_REQUEST');
    expect(state.steps.map((step) => step.detail)).toContain('openConsultation: invalid data (EventValidationError)');
    // The compensation moved the row; its announcement breaks the same schema, so none went out, as none had before.
    expect(await findConsultation(writeDb.db, input.consultationId)).toMatchObject({ status: 'REJECTED', statusReason: 'INVALID_REQUEST' });
    expect(await slotsOf(input.physicianId)).toEqual([]);
  });
});
