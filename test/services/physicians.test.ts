import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../events/catalog';
import type { ConsultationSnapshot } from '../../events/consultations';
import type { PhysicianSnapshot } from '../../events/physicians';
import { Broker } from '../../messaging/broker';
import { publishEvent } from '../../messaging/publish-event';
import { dlqName } from '../../messaging/topology';
import type { RunningInstance } from '../../runtime/service-instance';
import { physiciansService } from '../../services/physicians/service';
import { eventually } from '../../lib/eventually';
import type { JsonClient } from '../support/http';
import { QueueProbe } from '../support/queue-probe';
import { consultationAt, sagaEndEvent } from '../support/consultations';
import { testQueue } from '../support/probes';
import { catalogEvent } from '../support/sample-events';
import { startServicePair, type ServicePair } from '../support/service-pair';

const entityProbe = testQueue('probe.physician-events', 'hap.physicians', 'physician.*');
const replyProbe = testQueue('probe.physician-replies', 'hap.physicians', 'physician.availability.*');
const sagaDlq = dlqName('physician-service.saga');

interface Received {
  event: DomainEvent & { payload: any };
  headers: Record<string, unknown>;
}

/** Everything a probe queue has delivered so far, so that each test can pick out its own messages. */
class Mailbox {
  private readonly received: Received[] = [];

  constructor(
    private readonly probe: () => QueueProbe,
    private readonly queue: string,
  ) {}

  async matching(match: (message: Received) => boolean): Promise<Received[]> {
    for (const message of await this.probe().drain(this.queue)) {
      this.received.push({ event: JSON.parse(message.content.toString()), headers: message.properties.headers ?? {} });
    }
    return this.received.filter(match);
  }

  /** Waits until at least `count` messages match. */
  async waitFor(match: (message: Received) => boolean, count = 1): Promise<Received[]> {
    return eventually(async () => {
      const found = await this.matching(match);
      expect(found.length).toBeGreaterThanOrEqual(count);
      return found;
    });
  }
}

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));
const minutes = 60_000;
/** A point in the future, far enough not to pass during the test. */
const future = (offsetMinutes = 0) => new Date(Date.UTC(2031, 0, 6, 9) + offsetMinutes * minutes);

describe('physicians service', () => {
  let pair: ServicePair;
  let instances: RunningInstance[];
  let one: JsonClient;
  let two: JsonClient;
  let broker: Broker;
  let probe: QueueProbe;
  const entityEvents = new Mailbox(() => probe, entityProbe.name);
  const replies = new Mailbox(() => probe, replyProbe.name);

  beforeAll(async () => {
    pair = await startServicePair(physiciansService, 'physicians', [entityProbe, replyProbe]);
    ({ instances, one, two, broker, probe } = pair);
  });

  afterAll(async () => {
    await pair?.stop();
  });

  const register = async (body: Record<string, unknown> = {}) => {
    const created = await one.post('/physicians', { name: 'Dr. Rui Sá', specialty: 'cardiology', ...body });
    expect(created.status).toBe(201);
    return created.body;
  };
  const eventsOf = (physicianId: string) => entityEvents.matching((message) => message.event.payload.physicianId === physicianId);
  const slotsOf = async (physicianId: string, client = one) => (await client.get(`/physicians/${physicianId}/slots`)).body.items;

  describe('commands and queries', () => {
    it('registers a physician, emits PhysicianRegistered with the correlation id, and both instances come to show it (docs/specification.md §8.1, §8.2)', async () => {
      const created = await one.post(
        '/physicians',
        { name: 'Dra. Inês Moura', specialty: 'dermatology', licenseNumber: 'OM-4242' },
        { 'X-Correlation-Id': 'req-physician-1' },
      );
      expect(created.status).toBe(201);
      expect(created.headers.get('x-correlation-id')).toBe('req-physician-1');
      expect(created.headers.get('location')).toBe(`/physicians/${created.body.id}`);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Dra. Inês Moura',
        specialty: 'dermatology',
        licenseNumber: 'OM-4242',
        status: 'ACTIVE',
        createdAt: expect.any(String),
        updatedAt: created.body.createdAt,
      });

      const [registered] = await entityEvents.waitFor((message) => message.event.payload.physicianId === created.body.id);
      expect(registered!.event).toMatchObject({
        eventType: 'PhysicianRegistered',
        sourceService: 'physician-service',
        payload: {
          physicianId: created.body.id,
          name: 'Dra. Inês Moura',
          specialty: 'dermatology',
          licenseNumber: 'OM-4242',
          status: 'ACTIVE',
          version: 1,
        },
      });
      expect(registered!.headers['x-correlation-id']).toBe('req-physician-1');

      for (const client of [one, two]) {
        await eventually(async () => expect((await client.get(`/physicians/${created.body.id}`)).body).toEqual(created.body));
      }
    });

    it('registers without a license number, and makes a correlation id when the request has none', async () => {
      const created = await two.post('/physicians', { name: 'Dr. Tiago Reis', specialty: 'pediatrics' });
      expect(created.status).toBe(201);
      expect(created.body.licenseNumber).toBeNull();
      const correlationId = created.headers.get('x-correlation-id');
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
      const [registered] = await entityEvents.waitFor((message) => message.event.payload.physicianId === created.body.id);
      expect(registered!.headers['x-correlation-id']).toBe(correlationId);
    });

    it('updates a physician everywhere with PhysicianUpdated, and clears the license number with null', async () => {
      const physician = await register({ name: 'Dr. Paulo Neves', licenseNumber: 'OM-1' });
      const updated = await two.patch(
        `/physicians/${physician.id}`,
        { specialty: 'neurology', licenseNumber: null },
        { 'X-Correlation-Id': 'req-update-1' },
      );
      expect(updated.status).toBe(200);
      expect(updated.headers.get('x-correlation-id')).toBe('req-update-1');
      expect(updated.body).toMatchObject({
        id: physician.id,
        name: 'Dr. Paulo Neves',
        specialty: 'neurology',
        licenseNumber: null,
        status: 'ACTIVE',
        createdAt: physician.createdAt,
      });

      const [event] = await entityEvents.waitFor(
        (message) => message.event.eventType === 'PhysicianUpdated' && message.event.payload.physicianId === physician.id,
      );
      expect(event!.event.payload).toMatchObject({ specialty: 'neurology', licenseNumber: null, version: 2 });
      expect(event!.headers['x-correlation-id']).toBe('req-update-1');
      for (const client of [one, two]) {
        await eventually(async () => expect((await client.get(`/physicians/${physician.id}`)).body).toEqual(updated.body));
      }
    });

    it('lists by part of the name, specialty and status, from each instance', async () => {
      const tag = Math.random().toString(36).slice(2, 8);
      const [cardio, ortho, inactive] = [
        await register({ name: `Alves ${tag}`, specialty: 'Cardiology' }),
        await register({ name: `Bento ${tag}`, specialty: 'orthopedics' }),
        await register({ name: `Costa ${tag}`, specialty: 'cardiology' }),
      ];
      await one.post(`/physicians/${inactive.id}/deactivate`);
      const ids = async (client: JsonClient, query: string) =>
        (await client.get(`/physicians?${query}`)).body.items.map((item: { id: string }) => item.id);
      for (const client of [one, two]) {
        await eventually(async () => expect(await ids(client, `name=${tag.toUpperCase()}&status=INACTIVE`)).toEqual([inactive.id]));
        expect(await ids(client, `name=${tag}`)).toEqual([cardio.id, ortho.id, inactive.id]);
        expect(await ids(client, `name=${tag}&specialty=CARDIOLOGY`)).toEqual([cardio.id, inactive.id]);
        expect(await ids(client, `name=${tag}&specialty=cardiology&status=ACTIVE`)).toEqual([cardio.id]);
        expect(await ids(client, `name=${tag}&specialty=cardio`)).toEqual([]);
      }
      expect((await one.get('/physicians')).body.items.length).toBeGreaterThanOrEqual(3);
    });

    it('deactivates once; repeating it is harmless and emits nothing', async () => {
      const physician = await register({ name: 'Dra. Rita Lopes' });
      const first = await one.post(`/physicians/${physician.id}/deactivate`, undefined, { 'X-Correlation-Id': 'req-deactivate-1' });
      const again = await two.post(`/physicians/${physician.id}/deactivate`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: physician.id, status: 'INACTIVE' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      for (const client of [one, two]) {
        await eventually(async () => expect((await client.get(`/physicians/${physician.id}`)).body.status).toBe('INACTIVE'));
      }
      await settle();
      // Both instances' relays publish from the shared outbox, so the broker may carry the two in either order; the versions say which came first.
      const events = (await eventsOf(physician.id)).sort((a, b) => a.event.payload.version - b.event.payload.version);
      expect(events.map((message) => [message.event.eventType, message.event.payload.version])).toEqual([
        ['PhysicianRegistered', 1],
        ['PhysicianDeactivated', 2],
      ]);
      expect(events[1]!.headers['x-correlation-id']).toBe('req-deactivate-1');
    });

    it('answers bad input with 400 naming the field, unknown ids with 404, big bodies with 413', async () => {
      const fields = (response: { body: any }) => response.body.error.details.map((detail: { field: string }) => detail.field).sort();

      const invalid = await one.post('/physicians', { name: ' ', licenseNumber: 7, nickname: 'x' }, { 'X-Correlation-Id': 'req-bad' });
      expect(invalid.status).toBe(400);
      expect(invalid.headers.get('x-correlation-id')).toBe('req-bad');
      expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
      expect(fields(invalid)).toEqual(['licenseNumber', 'name', 'nickname', 'specialty']);

      const malformed = await one.post('/physicians', '{"name": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('MALFORMED_JSON');

      const physician = await register();
      const empty = await one.patch(`/physicians/${physician.id}`, {});
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('VALIDATION_FAILED');
      expect(fields(await one.patch(`/physicians/${physician.id}`, { status: 'INACTIVE' }))).toContain('status');
      expect(fields(await one.patch(`/physicians/${physician.id}`, { specialty: '' }))).toEqual(['specialty']);
      expect((await one.patch(`/physicians/${physician.id}`, '{')).body.error.code).toBe('MALFORMED_JSON');

      expect(fields(await one.get('/physicians/not-a-uuid'))).toEqual(['id']);
      expect(fields(await one.get('/physicians/not-a-uuid/slots'))).toEqual(['id']);
      expect(fields(await one.get('/physicians?status=RETIRED'))).toEqual(['status']);

      const unknown = crypto.randomUUID();
      for (const response of [
        await one.get(`/physicians/${unknown}`, { 'X-Correlation-Id': 'req-404' }),
        await one.patch(`/physicians/${unknown}`, { name: 'X' }, { 'X-Correlation-Id': 'req-404' }),
        await one.post(`/physicians/${unknown}/deactivate`, undefined, { 'X-Correlation-Id': 'req-404' }),
        await one.get(`/physicians/${unknown}/slots`, { 'X-Correlation-Id': 'req-404' }),
      ]) {
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('NOT_FOUND');
        expect(response.headers.get('x-correlation-id')).toBe('req-404');
      }

      for (const huge of [
        await one.post('/physicians', { name: 'x'.repeat(70_000), specialty: 'cardiology' }),
        await one.patch(`/physicians/${physician.id}`, { name: 'x'.repeat(70_000) }),
      ]) {
        expect(huge.status).toBe(413);
        expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('shows no slots for a physician without consultations; serves health and the OpenAPI document', async () => {
      const physician = await register();
      expect(await one.get(`/physicians/${physician.id}/slots`)).toMatchObject({ status: 200, body: { items: [] } });
      expect((await two.get('/health')).body).toEqual({ status: 'ok', service: 'physician-service', instance: 'instance-2' });
      expect((await one.get('/ready')).body).toMatchObject({
        status: 'ready',
        checks: { writeDatabase: 'ok', readDatabase: 'ok', broker: 'ok' },
      });
      const spec = await one.get('/openapi.json');
      expect(Object.keys(spec.body.paths).sort()).toEqual([
        '/physicians',
        '/physicians/{id}',
        '/physicians/{id}/deactivate',
        '/physicians/{id}/slots',
      ]);
    });
  });

  describe('saga participant: holds, confirms and releases slots', () => {
    /** Publishes the saga's question as the scheduling saga does, with its saga and correlation ids. */
    async function ask(consultation: ConsultationSnapshot, eventId?: string) {
      const sagaId = `schedule-${consultation.consultationId}`;
      const correlationId = `corr-${crypto.randomUUID()}`;
      const request = catalogEvent('ConsultationSchedulingStarted', consultation, eventId);
      await publishEvent(broker, request, { sagaId, correlationId });
      return { request, sagaId, correlationId };
    }
    const repliesTo = (consultationId: string) => replies.matching((message) => message.event.payload.consultationId === consultationId);
    const replyTo = async (consultationId: string) => {
      const [reply] = await replies.waitFor((message) => message.event.payload.consultationId === consultationId);
      return reply!;
    };
    const tell = (type: 'ConsultationScheduled' | 'ConsultationCancelled', consultation: ConsultationSnapshot) =>
      publishEvent(broker, sagaEndEvent(type, consultation, { status: 'CANCELLED', statusReason: 'CANCELLED_BY_REQUEST', version: 3 }), {
        sagaId: `saga-${consultation.consultationId}`,
      });

    it('confirms an active physician with a free slot and holds it, carrying the saga and correlation ids', async () => {
      const physician = await register({ name: 'Dra. Sofia Pinto', specialty: 'oncology' });
      const consultation = consultationAt(physician.id, future(0), 45);
      const { sagaId, correlationId } = await ask(consultation);
      const reply = await replyTo(consultation.consultationId);
      expect(reply.event).toMatchObject({
        eventType: 'PhysicianAvailabilityConfirmed',
        sourceService: 'physician-service',
        payload: {
          consultationId: consultation.consultationId,
          physicianId: physician.id,
          physicianName: 'Dra. Sofia Pinto',
          specialty: 'oncology',
          startsAt: consultation.startsAt,
          endsAt: consultation.endsAt,
        },
      });
      expect(reply.headers).toMatchObject({ 'x-saga-id': sagaId, 'x-correlation-id': correlationId });
      for (const client of [one, two]) {
        expect(await slotsOf(physician.id, client)).toEqual([
          { consultationId: consultation.consultationId, startsAt: consultation.startsAt, endsAt: consultation.endsAt, status: 'HELD' },
        ]);
      }
    });

    it('rejects in order: PHYSICIAN_NOT_FOUND, PHYSICIAN_INACTIVE, SLOT_IN_PAST, SLOT_TAKEN', async () => {
      const active = await register();
      const inactive = await register();
      await one.post(`/physicians/${inactive.id}/deactivate`);
      const taken = consultationAt(active.id, future(600), 60);
      await ask(taken);
      expect((await replyTo(taken.consultationId)).event.eventType).toBe('PhysicianAvailabilityConfirmed');

      const cases = [
        { consultation: consultationAt(crypto.randomUUID(), future(600)), reason: 'PHYSICIAN_NOT_FOUND' },
        { consultation: consultationAt(inactive.id, new Date(Date.now() - 60 * minutes)), reason: 'PHYSICIAN_INACTIVE' },
        { consultation: consultationAt(active.id, new Date(Date.now() - 10 * minutes)), reason: 'SLOT_IN_PAST' },
        { consultation: consultationAt(active.id, future(630)), reason: 'SLOT_TAKEN' },
      ];
      const asked = await Promise.all(cases.map(({ consultation }) => ask(consultation)));
      for (const [index, { consultation, reason }] of cases.entries()) {
        const reply = await replyTo(consultation.consultationId);
        expect(reply.event).toMatchObject({
          eventType: 'PhysicianAvailabilityRejected',
          payload: { consultationId: consultation.consultationId, physicianId: consultation.physicianId, reason },
        });
        expect(reply.headers).toMatchObject({ 'x-saga-id': asked[index]!.sagaId, 'x-correlation-id': asked[index]!.correlationId });
      }
      expect((await slotsOf(active.id)).map((slot: { consultationId: string }) => slot.consultationId)).toEqual([taken.consultationId]);
    });

    it('takes a slot that starts exactly when another ends (half-open ranges)', async () => {
      const physician = await register();
      const first = consultationAt(physician.id, future(1000), 30);
      const next = consultationAt(physician.id, future(1030), 30);
      await ask(first);
      await replyTo(first.consultationId);
      await ask(next);
      expect((await replyTo(next.consultationId)).event.eventType).toBe('PhysicianAvailabilityConfirmed');
      expect((await slotsOf(physician.id)).map((slot: { status: string }) => slot.status)).toEqual(['HELD', 'HELD']);
    });

    it('confirms a held slot on ConsultationScheduled and frees the time on ConsultationCancelled', async () => {
      const physician = await register();
      const consultation = consultationAt(physician.id, future(2000));
      await ask(consultation);
      await replyTo(consultation.consultationId);

      await tell('ConsultationScheduled', consultation);
      await eventually(async () => expect((await slotsOf(physician.id))[0]?.status).toBe('CONFIRMED'));
      const rival = consultationAt(physician.id, future(2010));
      await ask(rival);
      expect((await replyTo(rival.consultationId)).event.payload.reason).toBe('SLOT_TAKEN');

      await tell('ConsultationCancelled', consultation);
      await eventually(async () => expect(await slotsOf(physician.id)).toEqual([]));
      const later = consultationAt(physician.id, future(2010));
      await ask(later);
      expect((await replyTo(later.consultationId)).event.eventType).toBe('PhysicianAvailabilityConfirmed');
      expect((await slotsOf(physician.id)).map((slot: { consultationId: string }) => slot.consultationId)).toEqual([later.consultationId]);
    });

    it('ignores confirmations and releases of slots it never held, and a question that arrives after the release', async () => {
      const physician = await register();
      const never = consultationAt(physician.id, future(3000));
      await tell('ConsultationScheduled', never);
      await tell('ConsultationCancelled', never);
      // Consumers run concurrently, so wait for the release to be recorded before asking.
      const write = instances[0]!.databases.write.pool;
      await eventually(async () => {
        const { rows } = await write.query('SELECT status FROM physician_slots WHERE consultation_id = $1', [never.consultationId]);
        expect(rows).toEqual([{ status: 'RELEASED' }]);
      });
      // The saga gave up (timeout) before the question was answered: the late question holds nothing.
      await ask(never);
      const marker = consultationAt(physician.id, future(3100));
      await ask(marker);
      await replyTo(marker.consultationId);
      await settle();
      expect(await repliesTo(never.consultationId)).toEqual([]);
      expect((await slotsOf(physician.id)).map((slot: { consultationId: string }) => slot.consultationId)).toEqual([marker.consultationId]);
      expect(await probe.count(sagaDlq)).toBe(0);
    });

    it('confirms again, without a second slot, when the same consultation is asked again with a new event', async () => {
      const physician = await register();
      const consultation = consultationAt(physician.id, future(4000));
      await ask(consultation);
      await replyTo(consultation.consultationId);
      await ask(consultation);
      const answers = await replies.waitFor((message) => message.event.payload.consultationId === consultation.consultationId, 2);
      expect(answers.map((message) => message.event.eventType)).toEqual([
        'PhysicianAvailabilityConfirmed',
        'PhysicianAvailabilityConfirmed',
      ]);
      expect(answers[1]!.event.payload).toEqual(answers[0]!.event.payload);
      expect(await slotsOf(physician.id)).toHaveLength(1);
    });

    it('dead-letters a question without a saga id, and one whose consultation ends before it starts', async () => {
      const physician = await register();
      const noSaga = catalogEvent('ConsultationSchedulingStarted', consultationAt(physician.id, future(5000)));
      await publishEvent(broker, noSaga, { correlationId: 'no-saga' });
      const inverted = consultationAt(physician.id, future(5100));
      const backwards = catalogEvent('ConsultationSchedulingStarted', { ...inverted, endsAt: inverted.startsAt });
      await publishEvent(broker, backwards, { sagaId: 'saga-backwards' });

      const dead = await probe.take(sagaDlq, 2);
      const reasonOf = (eventId: string) =>
        dead.find((message) => message.properties.messageId === eventId)?.properties.headers?.['x-dead-letter-reason'];
      expect(reasonOf(noSaga.eventId)).toBe('missing-saga-id');
      expect(reasonOf(backwards.eventId)).toBe('invalid-slot-time');
      expect(await slotsOf(physician.id)).toEqual([]);
      expect(await repliesTo(inverted.consultationId)).toEqual([]);
    });

    it('gives one of 20 concurrent overlapping questions for one physician the slot, and SLOT_TAKEN to the other 19', async () => {
      const physician = await register();
      // Each starts a minute after the previous and lasts 30 minutes: every pair overlaps.
      const consultations = Array.from({ length: 20 }, (_, index) => consultationAt(physician.id, future(6000 + index), 30));
      await Promise.all(consultations.map((consultation) => ask(consultation)));
      const ids = new Set(consultations.map((consultation) => consultation.consultationId));
      const answers = await replies.waitFor((message) => ids.has(message.event.payload.consultationId), 20);

      const confirmed = answers.filter((message) => message.event.eventType === 'PhysicianAvailabilityConfirmed');
      const rejected = answers.filter((message) => message.event.eventType === 'PhysicianAvailabilityRejected');
      expect(confirmed).toHaveLength(1);
      expect(rejected).toHaveLength(19);
      expect(new Set(rejected.map((message) => message.event.payload.reason))).toEqual(new Set(['SLOT_TAKEN']));
      const slots = await slotsOf(physician.id, two);
      expect(slots).toEqual([expect.objectContaining({ consultationId: confirmed[0]!.event.payload.consultationId, status: 'HELD' })]);
    });
    it('never leaves time blocked when a release races the hold it must undo', async () => {
      const physician = await register();
      // A saga that timed out sends ConsultationCancelled while its question is still
      // on the queue: both arrive together and run concurrently on the two instances.
      const consultations = Array.from({ length: 10 }, (_, index) => consultationAt(physician.id, future(8000 + index * 2)));
      await Promise.all(consultations.flatMap((consultation) => [ask(consultation), tell('ConsultationCancelled', consultation)]));
      await eventually(async () => expect(await probe.count('physician-service.saga')).toBe(0));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await slotsOf(physician.id)).toEqual([]);
    });

    it('is the database that refuses overlapping holds, not only the code around it', async () => {
      const physician = await register();
      const insert = (consultationId: string, startsAt: string, endsAt: string) =>
        instances[0]!.databases.write.pool.query(
          "INSERT INTO physician_slots (consultation_id, physician_id, starts_at, ends_at, status, updated_at) VALUES ($1, $2, $3, $4, 'HELD', now())",
          [consultationId, physician.id, startsAt, endsAt],
        );
      await insert(crypto.randomUUID(), '2040-01-01T10:00:00Z', '2040-01-01T10:30:00Z');
      await expect(insert(crypto.randomUUID(), '2040-01-01T10:15:00Z', '2040-01-01T10:45:00Z')).rejects.toMatchObject({ code: '23P01' });
    });
  });

  describe('the same event twice leaves the same state (docs/specification.md §8.4)', () => {
    it('the saga consumer answers a question delivered twice once', async () => {
      const physician = await register();
      const consultation = consultationAt(physician.id, future(7000));
      const request = catalogEvent('ConsultationSchedulingStarted', consultation);
      await publishEvent(broker, request, { sagaId: 'saga-twice', correlationId: 'corr-twice' });
      await replies.waitFor((message) => message.event.payload.consultationId === consultation.consultationId);
      await publishEvent(broker, request, { sagaId: 'saga-twice', correlationId: 'corr-twice' });
      // A later question, answered once the duplicate has been taken off the queue.
      const marker = consultationAt(physician.id, future(7100));
      await publishEvent(broker, catalogEvent('ConsultationSchedulingStarted', marker), { sagaId: 'saga-marker' });
      await replies.waitFor((message) => message.event.payload.consultationId === marker.consultationId);
      await settle();

      const answers = await replies.matching((message) => message.event.payload.consultationId === consultation.consultationId);
      expect(answers).toHaveLength(1);
      expect(answers[0]!.headers).toMatchObject({ 'x-saga-id': 'saga-twice', 'x-correlation-id': 'corr-twice' });
      expect(await slotsOf(physician.id)).toHaveLength(2);
      const outbox = await instances[0]!.databases.write.pool.query(
        "SELECT count(*)::int AS n FROM messaging_outbox WHERE envelope->'payload'->>'consultationId' = $1",
        [consultation.consultationId],
      );
      expect(outbox.rows[0].n).toBe(1);
    });

    it('the projection applies an event delivered twice once, and never goes back to an older version', async () => {
      const physicianId = crypto.randomUUID();
      const base: Omit<PhysicianSnapshot, 'version'> = {
        physicianId,
        name: 'Dr. Hugo',
        specialty: 'urology',
        licenseNumber: null,
        status: 'ACTIVE',
        createdAt: '2030-01-01T00:00:00.000Z',
        updatedAt: '2030-01-01T00:00:00.000Z',
      };
      const v2 = catalogEvent('PhysicianUpdated', { ...base, name: 'Dr. Hugo v2', version: 2 });
      const v1 = catalogEvent('PhysicianRegistered', { ...base, version: 1 });
      // The same eventId with a newer snapshot: only the inbox, not the version check, can keep it out.
      const replayed = { ...v2, payload: { ...v2.payload, name: 'Dr. Hugo replayed', version: 9 } };
      for (const event of [v2, v2, v1, replayed]) await publishEvent(broker, event);
      const marker = catalogEvent('PhysicianRegistered', { ...base, physicianId: crypto.randomUUID(), version: 1 });
      await publishEvent(broker, marker);

      for (const client of [one, two]) {
        await eventually(async () => expect((await client.get(`/physicians/${marker.payload.physicianId}`)).status).toBe(200));
      }
      await settle();
      for (const [index, client] of [one, two].entries()) {
        expect((await client.get(`/physicians/${physicianId}`)).body).toMatchObject({ id: physicianId, name: 'Dr. Hugo v2' });
        const inbox = await instances[index]!.databases.read.pool.query(
          'SELECT count(*)::int AS n FROM messaging_inbox WHERE event_id = $1',
          [v2.eventId],
        );
        expect(inbox.rows[0].n).toBe(1);
      }
    });
  });

  it('refuses at the door what PostgreSQL cannot hold: control characters, an empty PATCH (400 naming the field)', async () => {
    const details = (response: { body: any }) => response.body.error.details as { field: string; message: string }[];

    const nul = await one.post('/physicians', { name: 'A\u0000b', specialty: 'cardiology' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('VALIDATION_FAILED');
    expect(details(nul)).toEqual([{ field: 'name', message: 'must not contain control characters' }]);
    expect(details(await one.post('/physicians', { name: 'Dr. X', specialty: 'cardio\u007f' })).map((d) => d.field)).toEqual(['specialty']);
    expect(
      details(await one.post('/physicians', { name: 'Dr. X', specialty: 'cardiology', licenseNumber: 'OM\n1' })).map((d) => d.field),
    ).toEqual(['licenseNumber']);

    for (const query of ['/physicians?name=a%00b', '/physicians?specialty=%00']) {
      const refused = await one.get(query);
      expect(refused.status).toBe(400);
      expect(details(refused).map((d) => d.field)).toEqual([query.includes('name') ? 'name' : 'specialty']);
    }

    const physician = await register();
    const empty = await one.patch(`/physicians/${physician.id}`, {});
    expect(empty.status).toBe(400);
    expect(details(empty)).toEqual([{ field: 'body', message: 'at least one of name, specialty, licenseNumber' }]);
    expect(details(await one.patch(`/physicians/${physician.id}`, { name: 'A\u0000' })).map((d) => d.field)).toEqual(['name']);
  });
});
