import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, fieldsOf, json, recordsClient, type SchedulingClient } from '../support/clients';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { startTestSystem, type TestSystem } from '../support/system';
import { registerPatient, registerPhysician } from '../support/people';
import { asPhysician } from '../support/tokens';

let hour = 0;
const nextSlot = () => new Date(Date.UTC(2036, 0, 1, 8) + hour++ * 3_600_000).toISOString();
const waitFor = (seconds: number) => ({ headers: { Prefer: `wait=${seconds}` } });

/**
 * A booking and a cancellation answered with their saga's outcome in the same
 * request (Prefer: wait, on the workflow's result), and reads on the other
 * instance that carry the answer's Consistency-Token: never a 404 for what exists.
 */
describe('Prefer: wait and read-your-writes', () => {
  let sandbox: TestSandbox;
  let system: TestSystem;

  beforeAll(async () => {
    sandbox = await createSandbox('prefer');
    system = await startTestSystem(sandbox.sagaConfig('prefer', { CONSISTENCY_WAIT_MS: '3000', PREFER_WAIT_MAX_SECONDS: '20' }));
  });

  afterAll(async () => {
    await system?.stop();
    await sandbox?.remove();
  });

  const patient = (active = true) => registerPatient(system, 'Teresa Paz', active);
  const physician = () => registerPhysician(system, 'Dr. Hugo Vaz', 'neurology');

  const book = (client: SchedulingClient, patientId: string, physicianId: string, seconds = 10, key?: string) =>
    json(
      client.consultations.$post(
        { header: key ? { 'idempotency-key': key } : {}, json: { patientId, physicianId, startsAt: nextSlot() } },
        waitFor(seconds),
      ),
    );

  it('answers a booking with SCHEDULED or REJECTED in the same request, and the other instance reads it with the token on every try', async () => {
    const physicianId = await physician();
    const rejected = await book(system.scheduling[0], await patient(false), physicianId);
    expectStatus(rejected, 201);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', statusReason: 'PATIENT_INACTIVE' });
    expect(rejected.headers.get('preference-applied')).toBe('wait=10');

    for (let i = 0; i < 5; i++) {
      const booked = await book(system.scheduling[0], await patient(), physicianId);
      expectStatus(booked, 201);
      expect(booked.body).toMatchObject({ status: 'SCHEDULED', statusReason: null, physicianId });
      const token = booked.headers.get('consistency-token')!;
      expect(token).toMatch(new RegExp(`^${booked.body.id}@\\d+$`));
      // Instance-2's read model is fed by its own queue: the token makes it wait rather than answer 404.
      const read = await json(
        system.scheduling[1].consultations[':id'].$get({ param: { id: booked.body.id } }, { headers: { 'Consistency-Token': token } }),
      );
      expectStatus(read, 200);
      expect(read.body.status).toBe('SCHEDULED');
    }
  });

  it('answers 202 with a token when the saga has not ended in time; a read with it is never a 404', async () => {
    const booked = await book(system.scheduling[0], await patient(), await physician(), 0);
    expectStatus(booked, 202);
    expect(booked.headers.get('preference-applied')).toBe('wait=0');
    const token = booked.headers.get('consistency-token')!;
    expect(token).toBe(`${booked.body.consultationId}@1`);
    const read = await system.scheduling[1].consultations[':id'].$get(
      { param: { id: booked.body.consultationId } },
      { headers: { 'Consistency-Token': token } },
    );
    expect([200, 503]).toContain(read.status);
  });

  it('keeps Idempotency-Key: the same key answers the same consultation, in its outcome', async () => {
    const [patientId, physicianId] = [await patient(), await physician()];
    const first = await book(system.scheduling[0], patientId, physicianId, 10, `prefer-${crypto.randomUUID()}`);
    expectStatus(first, 201);
    expect(first.headers.get('location')).toBe(`/consultations/${first.body.id}`);
    const replayKey = `prefer-${crypto.randomUUID()}`;
    const once = await json(
      system.scheduling[0].consultations.$post(
        { header: { 'idempotency-key': replayKey }, json: { patientId, physicianId, startsAt: '2037-03-01T09:00:00Z' } },
        waitFor(10),
      ),
    );
    const again = await json(
      system.scheduling[1].consultations.$post(
        { header: { 'idempotency-key': replayKey }, json: { patientId, physicianId, startsAt: '2037-03-01T09:00:00Z' } },
        waitFor(10),
      ),
    );
    expectStatus(once, 201);
    expectStatus(again, 201);
    expect(again.body).toEqual(once.body);
  });

  it('answers a cancellation with CANCELLED once its records are voided, and records reads wait for the token', async () => {
    const physicianId = await physician();
    const booked = await book(system.scheduling[0], await patient(), physicianId);
    expectStatus(booked, 201);
    const records = recordsClient(system.urls.records, asPhysician(physicianId));
    // The token names the SCHEDULED version: records waits until it has heard of it instead of answering 404.
    const written = await json(
      records.records.$post(
        { json: { consultationId: booked.body.id, diagnosis: 'Migraine without aura' } },
        { headers: { 'Consistency-Token': booked.headers.get('consistency-token')! } },
      ),
    );
    expectStatus(written, 201);
    expect(written.headers.get('consistency-token')).toBe(`${written.body.id}@1`);

    const cancelled = await json(
      system.scheduling[1].consultations[':id'].cancel.$post({ param: { id: booked.body.id }, json: {} }, waitFor(10)),
    );
    expectStatus(cancelled, 200);
    expect(cancelled.body).toMatchObject({ id: booked.body.id, status: 'CANCELLED', statusReason: 'CANCELLED_BY_REQUEST' });
    const listed = await json(
      records.records.$get(
        { query: { consultationId: booked.body.id } },
        { headers: { 'Consistency-Token': cancelled.headers.get('consistency-token')! } },
      ),
    );
    expectStatus(listed, 200);
    expect(listed.body.items.map(({ id, status }) => ({ id, status }))).toEqual([{ id: written.body.id, status: 'VOIDED' }]);
    // Physicians release the time on ConsultationCancelled: with the token, the slot list shows it released.
    const slots = await json(
      system.physicians.physicians[':id'].slots.$get(
        { param: { id: physicianId } },
        { headers: { 'Consistency-Token': cancelled.headers.get('consistency-token')! } },
      ),
    );
    expectStatus(slots, 200);
    expect(slots.body.items).toEqual([]);
  });

  it("meets a booking's first token in records at once: records hears a consultation from SCHEDULED on, and a PENDING one has no records", async () => {
    const physicianId = await physician();
    const consultationId = randomUUID(); // booked a moment ago, as far as records knows: never heard of
    const records = recordsClient(system.urls.records, asPhysician(physicianId));
    // Unmet, the token would end in a 503 after the consistency wait: a 200 says it was met.
    const listed = await json(
      records.records.$get({ query: { consultationId } }, { headers: { 'Consistency-Token': `${consultationId}@1` } }),
    );
    expectStatus(listed, 200);
    expect(listed.body.items).toEqual([]);
    // A later version still waits for the event that carries it, and then says so.
    const ahead = await records.records.$get({ query: { consultationId } }, { headers: { 'Consistency-Token': `${consultationId}@2` } });
    expect(ahead.status).toBe(503);
  });

  it('answers 400 naming the header for a token scheduling can never meet or cannot read', async () => {
    const booked = await book(system.scheduling[0], await patient(), await physician());
    expectStatus(booked, 201);
    const read = (token: string) =>
      json(system.scheduling[1].consultations[':id'].$get({ param: { id: booked.body.id } }, { headers: { 'Consistency-Token': token } }));
    // A version never written, another resource's token (a patient's), a consultation nobody booked, and no token at all.
    const someonesToken = `${await patient()}@1`;
    for (const never of [`${booked.body.id}@999`, someonesToken, `${crypto.randomUUID()}@1`, 'latest']) {
      const answer = await read(never);
      expect([answer.status, fieldsOf(answer)], never).toEqual([400, ['Consistency-Token']]);
    }
    expectStatus(await read(booked.headers.get('consistency-token')!), 200);
  });
});
