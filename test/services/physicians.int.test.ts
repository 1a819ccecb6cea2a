import type { CatalogPublisher } from '../support/broker-logins';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../libraries/events/catalog';
import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import type { PhysicianSnapshot } from '../../libraries/events/physicians';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { dlqName } from '../../libraries/messaging/topology';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { physiciansService } from '../../services/physicians/service';
import { eventually } from '../../libraries/common/eventually';
import { detailsOf, expectStatus, fieldsOf, json, physiciansClient, type PhysiciansClient } from '../support/clients';
import { QueueProbe } from '../support/queue-probe';
import type { RawClient } from '../support/raw-client';
import { consultationAt, sagaEndEvent } from '../support/consultations';
import { testQueue } from '../support/probes';
import { catalogEvent } from '../support/sample-events';
import { startServicePair, type ServicePair } from '../support/service-pair';
import { instanceAdminPaths } from '../support/admin-paths';

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
  let pair: ServicePair<PhysiciansClient>;
  let instances: RunningInstance[];
  let one: PhysiciansClient;
  let two: PhysiciansClient;
  let raw: RawClient;
  let broker: CatalogPublisher;
  let probe: QueueProbe;
  const entityEvents = new Mailbox(() => probe, entityProbe.name);
  const replies = new Mailbox(() => probe, replyProbe.name);

  beforeAll(async () => {
    pair = await startServicePair(physiciansService, 'physicians', [entityProbe, replyProbe], physiciansClient);
    ({ instances, one, two, raw, broker, probe } = pair);
  });

  afterAll(async () => {
    await pair?.stop();
  });

  type NewPhysician = Parameters<PhysiciansClient['physicians']['$post']>[0]['json'];
  type Options = { headers?: Record<string, string> };
  const register = async (body: Partial<NewPhysician> = {}) => {
    const created = await json(one.physicians.$post({ json: { name: 'Dr. Rui Sá', specialty: 'cardiology', ...body } }));
    expectStatus(created, 201);
    return created.body;
  };
  const physicianOn = (client: PhysiciansClient, id: string, options?: Options) =>
    json(client.physicians[':id'].$get({ param: { id } }, options));
  const change = (client: PhysiciansClient, id: string, changes: Partial<NewPhysician>, options?: Options) =>
    json(client.physicians[':id'].$patch({ param: { id }, json: changes }, options));
  const deactivate = (client: PhysiciansClient, id: string, options?: Options) =>
    json(client.physicians[':id'].deactivate.$post({ param: { id } }, options));
  const slotsAnswer = (client: PhysiciansClient, id: string, options?: Options) =>
    json(client.physicians[':id'].slots.$get({ param: { id } }, options));
  const eventsOf = (physicianId: string) => entityEvents.matching((message) => message.event.payload.physicianId === physicianId);
  const slotsOf = async (physicianId: string, client = one) => {
    const slots = await slotsAnswer(client, physicianId);
    expectStatus(slots, 200);
    return slots.body.items;
  };

  describe('commands and queries', () => {
    it('registers a physician, emits PhysicianRegistered with the correlation id, and both instances come to show it (docs/specification.md §8.1, §8.2)', async () => {
      const created = await json(
        one.physicians.$post(
          { json: { name: 'Dra. Inês Moura', specialty: 'dermatology', licenseNumber: 'OM-4242' } },
          { headers: { 'X-Correlation-Id': 'req-physician-1' } },
        ),
      );
      expectStatus(created, 201);
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
        await eventually(async () => expect((await physicianOn(client, created.body.id)).body).toEqual(created.body));
      }
    });

    it('registers without a license number, and makes a correlation id when the request has none', async () => {
      const created = await json(two.physicians.$post({ json: { name: 'Dr. Tiago Reis', specialty: 'pediatrics' } }));
      expectStatus(created, 201);
      expect(created.body.licenseNumber).toBeNull();
      const correlationId = created.headers.get('x-correlation-id');
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
      const [registered] = await entityEvents.waitFor((message) => message.event.payload.physicianId === created.body.id);
      expect(registered!.headers['x-correlation-id']).toBe(correlationId);
    });

    it('updates a physician everywhere with PhysicianUpdated, and clears the license number with null', async () => {
      const physician = await register({ name: 'Dr. Paulo Neves', licenseNumber: 'OM-1' });
      const updated = await change(
        two,
        physician.id,
        { specialty: 'neurology', licenseNumber: null },
        { headers: { 'X-Correlation-Id': 'req-update-1' } },
      );
      expectStatus(updated, 200);
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
        await eventually(async () => expect((await physicianOn(client, physician.id)).body).toEqual(updated.body));
      }
    });

    it('lists by part of the name, specialty and status, from each instance', async () => {
      const tag = Math.random().toString(36).slice(2, 8);
      const [cardio, ortho, inactive] = [
        await register({ name: `Alves ${tag}`, specialty: 'Cardiology' }),
        await register({ name: `Bento ${tag}`, specialty: 'orthopedics' }),
        await register({ name: `Costa ${tag}`, specialty: 'cardiology' }),
      ];
      await deactivate(one, inactive.id);
      const list = async (client: PhysiciansClient, query: Parameters<PhysiciansClient['physicians']['$get']>[0]['query']) => {
        const listed = await json(client.physicians.$get({ query }));
        expectStatus(listed, 200);
        return listed.body.items;
      };
      const ids = async (...query: Parameters<typeof list>) => (await list(...query)).map((item) => item.id);
      for (const client of [one, two]) {
        await eventually(async () => expect(await ids(client, { name: tag.toUpperCase(), status: 'INACTIVE' })).toEqual([inactive.id]));
        expect(await ids(client, { name: tag })).toEqual([cardio.id, ortho.id, inactive.id]);
        expect(await ids(client, { name: tag, specialty: 'CARDIOLOGY' })).toEqual([cardio.id, inactive.id]);
        expect(await ids(client, { name: tag, specialty: 'cardiology', status: 'ACTIVE' })).toEqual([cardio.id]);
        expect(await ids(client, { name: tag, specialty: 'cardio' })).toEqual([]);
      }
      expect((await list(one, {})).length).toBeGreaterThanOrEqual(3);
    });

    it('deactivates once; repeating it is harmless and emits nothing', async () => {
      const physician = await register({ name: 'Dra. Rita Lopes' });
      const first = await deactivate(one, physician.id, { headers: { 'X-Correlation-Id': 'req-deactivate-1' } });
      const again = await deactivate(two, physician.id);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: physician.id, status: 'INACTIVE' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      for (const client of [one, two]) {
        await eventually(async () => expect((await physicianOn(client, physician.id)).body).toMatchObject({ status: 'INACTIVE' }));
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
      const fields = (response: { status: number; body: unknown }) => fieldsOf(response).sort();

      // Wrong types, unknown fields, bodies that are not JSON, a status no physician has: the raw client's.
      const invalid = await raw.post('/physicians', { name: ' ', licenseNumber: 7, nickname: 'x' }, { 'X-Correlation-Id': 'req-bad' });
      expect(invalid.status).toBe(400);
      expect(invalid.headers.get('x-correlation-id')).toBe('req-bad');
      expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
      expect(fields(invalid)).toEqual(['licenseNumber', 'name', 'nickname', 'specialty']);

      const malformed = await raw.post('/physicians', '{"name": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('MALFORMED_JSON');

      const physician = await register();
      const empty = await change(one, physician.id, {});
      expectStatus(empty, 400);
      expect(empty.body.error.code).toBe('VALIDATION_FAILED');
      expect(fields(await raw.patch(`/physicians/${physician.id}`, { status: 'INACTIVE' }))).toContain('status');
      expect(fields(await change(one, physician.id, { specialty: '' }))).toEqual(['specialty']);
      expect((await raw.patch(`/physicians/${physician.id}`, '{')).body.error.code).toBe('MALFORMED_JSON');

      expect(fields(await physicianOn(one, 'not-a-uuid'))).toEqual(['id']);
      expect(fields(await slotsAnswer(one, 'not-a-uuid'))).toEqual(['id']);
      expect(fields(await raw.get('/physicians?status=RETIRED'))).toEqual(['status']);

      const unknown = crypto.randomUUID();
      const traced = { headers: { 'X-Correlation-Id': 'req-404' } };
      for (const response of [
        await physicianOn(one, unknown, traced),
        await change(one, unknown, { name: 'X' }, traced),
        await deactivate(one, unknown, traced),
        await slotsAnswer(one, unknown, traced),
      ]) {
        expectStatus(response, 404);
        expect(response.body.error.code).toBe('NOT_FOUND');
        expect(response.headers.get('x-correlation-id')).toBe('req-404');
      }

      for (const huge of [
        await json(one.physicians.$post({ json: { name: 'x'.repeat(70_000), specialty: 'cardiology' } })),
        await change(one, physician.id, { name: 'x'.repeat(70_000) }),
      ]) {
        expectStatus(huge, 413);
        expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('shows no slots for a physician without consultations; serves health and the OpenAPI document', async () => {
      const physician = await register();
      expect(await slotsAnswer(one, physician.id)).toMatchObject({ status: 200, body: { items: [] } });
      expect((await json(two.health.$get())).body).toEqual({ status: 'ok', service: 'physician-service', instance: 'instance-2' });
      expect((await json(one.ready.$get())).body).toMatchObject({
        status: 'ready',
        checks: { writeDatabase: 'ok', readDatabase: 'ok', broker: 'ok' },
      });
      const spec = await raw.get('/openapi.json');
      expect(Object.keys(spec.body.paths).sort()).toEqual([
        ...instanceAdminPaths,
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
      await deactivate(one, inactive.id);
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
      expect((await slotsOf(active.id)).map((slot) => slot.consultationId)).toEqual([taken.consultationId]);
    });

    it('takes a slot that starts exactly when another ends (half-open ranges)', async () => {
      const physician = await register();
      const first = consultationAt(physician.id, future(1000), 30);
      const next = consultationAt(physician.id, future(1030), 30);
      await ask(first);
      await replyTo(first.consultationId);
      await ask(next);
      expect((await replyTo(next.consultationId)).event.eventType).toBe('PhysicianAvailabilityConfirmed');
      expect((await slotsOf(physician.id)).map((slot) => slot.status)).toEqual(['HELD', 'HELD']);
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
      expect((await slotsOf(physician.id)).map((slot) => slot.consultationId)).toEqual([later.consultationId]);
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
      expect((await slotsOf(physician.id)).map((slot) => slot.consultationId)).toEqual([marker.consultationId]);
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
        await eventually(async () => expect((await physicianOn(client, marker.payload.physicianId)).status).toBe(200));
      }
      await settle();
      for (const [index, client] of [one, two].entries()) {
        expect((await physicianOn(client, physicianId)).body).toMatchObject({ id: physicianId, name: 'Dr. Hugo v2' });
        const inbox = await instances[index]!.databases.read.pool.query(
          'SELECT count(*)::int AS n FROM messaging_inbox WHERE event_id = $1',
          [v2.eventId],
        );
        expect(inbox.rows[0].n).toBe(1);
      }
    });
  });

  it('refuses at the door what PostgreSQL cannot hold: control characters, an empty PATCH (400 naming the field)', async () => {
    const post = (body: NewPhysician) => json(one.physicians.$post({ json: body }));

    const nul = await post({ name: 'A\u0000b', specialty: 'cardiology' });
    expectStatus(nul, 400);
    expect(nul.body.error.code).toBe('VALIDATION_FAILED');
    expect(detailsOf(nul)).toEqual([{ field: 'name', message: 'must not contain control characters' }]);
    expect(fieldsOf(await post({ name: 'Dr. X', specialty: 'cardio\u007f' }))).toEqual(['specialty']);
    expect(fieldsOf(await post({ name: 'Dr. X', specialty: 'cardiology', licenseNumber: 'OM\n1' }))).toEqual(['licenseNumber']);

    for (const [query, field] of [
      [{ name: 'a\u0000b' }, 'name'],
      [{ specialty: '\u0000' }, 'specialty'],
    ] as const) {
      const refused = await json(one.physicians.$get({ query }));
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused)).toEqual([field]);
    }

    const physician = await register();
    const empty = await change(one, physician.id, {});
    expect(empty.status).toBe(400);
    expect(detailsOf(empty)).toEqual([{ field: 'body', message: 'at least one of name, specialty, licenseNumber' }]);
    expect(fieldsOf(await change(one, physician.id, { name: 'A\u0000' }))).toEqual(['name']);
  });
});
