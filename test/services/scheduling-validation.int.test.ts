import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTemporal, type TemporalClient } from '../../libraries/runtime/temporal-client';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { schedulingService } from '../../services/scheduling/service';
import { expectStatus, fieldsOf, json, schedulingClient, type SchedulingClient } from '../support/clients';
import { startTestInstance } from '../support/instances';
import { rawClient } from '../support/raw-client';
import { createSandbox, type TestSandbox } from '../support/sandbox';

const day = 86_400_000;
const horizonDays = 30;

/**
 * POST /consultations and PATCH /consultations/{id} refuse at the door what
 * PostgreSQL cannot hold or the booking horizon does not allow: a 400 naming
 * the field, before any saga starts. One scheduling instance, configured with
 * a short BOOKING_HORIZON_DAYS, and no saga worker: a booking that passes
 * validation starts a workflow nobody runs, which the test terminates.
 */
describe('scheduling refuses at the door what the database cannot hold', () => {
  let sandbox: TestSandbox;
  let temporal: TemporalClient;
  let instance: RunningInstance;
  let client: SchedulingClient;
  const started: string[] = [];

  beforeAll(async () => {
    sandbox = await createSandbox('sched-validation', { dbLabel: 'schedval' });
    const config = sandbox.sagaConfig('nobody', { BOOKING_HORIZON_DAYS: String(horizonDays) });
    temporal = await connectTemporal(config);
    instance = await startTestInstance(schedulingService(temporal, config.TEMPORAL_TASK_QUEUE), config, 'instance-1');
    client = schedulingClient(instance.url);
  });

  afterAll(async () => {
    for (const sagaId of started)
      await temporal.client.workflow
        .getHandle(sagaId)
        .terminate('test over')
        .catch(() => {});
    await instance?.stop();
    await temporal?.close();
    await sandbox?.remove();
  });

  type NewConsultation = Parameters<SchedulingClient['consultations']['$post']>[0]['json'];
  const booking = (body: Omit<NewConsultation, 'patientId' | 'physicianId'>) =>
    json(client.consultations.$post({ header: {}, json: { patientId: crypto.randomUUID(), physicianId: crypto.randomUUID(), ...body } }));
  const change = (id: string, changes: Parameters<SchedulingClient['consultations'][':id']['$patch']>[0]['json']) =>
    json(client.consultations[':id'].$patch({ param: { id }, json: changes }));
  const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();

  it('refuses a startsAt PostgreSQL cannot store: year 0000, and year 9999 whose end falls in year 10000', async () => {
    for (const body of [{ startsAt: '0000-05-04T10:00:00Z' }, { startsAt: '9999-12-31T23:50:00Z', durationMinutes: 240 }]) {
      const refused = await booking(body);
      expectStatus(refused, 400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(refused)).toEqual(['startsAt']);
    }
  });

  it('refuses a startsAt beyond the configured booking horizon, and accepts one inside it', async () => {
    const beyond = await booking({ startsAt: inDays(horizonDays + 1) });
    expectStatus(beyond, 400);
    expect(fieldsOf(beyond)).toEqual(['startsAt']);
    expect(beyond.body.error.message).toMatch(/at most 30 days ahead/);

    const inside = await booking({ startsAt: inDays(horizonDays - 1) });
    expectStatus(inside, 202);
    started.push(inside.body.sagaId);
  });

  it('refuses control characters in the reason, keeping its line breaks', async () => {
    const nul = await booking({ startsAt: inDays(7), reason: 'chest\u0000pain' });
    expectStatus(nul, 400);
    expect(nul.body.error.details).toEqual([{ field: 'reason', message: 'must not contain control characters' }]);

    // Past validation: an unknown consultation is a 404, not a 400.
    expect((await change(crypto.randomUUID(), { reason: 'chest pain\nsince Monday' })).status).toBe(404);
    expect(fieldsOf(await change(crypto.randomUUID(), { reason: 'x\u001b' }))).toEqual(['reason']);
  });

  it('answers a PATCH with an empty body 400 naming `body`, instead of clearing the reason', async () => {
    const empty = await change(crypto.randomUUID(), {});
    expectStatus(empty, 400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');
    expect(empty.body.error.details).toEqual([{ field: 'body', message: 'at least one of reason' }]);
  });

  it('still documents the booking route, built from the configured horizon', async () => {
    const spec = await rawClient(instance.url).get('/openapi.json');
    expect(spec.body.paths['/consultations'].post).toBeDefined();
    expect(spec.body.components.schemas.NewConsultation.properties.startsAt).toMatchObject({ type: 'string', format: 'date-time' });
  });
});
