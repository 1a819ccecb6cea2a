import type { CatalogPublisher } from '../support/broker-logins';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEvent } from '../../libraries/events/catalog';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { dlqName } from '../../libraries/messaging/topology';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { patientsService } from '../../services/patients/service';
import { eventually } from '../../libraries/common/eventually';
import { detailsOf, expectStatus, fieldsOf, json, patientsClient, type PatientsClient } from '../support/clients';
import { dropDatabases, startTestInstance, testConfig, testDbPrefix } from '../support/instances';
import { QueueProbe } from '../support/queue-probe';
import type { RawClient } from '../support/raw-client';
import { TcpProxy } from '../support/tcp-proxy';
import { sampleEvent } from '../support/sample-events';
import { startServicePair, type ServicePair } from '../support/service-pair';
import type { TestVhost } from '../support/vhost';
import { instanceAdminPaths } from '../support/admin-paths';

const entityProbe = { name: 'probe.patient-events', bindings: [{ exchange: 'hap.patients' as const, pattern: 'patient.*' }] };
const replyProbe = { name: 'probe.patient-replies', bindings: [{ exchange: 'hap.patients' as const, pattern: 'patient.validation.*' }] };

describe('patients service', () => {
  let pair: ServicePair<PatientsClient>;
  let vhost: TestVhost;
  let instances: RunningInstance[];
  let one: PatientsClient;
  let two: PatientsClient;
  let raw: RawClient;
  let broker: CatalogPublisher;
  let probe: QueueProbe;

  beforeAll(async () => {
    pair = await startServicePair(patientsService, 'patients', [entityProbe, replyProbe], patientsClient);
    ({ vhost, instances, one, two, raw, broker, probe } = pair);
  });

  afterAll(async () => {
    await pair?.stop();
  });

  type NewPatient = Parameters<PatientsClient['patients']['$post']>[0]['json'];
  const register = async (body: Partial<NewPatient> = {}) => {
    const email = `ana.${Math.random().toString(36).slice(2)}@example.org`;
    const created = await json(one.patients.$post({ json: { name: 'Ana Lima', email, ...body } }));
    expectStatus(created, 201);
    return created.body;
  };
  const patientOn = (client: PatientsClient, id: string) => json(client.patients[':id'].$get({ param: { id } }));
  const change = (client: PatientsClient, id: string, changes: Partial<NewPatient>) =>
    json(client.patients[':id'].$patch({ param: { id }, json: changes }));
  const deactivate = (client: PatientsClient, id: string) => json(client.patients[':id'].deactivate.$post({ param: { id } }));

  describe('commands and queries', () => {
    it('registers a patient, emits PatientRegistered and both instances come to show it (docs/specification.md §8.1, §8.2)', async () => {
      const created = await json(
        one.patients.$post(
          { json: { name: 'Bea Costa', email: 'bea@example.org', birthDate: '1985-02-03', phone: '+351 900 000 000' } },
          { headers: { 'X-Correlation-Id': 'req-42' } },
        ),
      );
      expectStatus(created, 201);
      expect(created.headers.get('x-correlation-id')).toBe('req-42');
      expect(created.headers.get('location')).toBe(`/patients/${created.body.id}`);
      expect(created.body).toMatchObject({
        name: 'Bea Costa',
        email: 'bea@example.org',
        birthDate: '1985-02-03',
        phone: '+351 900 000 000',
        status: 'ACTIVE',
      });

      const messages = await probe.take(entityProbe.name, 1);
      const event = JSON.parse(messages[0]!.content.toString());
      expect(event).toMatchObject({
        eventType: 'PatientRegistered',
        sourceService: 'patient-service',
        payload: { patientId: created.body.id, version: 1 },
      });
      expect(messages[0]!.properties.headers?.['x-correlation-id']).toBe('req-42');

      for (const client of [one, two]) {
        await eventually(async () => expect((await patientOn(client, created.body.id)).body).toEqual(created.body));
      }
    });

    it('answers every command with a Consistency-Token that the other instance honours at once, and refuses one it can never meet (400)', async () => {
      const created = await json(one.patients.$post({ json: { name: 'Rui Neto', email: `rui.${crypto.randomUUID()}@example.org` } }));
      expectStatus(created, 201);
      const id = created.body.id;
      const token = created.headers.get('consistency-token');
      expect(token).toBe(`${id}@1`);
      const read = (headers: Record<string, string>) => json(two.patients[':id'].$get({ param: { id } }, { headers }));
      // Right after the command, on the instance that did not take it: never a 404.
      expect((await read({ 'Consistency-Token': token! })).status).toBe(200);
      const changed = await change(one, id, { phone: '+351 910 000 000' });
      expect(changed.headers.get('consistency-token')).toBe(`${id}@2`);
      const listed = await json(two.patients.$get({ query: { name: 'Rui Neto' } }, { headers: { 'Consistency-Token': `${id}@2` } }));
      expectStatus(listed, 200);
      expect(listed.body.items.find((patient) => patient.id === id)?.phone).toBe('+351 910 000 000');
      expect((await deactivate(one, id)).headers.get('consistency-token')).toBe(`${id}@3`);

      for (const never of [`${id}@9`, `${crypto.randomUUID()}@1`]) {
        const refused = await read({ 'Consistency-Token': never });
        expect(refused.status, never).toBe(400);
        expect(refused.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'Consistency-Token' }] } });
      }
    });

    it('updates a patient everywhere, and lists by name and status', async () => {
      const patient = await register({ name: 'Carla Dias' });
      const updated = await change(two, patient.id, { name: 'Carla Dias Reis', phone: '+351 911 111 111' });
      expectStatus(updated, 200);
      expect(updated.body).toMatchObject({ id: patient.id, name: 'Carla Dias Reis', phone: '+351 911 111 111', email: patient.email });
      for (const client of [one, two]) {
        await eventually(async () => expect((await patientOn(client, patient.id)).body).toMatchObject({ name: 'Carla Dias Reis' }));
      }
      const listed = await json(one.patients.$get({ query: { name: 'dias reis', status: 'ACTIVE' } }));
      expectStatus(listed, 200);
      expect(listed.body.items.map((item) => item.id)).toEqual([patient.id]);
      expect((await json(one.patients.$get({ query: { name: 'dias reis', status: 'INACTIVE' } }))).body).toMatchObject({ items: [] });
    });

    it('deactivates once; repeating it is harmless and emits nothing', async () => {
      const patient = await register({ name: 'Duarte Faria' });
      const first = await deactivate(one, patient.id);
      const again = await deactivate(two, patient.id);
      expect(first.body).toMatchObject({ status: 'INACTIVE' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      await eventually(async () => expect((await patientOn(two, patient.id)).body).toMatchObject({ status: 'INACTIVE' }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const events = (await probe.drain(entityProbe.name)).map((message) => JSON.parse(message.content.toString()));
      // Both instances' relays publish from the shared outbox, so the broker may carry the two in either order; the versions say which came first.
      const ofPatient = events
        .filter((event) => event.payload.patientId === patient.id)
        .sort((a, b) => a.payload.version - b.payload.version)
        .map((event) => [event.eventType, event.payload.version]);
      expect(ofPatient).toEqual([
        ['PatientRegistered', 1],
        ['PatientDeactivated', 2],
      ]);
    });

    it('answers bad input with 400 naming the field, unknown ids with 404, big bodies with 413', async () => {
      // An unknown field, a body that is not JSON, a status no patient has: the raw client's.
      const invalid = await raw.post('/patients', { name: '', email: 'not-an-email', nickname: 'x' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
      expect(invalid.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['email', 'name', 'nickname']);

      const malformed = await raw.post('/patients', '{"name": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('MALFORMED_JSON');

      expect((await change(one, crypto.randomUUID(), {})).status).toBe(400);
      expect(fieldsOf(await patientOn(one, 'not-a-uuid'))[0]).toBe('id');
      expect((await raw.get('/patients?status=SLEEPING')).status).toBe(400);

      const unknown = crypto.randomUUID();
      for (const response of [await patientOn(one, unknown), await change(one, unknown, { name: 'X' }), await deactivate(one, unknown)]) {
        expectStatus(response, 404);
        expect(response.body.error.code).toBe('NOT_FOUND');
      }

      const huge = await json(one.patients.$post({ json: { name: 'x'.repeat(70_000), email: 'big@example.org' } }));
      expectStatus(huge, 413);
      expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('serves health, readiness, the OpenAPI document and its docs page', async () => {
      expect((await json(two.health.$get())).body).toEqual({ status: 'ok', service: 'patient-service', instance: 'instance-2' });
      expect((await json(two.ready.$get())).body).toMatchObject({
        status: 'ready',
        checks: { writeDatabase: 'ok', readDatabase: 'ok', broker: 'ok' },
      });
      const spec = await raw.get('/openapi.json');
      expect(Object.keys(spec.body.paths).sort()).toEqual([
        ...instanceAdminPaths,
        '/audit',
        '/patients',
        '/patients/{id}',
        '/patients/{id}/deactivate',
      ]);
      expect((await fetch(`${instances[0]!.url}/docs`)).status).toBe(200);
    });
  });

  describe('saga 1 participant: patient validation', () => {
    async function ask(patientId: string, sagaId = `schedule-${crypto.randomUUID()}`) {
      const request = sampleEvent('ConsultationSchedulingStarted', { consultationId: crypto.randomUUID(), patientId });
      await publishEvent(broker, request, { sagaId, correlationId: `corr-${sagaId}` });
      const [reply] = await probe.take(replyProbe.name, 1);
      return { request, sagaId, reply: reply!, event: JSON.parse(reply!.content.toString()) };
    }

    it('validates an active patient, carrying the saga and correlation ids', async () => {
      const patient = await register({ name: 'Eva Gomes' });
      const { request, sagaId, reply, event } = await ask(patient.id);
      expect(event).toMatchObject({
        eventType: 'PatientValidatedForConsultation',
        payload: { consultationId: request.payload.consultationId, patientId: patient.id, patientName: 'Eva Gomes' },
      });
      expect(reply.properties.headers).toMatchObject({ 'x-saga-id': sagaId, 'x-correlation-id': `corr-${sagaId}` });
    });

    it('fails an unknown patient and a deactivated one, with the reason', async () => {
      expect((await ask(crypto.randomUUID())).event).toMatchObject({
        eventType: 'PatientValidationFailed',
        payload: { reason: 'PATIENT_NOT_FOUND' },
      });
      const patient = await register();
      await deactivate(one, patient.id);
      expect((await ask(patient.id)).event).toMatchObject({
        eventType: 'PatientValidationFailed',
        payload: { reason: 'PATIENT_INACTIVE' },
      });
    });

    it('answers a request delivered twice only once', async () => {
      const patient = await register();
      const request = sampleEvent('ConsultationSchedulingStarted', { consultationId: crypto.randomUUID(), patientId: patient.id });
      await publishEvent(broker, request, { sagaId: 'saga-twice' });
      await publishEvent(broker, request, { sagaId: 'saga-twice' });
      await probe.take(replyProbe.name, 1);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await probe.count(replyProbe.name)).toBe(0);
    });

    it('dead-letters a request without a saga id', async () => {
      const request = sampleEvent('ConsultationSchedulingStarted', { consultationId: crypto.randomUUID() });
      await publishEvent(broker, request);
      const [dead] = await probe.take(dlqName('patient-service.saga'), 1);
      expect(dead!.properties.headers?.['x-dead-letter-reason']).toBe('missing-saga-id');
    });
  });

  it('answers 503 while PostgreSQL is unreachable, changes nothing, and recovers', async () => {
    const { proxy, url: viaProxy } = await TcpProxy.inFrontOf(inject('pgUrl'), 5432);
    const outagePrefix = testDbPrefix('patients_outage');
    const instance = await startTestInstance(patientsService, testConfig(vhost.url, outagePrefix, { PG_URL: viaProxy }), 'instance-3');
    const client = patientsClient(instance.url);
    const gil = () => json(client.patients.$post({ json: { name: 'Gil', email: 'gil@example.org' } }));
    try {
      await proxy.cut();
      const refused = await gil();
      expectStatus(refused, 503);
      expect(refused.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect((await json(client.patients.$get({ query: {} }))).status).toBe(503);
      expect((await json(client.ready.$get())).status).toBe(503);

      await proxy.open();
      await eventually(async () => expect((await gil()).status).toBe(201));
      const { rows } = await instance.databases.write.pool.query('SELECT count(*)::int AS n FROM patients');
      expect(rows[0].n).toBe(1);
    } finally {
      await instance.stop();
      await proxy.close();
      await dropDatabases(outagePrefix);
    }
  });

  it('projects the same event delivered twice once, and never goes back to an older version (docs/specification.md §8.4)', async () => {
    const patientId = crypto.randomUUID();
    const base = {
      patientId,
      name: 'Filipa',
      email: 'f@example.org',
      birthDate: null,
      phone: null,
      status: 'ACTIVE' as const,
      createdAt: '2030-01-01T00:00:00Z',
      updatedAt: '2030-01-01T00:00:00Z',
    };
    const v2 = createEvent('PatientUpdated', { ...base, name: 'Filipa v2', version: 2 }, { sourceService: 'patient-service' });
    const v1 = createEvent('PatientRegistered', { ...base, version: 1 }, { sourceService: 'patient-service' });
    for (const event of [v2, v2, v1]) await publishEvent(broker, event);
    for (const client of [one, two]) {
      await eventually(async () => expect((await patientOn(client, patientId)).body).toMatchObject({ name: 'Filipa v2' }));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await patientOn(two, patientId)).body).toMatchObject({ name: 'Filipa v2' });
    const inbox = await instances[1]!.databases.read.pool.query('SELECT count(*)::int AS n FROM messaging_inbox WHERE event_id = $1', [
      v2.eventId,
    ]);
    expect(inbox.rows[0].n).toBe(1);
  });

  it('refuses at the door what PostgreSQL cannot hold: control characters, impossible birth dates, an empty PATCH (400 naming the field)', async () => {
    const email = () => `edge.${Math.random().toString(36).slice(2)}@example.org`;
    const post = (body: Omit<NewPatient, 'email'>) => json(one.patients.$post({ json: { email: email(), ...body } }));

    const nul = await post({ name: 'A\u0000b' });
    expectStatus(nul, 400);
    expect(nul.body.error.code).toBe('VALIDATION_FAILED');
    expect(detailsOf(nul)).toEqual([{ field: 'name', message: 'must not contain control characters' }]);
    expect(fieldsOf(await post({ name: 'Ana\nLima' }))).toEqual(['name']);
    expect(fieldsOf(await post({ name: 'Ana', phone: '+351\t900' }))).toEqual(['phone']);

    for (const birthDate of ['0000-01-01', '1899-12-31', new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)]) {
      const refused = await post({ name: 'Ana', birthDate });
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused)).toEqual(['birthDate']);
    }
    expect((await post({ name: 'Ana', birthDate: '1900-01-01' })).status).toBe(201);

    // A query string reaches PostgreSQL too.
    const query = await json(one.patients.$get({ query: { name: 'a\u0000b' } }));
    expect(query.status).toBe(400);
    expect(fieldsOf(query)).toEqual(['name']);

    const patient = await register();
    const empty = await change(one, patient.id, {});
    expect(empty.status).toBe(400);
    expect(detailsOf(empty)).toEqual([{ field: 'body', message: 'at least one of name, email, birthDate, phone' }]);
    expect(fieldsOf(await change(one, patient.id, { name: 'A\u0000' }))).toEqual(['name']);
    expect(fieldsOf(await change(one, patient.id, { birthDate: '0000-01-01' }))).toEqual(['birthDate']);
  });
});
