import type { CatalogPublisher } from '../support/broker-logins';
import type { GetMessage } from 'amqplib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventType, PayloadOf } from '../../libraries/events/catalog';
import type { ConsultationStatus } from '../../libraries/events/consultations';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { dlqName } from '../../libraries/messaging/topology';
import { recordsService } from '../../services/records/service';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { eventually } from '../../libraries/common/eventually';
import { detailsOf, expectStatus, fieldsOf, json, recordsClient, type RecordsClient } from '../support/clients';
import { testQueue } from '../support/probes';
import { QueueProbe } from '../support/queue-probe';
import type { RawClient } from '../support/raw-client';
import { sampleEvent } from '../support/sample-events';
import { startServicePair, type ServicePair } from '../support/service-pair';
import { asPhysician } from '../support/tokens';
import { instanceAdminPaths } from '../support/admin-paths';

const recordProbe = testQueue('probe.record-events', 'hap.records', 'record.created', 'record.updated');
const voidedProbe = testQueue('probe.records-voided', 'hap.records', 'record.voided');

type ConsultationEventType = Extract<EventType, `Consultation${'Scheduled' | 'Done' | 'CancellationRequested' | 'Cancelled'}`>;
type Seen = { message: GetMessage; event: any };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('clinical records service', () => {
  let pair: ServicePair<RecordsClient>;
  let instances: RunningInstance[];
  let one: RecordsClient;
  let two: RecordsClient;
  let raw: RawClient;
  let broker: CatalogPublisher;
  let probe: QueueProbe;
  let writePool: pg.Pool;
  const seen = new Map<string, Seen[]>();

  beforeAll(async () => {
    // The consultations' physician: the one role that writes records, and reads them with the patient.
    const physician = asPhysician(physicianId);
    pair = await startServicePair(recordsService, 'records', [recordProbe, voidedProbe], (url) => recordsClient(url, physician), physician);
    ({ instances, one, two, raw, broker, probe } = pair);
    writePool = pair.instances[0].databases.write.pool;
  });

  afterAll(async () => {
    await pair?.stop();
  });

  /** Every message taken from a probe queue is kept, so that each test can pick the ones it cares about. */
  async function received(queue: string, match: (event: any) => boolean): Promise<Seen[]> {
    const kept = seen.get(queue) ?? [];
    for (const message of await probe.drain(queue)) kept.push({ message, event: JSON.parse(message.content.toString()) });
    seen.set(queue, kept);
    return kept.filter((entry) => match(entry.event));
  }
  async function messagesOn(queue: string, match: (event: any) => boolean, count = 1): Promise<Seen[]> {
    return eventually(async () => {
      const found = await received(queue, match);
      expect(found.length).toBeGreaterThanOrEqual(count);
      return found;
    });
  }
  const ofConsultation = (consultationId: string) => (event: any) => event.payload.consultationId === consultationId;
  const repliesFor = (consultationId: string, count = 1) => messagesOn(voidedProbe.name, ofConsultation(consultationId), count);

  const patientId = crypto.randomUUID();
  const physicianId = crypto.randomUUID();

  /** A consultation event as scheduling publishes it: the consultation snapshot with status and version. */
  function consultationEvent<T extends ConsultationEventType>(
    type: T,
    consultationId: string,
    status: ConsultationStatus,
    version: number,
  ) {
    const statusReason = status === 'CANCELLED' ? 'CANCELLED_BY_REQUEST' : status === 'REJECTED' ? 'SLOT_TAKEN' : null;
    return sampleEvent(type, { consultationId, patientId, physicianId, status, version, statusReason } as Partial<PayloadOf<T>>);
  }

  async function knownAs(consultationId: string, status: ConsultationStatus): Promise<void> {
    await eventually(async () => {
      const { rows } = await writePool.query('SELECT status FROM consultations WHERE id = $1', [consultationId]);
      expect(rows[0]?.status).toBe(status);
    });
  }

  /** Waits until the consumers of that database have applied the event (its inbox row commits with the handler's work). */
  async function applied(pool: pg.Pool, eventId: string): Promise<void> {
    await eventually(async () => {
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM messaging_inbox WHERE event_id = $1', [eventId]);
      expect(rows[0].n).toBe(1);
    });
  }

  /** A consultation records knows as SCHEDULED, learned the way scheduling will tell it. */
  async function scheduledConsultation(): Promise<string> {
    const consultationId = crypto.randomUUID();
    await publishEvent(broker, consultationEvent('ConsultationScheduled', consultationId, 'SCHEDULED', 2));
    await knownAs(consultationId, 'SCHEDULED');
    return consultationId;
  }

  async function requestCancellation(consultationId: string, headers: { sagaId?: string; correlationId?: string } = {}) {
    const request = consultationEvent('ConsultationCancellationRequested', consultationId, 'CANCELLATION_REQUESTED', 3);
    const sagaId = 'sagaId' in headers ? headers.sagaId : `cancel-${consultationId}`;
    await publishEvent(broker, request, { sagaId, correlationId: headers.correlationId ?? `corr-${consultationId}` });
    return request;
  }

  type NewRecord = Parameters<RecordsClient['records']['$post']>[0]['json'];
  type RecordChanges = Parameters<RecordsClient['records'][':id']['$patch']>[0]['json'];
  const write = (client: RecordsClient, consultationId: string, body: Partial<NewRecord> = {}, headers?: Record<string, string>) =>
    json(client.records.$post({ json: { consultationId, diagnosis: 'Acute bronchitis', ...body } }, { headers }));
  /** The record written, expecting its 201. */
  const written = async (...args: Parameters<typeof write>) => {
    const created = await write(...args);
    expectStatus(created, 201);
    return created.body;
  };
  const recordOn = (client: RecordsClient, id: string) => json(client.records[':id'].$get({ param: { id } }));
  const recordsOf = (client: RecordsClient, consultationId: string) => json(client.records.$get({ query: { consultationId } }));
  const change = (client: RecordsClient, id: string, changes: RecordChanges, headers?: Record<string, string>) =>
    json(client.records[':id'].$patch({ param: { id }, json: changes }, { headers }));

  async function versions(consultationId: string) {
    const { rows } = await writePool.query('SELECT id, status, version, updated_at FROM records WHERE consultation_id = $1 ORDER BY id', [
      consultationId,
    ]);
    return rows;
  }

  describe('commands and queries', () => {
    it('writes a record for a SCHEDULED consultation, emits ConsultationRecordCreated and both instances come to show it', async () => {
      const consultationId = await scheduledConsultation();
      const created = await write(
        one,
        consultationId,
        { diagnosis: 'Influenza', notes: 'rest', prescriptions: ['Paracetamol 1 g'] },
        { 'X-Correlation-Id': 'rec-req-1' },
      );
      expectStatus(created, 201);
      expect(created.headers.get('x-correlation-id')).toBe('rec-req-1');
      expect(created.headers.get('location')).toBe(`/records/${created.body.id}`);
      expect(created.body).toEqual({
        id: expect.any(String),
        consultationId,
        patientId,
        physicianId,
        diagnosis: 'Influenza',
        notes: 'rest',
        prescriptions: ['Paracetamol 1 g'],
        status: 'ACTIVE',
        consultationStatus: 'SCHEDULED',
        createdAt: created.body.createdAt,
        updatedAt: created.body.createdAt,
      });

      const [{ message, event }] = (await messagesOn(recordProbe.name, (e) => e.payload.recordId === created.body.id)) as [Seen];
      expect(event).toMatchObject({
        eventType: 'ConsultationRecordCreated',
        sourceService: 'clinical-records',
        payload: { consultationId, status: 'ACTIVE', version: 1 },
      });
      expect(message.properties.headers?.['x-correlation-id']).toBe('rec-req-1');

      for (const client of [one, two]) {
        await eventually(async () => expect((await recordOn(client, created.body.id)).body).toEqual(created.body));
        expect((await recordsOf(client, consultationId)).body).toEqual({ items: [created.body] });
      }
    });

    it('amends a record everywhere (notes can be cleared) and lists the records of a consultation', async () => {
      const consultationId = await scheduledConsultation();
      const first = await written(one, consultationId, { notes: 'cough for a week' });
      const second = await written(two, consultationId, { diagnosis: 'Follow-up' });

      const updated = await change(
        two,
        first.id,
        { diagnosis: 'Pneumonia', notes: null, prescriptions: ['Amoxicillin 500 mg'] },
        { 'X-Correlation-Id': 'rec-req-2' },
      );
      expectStatus(updated, 200);
      expect(updated.body).toMatchObject({
        id: first.id,
        diagnosis: 'Pneumonia',
        notes: null,
        prescriptions: ['Amoxicillin 500 mg'],
        status: 'ACTIVE',
        createdAt: first.createdAt,
      });
      expect(Date.parse(updated.body.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));

      const [{ message, event }] = (await messagesOn(
        recordProbe.name,
        (e) => e.eventType === 'ConsultationRecordUpdated' && e.payload.recordId === first.id,
      )) as [Seen];
      expect(event.payload).toMatchObject({ diagnosis: 'Pneumonia', version: 2 });
      expect(message.properties.headers?.['x-correlation-id']).toBe('rec-req-2');

      for (const client of [one, two]) {
        await eventually(async () => expect((await recordOn(client, first.id)).body).toEqual(updated.body));
        await eventually(async () => {
          const listed = await recordsOf(client, consultationId);
          expectStatus(listed, 200);
          expect(listed.body.items.map((item) => item.id)).toEqual([first.id, second.id]);
        });
      }
      expect((await recordsOf(one, crypto.randomUUID())).body).toEqual({ items: [] });
    });

    it("follows the consultation's status, and writes records for a DONE consultation", async () => {
      const consultationId = await scheduledConsultation();
      const record = await written(one, consultationId);
      await publishEvent(broker, consultationEvent('ConsultationDone', consultationId, 'DONE', 4));
      for (const client of [one, two]) {
        await eventually(async () => expect((await recordOn(client, record.id)).body).toMatchObject({ consultationStatus: 'DONE' }));
      }
      await knownAs(consultationId, 'DONE');
      const later = await write(two, consultationId, { diagnosis: 'Recovered' });
      expectStatus(later, 201);
      expect(later.body).toMatchObject({ status: 'ACTIVE', consultationStatus: 'DONE' });
    });

    it('refuses a consultation it never heard of (404) and one it knows as not SCHEDULED or DONE (409)', async () => {
      const unknown = await write(one, crypto.randomUUID());
      expectStatus(unknown, 404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');

      const cancelled = crypto.randomUUID();
      const rejected = crypto.randomUUID();
      const latest = consultationEvent('ConsultationCancelled', cancelled, 'CANCELLED', 4);
      const older = consultationEvent('ConsultationScheduled', cancelled, 'SCHEDULED', 2);
      await publishEvent(broker, latest);
      await publishEvent(broker, older); // late: must not move it back
      await publishEvent(broker, consultationEvent('ConsultationCancelled', rejected, 'REJECTED', 2));
      const requested = await scheduledConsultation();
      await requestCancellation(requested);

      await applied(writePool, older.eventId);
      for (const [consultationId, status] of [
        [cancelled, 'CANCELLED'],
        [rejected, 'REJECTED'],
        [requested, 'CANCELLATION_REQUESTED'],
      ] as const) {
        await knownAs(consultationId, status);
        const refused = await write(two, consultationId);
        expectStatus(refused, 409);
        expect(refused.body.error).toMatchObject({ code: 'CONFLICT', details: { consultationStatus: status } });
      }
    });

    it('answers bad input with 400 naming the field, unknown ids with 404, big bodies with 413', async () => {
      // Wrong types, unknown and missing fields, bodies that are not JSON: the raw client's.
      const invalid = await raw.post('/records', { consultationId: 'nope', diagnosis: ' ', prescriptions: [1], status: 'ACTIVE' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
      expect(invalid.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
        'consultationId',
        'diagnosis',
        'prescriptions.0',
        'status',
      ]);
      expect((await raw.post('/records', {})).body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
        'consultationId',
        'diagnosis',
      ]);

      const malformed = await raw.post('/records', '{"consultationId": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('MALFORMED_JSON');

      const consultationId = await scheduledConsultation();
      const record = await written(one, consultationId);
      const empty = await change(one, record.id, {});
      expectStatus(empty, 400);
      expect(empty.body.error.message).toMatch(/at least one of diagnosis, notes, prescriptions/);
      expect((await raw.patch(`/records/${record.id}`, { status: 'VOIDED' })).body.error.details[0].field).toBe('status');
      expect((await raw.patch(`/records/${record.id}`, { prescriptions: 'aspirin' })).body.error.details[0].field).toBe('prescriptions');
      expect(fieldsOf(await recordOn(one, 'not-a-uuid'))[0]).toBe('id');
      expect(fieldsOf(await recordsOf(one, 'x'))[0]).toBe('consultationId');

      const unknown = crypto.randomUUID();
      for (const response of [await recordOn(one, unknown), await change(two, unknown, { diagnosis: 'X' })]) {
        expectStatus(response, 404);
        expect(response.body.error.code).toBe('NOT_FOUND');
      }

      const huge = await write(one, consultationId, { notes: 'x'.repeat(70_000) }, { 'X-Correlation-Id': 'too-big' });
      expectStatus(huge, 413);
      expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(huge.headers.get('x-correlation-id')).toBe('too-big');
      expect((await recordOn(one, unknown)).headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('serves health, readiness and the OpenAPI document', async () => {
      expect((await json(two.health.$get())).body).toEqual({ status: 'ok', service: 'clinical-records', instance: 'instance-2' });
      expect((await json(two.ready.$get())).body).toMatchObject({
        status: 'ready',
        checks: { writeDatabase: 'ok', readDatabase: 'ok', broker: 'ok' },
      });
      expect(Object.keys((await raw.get('/openapi.json')).body.paths).sort()).toEqual([
        ...instanceAdminPaths,
        '/audit',
        '/records',
        '/records/{id}',
      ]);
    });
  });

  describe('saga 2 participant: voiding records', () => {
    it('voids every record of the consultation and only those, answering with their ids and the saga and correlation ids', async () => {
      const cancelled = await scheduledConsultation();
      const other = await scheduledConsultation();
      const first = await written(one, cancelled);
      const second = await written(two, cancelled);
      await change(one, first.id, { notes: 'amended' });
      const untouched = await written(one, other);

      await requestCancellation(cancelled, { sagaId: 'cancel-saga-1', correlationId: 'corr-cancel-1' });
      const [{ message, event }] = (await repliesFor(cancelled)) as [Seen];
      expect(event).toMatchObject({
        eventType: 'ConsultationRecordsVoided',
        sourceService: 'clinical-records',
        payload: { voidedRecordIds: [first.id, second.id] },
      });
      expect(message.properties.headers).toMatchObject({ 'x-saga-id': 'cancel-saga-1', 'x-correlation-id': 'corr-cancel-1' });

      for (const client of [one, two]) {
        for (const id of [first.id, second.id]) {
          await eventually(async () =>
            expect((await recordOn(client, id)).body).toMatchObject({
              status: 'VOIDED',
              consultationStatus: 'CANCELLATION_REQUESTED',
            }),
          );
        }
        await eventually(async () =>
          expect((await recordOn(client, untouched.id)).body).toMatchObject({ status: 'ACTIVE', consultationStatus: 'SCHEDULED' }),
        );
      }
      const stored = await versions(cancelled);
      expect(Object.fromEntries(stored.map((row) => [row.id, [row.status, row.version]]))).toEqual({
        [first.id]: ['VOIDED', 3],
        [second.id]: ['VOIDED', 2],
      });
      expect((await versions(other)).map((row) => [row.status, row.version])).toEqual([['ACTIVE', 1]]);

      const patch = await change(two, first.id, { diagnosis: 'too late' });
      expectStatus(patch, 409);
      expect(patch.body.error.code).toBe('CONFLICT');
      expect((await write(one, cancelled)).status).toBe(409);

      // Asked again (the workflow keeps asking until it hears back): the same answer, nothing else changes.
      await requestCancellation(cancelled, { sagaId: 'cancel-saga-1', correlationId: 'corr-cancel-2' });
      const replies = await repliesFor(cancelled, 2);
      expect(replies[1]!.event.payload).toEqual(event.payload);
      expect(replies[1]!.event.eventId).not.toBe(event.eventId);
      expect(replies[1]!.message.properties.headers).toMatchObject({ 'x-saga-id': 'cancel-saga-1', 'x-correlation-id': 'corr-cancel-2' });
      expect(await versions(cancelled)).toEqual(stored);

      await publishEvent(broker, consultationEvent('ConsultationCancelled', cancelled, 'CANCELLED', 4));
      for (const client of [one, two]) {
        await eventually(async () =>
          expect((await recordOn(client, second.id)).body).toMatchObject({ status: 'VOIDED', consultationStatus: 'CANCELLED' }),
        );
      }
    });

    it('answers an empty list for a consultation without records, and for one it never heard of', async () => {
      const withoutRecords = await scheduledConsultation();
      const neverHeardOf = crypto.randomUUID();
      await requestCancellation(withoutRecords);
      await requestCancellation(neverHeardOf);
      for (const consultationId of [withoutRecords, neverHeardOf]) {
        const [{ event }] = (await repliesFor(consultationId)) as [Seen];
        expect(event.payload).toMatchObject({ consultationId, voidedRecordIds: [] });
      }
      // It has heard of it now, as being cancelled.
      expect((await write(one, neverHeardOf)).status).toBe(409);
    });

    it('serializes a cancellation with record creations racing it: every record created is voided and listed', async () => {
      const consultationId = await scheduledConsultation();
      const post = (index: number) => write(index % 2 === 0 ? one : two, consultationId, { diagnosis: `race ${index}` });
      // Spread over the time the cancellation takes to arrive, so that some come before it and some after.
      const posting = Array.from({ length: 16 }, (_, index) => pause(index * 4).then(() => post(index)));
      await pause(25);
      await requestCancellation(consultationId);
      const answers = await Promise.all(posting);

      expect(answers.every((answer) => answer.status === 201 || answer.status === 409)).toBe(true);
      const created = answers.flatMap((answer) => (answer.status === 201 ? [answer.body.id] : []));
      const [{ event }] = (await repliesFor(consultationId)) as [Seen];
      expect([...event.payload.voidedRecordIds].sort()).toEqual([...created].sort());
      expect((await versions(consultationId)).every((row) => row.status === 'VOIDED')).toBe(true);
      for (const client of [one, two]) {
        await eventually(async () => {
          const listed = await recordsOf(client, consultationId);
          expectStatus(listed, 200);
          expect(listed.body.items).toHaveLength(created.length);
          expect(listed.body.items.every((item) => item.status === 'VOIDED')).toBe(true);
        });
      }
    });

    it('answers a request delivered twice only once', async () => {
      const consultationId = await scheduledConsultation();
      await write(one, consultationId);
      const request = consultationEvent('ConsultationCancellationRequested', consultationId, 'CANCELLATION_REQUESTED', 3);
      await publishEvent(broker, request, { sagaId: 'saga-twice' });
      await publishEvent(broker, request, { sagaId: 'saga-twice' });
      const sentinel = crypto.randomUUID();
      await requestCancellation(sentinel);
      await repliesFor(consultationId);
      await repliesFor(sentinel);
      await pause(500);
      expect(await received(voidedProbe.name, ofConsultation(consultationId))).toHaveLength(1);
    });

    it('dead-letters a cancellation request without a saga id, unanswered', async () => {
      const consultationId = await scheduledConsultation();
      const request = await requestCancellation(consultationId, { sagaId: undefined });
      const [dead] = await probe.take(dlqName('clinical-records.saga'), 1);
      expect(dead!.properties.messageId).toBe(request.eventId);
      expect(dead!.properties.headers?.['x-dead-letter-reason']).toBe('missing-saga-id');
      await pause(300);
      expect(await received(voidedProbe.name, ofConsultation(consultationId))).toEqual([]);
      await knownAs(consultationId, 'SCHEDULED'); // rolled back with the failed delivery
    });
  });

  it('applies the same event delivered twice once, never goes back to an older version, and keeps a voided record voided', async () => {
    const consultationId = crypto.randomUUID();
    const [recordId, lateRecordId] = [crypto.randomUUID(), crypto.randomUUID()];
    const record = (type: 'ConsultationRecordCreated' | 'ConsultationRecordUpdated', id: string, version: number) =>
      sampleEvent(type, { recordId: id, consultationId, patientId, physicianId, diagnosis: `v${version}`, version });
    const reads = instances.map((instance) => instance.databases.read.pool);

    const v2 = record('ConsultationRecordUpdated', recordId, 2);
    const v1 = record('ConsultationRecordCreated', recordId, 1);
    const done = consultationEvent('ConsultationDone', consultationId, 'DONE', 5);
    const staleScheduled = consultationEvent('ConsultationScheduled', consultationId, 'SCHEDULED', 2);
    for (const event of [v2, v2, v1, done, done, staleScheduled]) await publishEvent(broker, event);
    for (const pool of reads) for (const event of [v2, v1, done, staleScheduled]) await applied(pool, event.eventId);
    for (const event of [done, staleScheduled]) await applied(writePool, event.eventId);
    for (const client of [one, two]) {
      expect((await recordOn(client, recordId)).body).toMatchObject({
        diagnosis: 'v2',
        status: 'ACTIVE',
        consultationStatus: 'DONE',
      });
    }
    for (const pool of reads) {
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM messaging_inbox WHERE event_id = ANY($1)', [
        [v2.eventId, done.eventId],
      ]);
      expect(rows[0].n).toBe(2);
    }
    expect((await writePool.query('SELECT status, version FROM consultations WHERE id = $1', [consultationId])).rows).toEqual([
      { status: 'DONE', version: 5 },
    ]);

    // A voiding twice, one seen before its record's creation, and an amendment made before the voiding that arrives after it.
    const voided = sampleEvent('ConsultationRecordsVoided', {
      consultationId,
      voidedRecordIds: [recordId, lateRecordId],
      voidedAt: '2030-01-08T09:00:00.000Z',
    });
    const lateAmendment = record('ConsultationRecordUpdated', recordId, 3);
    const lateCreation = record('ConsultationRecordCreated', lateRecordId, 1);
    for (const event of [voided, voided, lateAmendment, lateCreation]) await publishEvent(broker, event);
    for (const pool of reads) for (const event of [voided, lateAmendment, lateCreation]) await applied(pool, event.eventId);
    for (const client of [one, two]) {
      expect((await recordOn(client, recordId)).body).toMatchObject({
        diagnosis: 'v3',
        status: 'VOIDED',
        updatedAt: '2030-01-08T09:00:00.000Z',
      });
      expect((await recordOn(client, lateRecordId)).body).toMatchObject({ status: 'VOIDED', consultationStatus: 'DONE' });
    }
  });

  it('refuses at the door what PostgreSQL cannot hold: control characters, an empty PATCH (400 naming the field); clinical text keeps its line breaks', async () => {
    const consultationId = await scheduledConsultation();

    const nul = await write(one, consultationId, { diagnosis: 'A\u0000b' });
    expectStatus(nul, 400);
    expect(nul.body.error.code).toBe('VALIDATION_FAILED');
    expect(detailsOf(nul)).toEqual([{ field: 'diagnosis', message: 'must not contain control characters' }]);
    expect(fieldsOf(await write(one, consultationId, { notes: 'x\u0000' }))).toEqual(['notes']);
    expect(fieldsOf(await write(one, consultationId, { prescriptions: ['ok', 'Aspirin\n100 mg'] }))).toEqual(['prescriptions.1']);

    const created = await write(one, consultationId, { diagnosis: 'Influenza\nwith fever', notes: 'Rest.\r\n\tFluids.' });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ diagnosis: 'Influenza\nwith fever', notes: 'Rest.\r\n\tFluids.' });

    const empty = await change(one, created.body.id, {});
    expect(empty.status).toBe(400);
    expect(detailsOf(empty)).toEqual([{ field: 'body', message: 'at least one of diagnosis, notes, prescriptions' }]);
    expect(fieldsOf(await change(one, created.body.id, { notes: '\u0000' }))).toEqual(['notes']);
  });
});
