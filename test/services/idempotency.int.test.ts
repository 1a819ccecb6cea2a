import { count, eq, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemporalClient } from '../../libraries/runtime/temporal-client';
import { outbox } from '../../libraries/messaging/schema';
import { patientsService } from '../../services/patients/service';
import { patients } from '../../services/patients/write-schema';
import { physiciansService } from '../../services/physicians/service';
import { physicians } from '../../services/physicians/write-schema';
import { recordsService } from '../../services/records/service';
import { knownConsultations as recordsConsultations, records } from '../../services/records/write-schema';
import { consultationRoutes } from '../../services/scheduling/routes';
import type { SagaClient } from '../../services/scheduling/saga-client';
import { schedulingService } from '../../services/scheduling/service';
import { consultations } from '../../services/scheduling/consultations/schema';
import { expectStatus, json, patientsClient, physiciansClient, recordsClient, schedulingClient } from '../support/clients';
import type { PatientsClient, PhysiciansClient, RecordsClient, SchedulingClient } from '../support/clients';
import { insertScheduledConsultation } from '../support/consultations';
import { asPhysician } from '../support/tokens';
import { startServicePair, type ServicePair } from '../support/service-pair';

/**
 * A retried POST never runs twice: same Idempotency-Key and body → the first
 * answer (from either instance), another body → 422, concurrent duplicates →
 * one effect. Each service is a pair of instances sharing a write database.
 */
const key = () => `key-${crypto.randomUUID()}`;
const uniqueEmail = () => `idem.${Math.random().toString(36).slice(2)}@example.org`;

type RequestHeaders = Record<string, string>;
type Sent = { status: number; body: unknown; headers: Headers };
/** Sends one request to whichever client it is given, with the given headers (an Idempotency-Key). */
type Sender<Client, Answer extends Sent> = (client: Client, headers: RequestHeaders) => Promise<Answer>;

/** Same answer, same effect: asserted for sequential retries on both instances and for a burst of concurrent ones. */
async function expectOnce<Client, Answer extends Sent, Status extends Answer['status']>(
  pair: ServicePair<Client>,
  send: Sender<Client, Answer>,
  effects: () => Promise<number>,
  expected: { status: Status; effects: number },
) {
  const idempotencyKey = key();
  const headers = { 'Idempotency-Key': idempotencyKey };
  const before = await effects();
  const first = await send(pair.one, headers);
  expectStatus(first, expected.status);
  const again = await send(pair.one, headers);
  const elsewhere = await send(pair.two, headers);
  for (const retry of [again, elsewhere]) {
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  }
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  expect((await effects()) - before).toBe(expected.effects);
  return first;
}

async function expectConcurrentOnce<Client, Answer extends Sent>(
  pair: ServicePair<Client>,
  send: Sender<Client, Answer>,
  effects: () => Promise<number>,
  expected: { status: Answer['status']; effects: number },
) {
  const headers = { 'Idempotency-Key': key() };
  const before = await effects();
  const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i % 2 ? pair.two : pair.one, headers)));
  for (const answer of answers) {
    expect(answer.status).toBe(expected.status);
    expect(answer.body).toEqual(answers[0]!.body);
  }
  expect((await effects()) - before).toBe(expected.effects);
}

/** The write database the pair's instances share, where a command's effects are counted. */
const writeDb = (pair: ServicePair<unknown>) => pair.instances[0].databases.write.db;
/** What a command that ran once answers and leaves: the status, and one effect. */
const once = <Status extends number>(status: Status) => ({ status, effects: 1 });

/** How many rows of the table (that match) the pair's write database holds. */
const rowCount = async (pair: ServicePair<unknown>, table: PgTable, where?: SQL) =>
  (await writeDb(pair).select({ n: count() }).from(table).where(where))[0]!.n;
const outboxCount = (pair: ServicePair<unknown>) => rowCount(pair, outbox);

// Senders for expectOnce, one per POST: the same request from whichever client, with the given headers.
type NewPatient = Parameters<PatientsClient['patients']['$post']>[0]['json'];
const registeringPatient = (patient: NewPatient) => (client: PatientsClient, headers: RequestHeaders) =>
  json(client.patients.$post({ json: patient }, { headers }));
const deactivatingPatient = (id: string) => (client: PatientsClient, headers: RequestHeaders) =>
  json(client.patients[':id'].deactivate.$post({ param: { id } }, { headers }));
type NewPhysician = Parameters<PhysiciansClient['physicians']['$post']>[0]['json'];
const registeringPhysician = (physician: NewPhysician) => (client: PhysiciansClient, headers: RequestHeaders) =>
  json(client.physicians.$post({ json: physician }, { headers }));
const deactivatingPhysician = (id: string) => (client: PhysiciansClient, headers: RequestHeaders) =>
  json(client.physicians[':id'].deactivate.$post({ param: { id } }, { headers }));
type NewRecord = Parameters<RecordsClient['records']['$post']>[0]['json'];
const writingRecord = (record: NewRecord) => (client: RecordsClient, headers: RequestHeaders) =>
  json(client.records.$post({ json: record }, { headers }));
const completing = (id: string) => (client: SchedulingClient, headers: RequestHeaders) =>
  json(client.consultations[':id'].complete.$post({ param: { id } }, { headers }));
const cancelling = (id: string, body: { reason?: string }) => (client: SchedulingClient, headers: RequestHeaders) =>
  json(client.consultations[':id'].cancel.$post({ param: { id }, json: body }, { headers }));

describe('Idempotency-Key on every POST', () => {
  describe('patients', () => {
    let pair: ServicePair<PatientsClient>;
    beforeAll(async () => void (pair = await startServicePair(patientsService, 'idem-patients', [], patientsClient)));
    afterAll(async () => pair?.stop());
    const patientsWith = (email: string) => () => rowCount(pair, patients, eq(patients.email, email));

    it('registers once for a retried POST /patients, on either instance', async () => {
      const email = uniqueEmail();
      const first = await expectOnce(pair, registeringPatient({ name: 'Ida Lopes', email }), patientsWith(email), once(201));
      expect(first.headers.get('location')).toBe(`/patients/${first.body.id}`);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, and runs nothing', async () => {
      const headers = { 'Idempotency-Key': key() };
      const email = uniqueEmail();
      expect((await registeringPatient({ name: 'Ida Lopes', email })(pair.one, headers)).status).toBe(201);
      const other = uniqueEmail();
      const reused = await registeringPatient({ name: 'Ida Lopes', email: other })(pair.two, headers);
      expectStatus(reused, 422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await patientsWith(other)()).toBe(0);
      // The same key on another endpoint is another request too.
      const elsewhere = await deactivatingPatient(crypto.randomUUID())(pair.one, headers);
      expect(elsewhere.status).toBe(422);
    });

    it('same body in another key order is the same request', async () => {
      const headers = { 'Idempotency-Key': key() };
      const email = uniqueEmail();
      const first = await registeringPatient({ name: 'Ida Lopes', email })(pair.one, headers);
      // Sent as {"email":…,"name":…}: JSON keeps the object's key order.
      const reordered = await registeringPatient({ email, name: 'Ida Lopes' })(pair.two, headers);
      expect(reordered.status).toBe(201);
      expect(reordered.body).toEqual(first.body);
    });

    it('registers once for concurrent duplicates', async () => {
      const email = uniqueEmail();
      await expectConcurrentOnce(pair, registeringPatient({ name: 'Ida Lopes', email }), patientsWith(email), once(201));
    });

    it('deactivates once (one PatientDeactivated) for retried and for concurrent POSTs', async () => {
      const created = await registeringPatient({ name: 'Ida Lopes', email: uniqueEmail() })(pair.one, {});
      expectStatus(created, 201);
      const send = deactivatingPatient(created.body.id);
      await expectOnce(pair, send, () => outboxCount(pair), once(200));
      const another = await registeringPatient({ name: 'Ida Lopes', email: uniqueEmail() })(pair.one, {});
      expectStatus(another, 201);
      await expectConcurrentOnce(pair, deactivatingPatient(another.body.id), () => outboxCount(pair), once(200));
    });

    it('stores nothing for a failed command: a 404 is answered again, not replayed', async () => {
      const headers = { 'Idempotency-Key': key() };
      const missing = crypto.randomUUID();
      expect((await deactivatingPatient(missing)(pair.one, headers)).status).toBe(404);
      const again = await deactivatingPatient(missing)(pair.two, headers);
      expect(again.status).toBe(404);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
    });

    it('refuses an empty or overlong key with 400, and runs without a key as before', async () => {
      const overlong = { 'Idempotency-Key': 'x'.repeat(201) };
      expect((await registeringPatient({ name: 'Ida Lopes', email: uniqueEmail() })(pair.one, overlong)).status).toBe(400);
      const email = uniqueEmail();
      await registeringPatient({ name: 'Ida Lopes', email })(pair.one, {});
      await registeringPatient({ name: 'Ida Lopes', email })(pair.one, {});
      expect(await patientsWith(email)()).toBe(2);
    });

    it("documents the header on every command's POST of /openapi.json, and not on the operators' own", async () => {
      const { body } = await pair.raw.get('/openapi.json');
      type Path = { post?: { parameters?: { name: string; in: string }[] } };
      const posts = (admin: boolean) =>
        Object.entries(body.paths as Record<string, Path>)
          .filter(([path]) => path.startsWith('/admin/') === admin)
          .flatMap(([, path]) => (path.post ? [path.post] : []));
      const key = expect.objectContaining({ name: 'Idempotency-Key', in: 'header' });
      expect(posts(false)).toHaveLength(2);
      for (const post of posts(false)) expect(post.parameters).toContainEqual(key);
      expect(posts(true)).toHaveLength(3);
      for (const post of posts(true)) expect(post.parameters ?? []).not.toContainEqual(key);
    });
  });

  describe('physicians', () => {
    let pair: ServicePair<PhysiciansClient>;
    beforeAll(async () => void (pair = await startServicePair(physiciansService, 'idem-physicians', [], physiciansClient)));
    afterAll(async () => pair?.stop());
    const physiciansNamed = (name: string) => () => rowCount(pair, physicians, eq(physicians.name, name));

    it('registers once for retried and concurrent POST /physicians; another body is 422', async () => {
      const name = `Dr. ${crypto.randomUUID()}`;
      const send = registeringPhysician({ name, specialty: 'cardiology' });
      await expectOnce(pair, send, physiciansNamed(name), once(201));
      const burst = `Dr. ${crypto.randomUUID()}`;
      await expectConcurrentOnce(pair, registeringPhysician({ name: burst, specialty: 'cardiology' }), physiciansNamed(burst), once(201));
      const headers = { 'Idempotency-Key': key() };
      await send(pair.one, headers);
      expect((await registeringPhysician({ name, specialty: 'pediatrics' })(pair.two, headers)).status).toBe(422);
    });

    it('deactivates once for retried and concurrent POSTs', async () => {
      const created = await registeringPhysician({ name: 'Dr. Once', specialty: 'cardiology' })(pair.one, {});
      expectStatus(created, 201);
      await expectOnce(pair, deactivatingPhysician(created.body.id), () => outboxCount(pair), once(200));
      const another = await registeringPhysician({ name: 'Dr. Twice', specialty: 'cardiology' })(pair.one, {});
      expectStatus(another, 201);
      await expectConcurrentOnce(pair, deactivatingPhysician(another.body.id), () => outboxCount(pair), once(200));
    });
  });

  describe('records', () => {
    let pair: ServicePair<RecordsClient>;
    let consultationId: string;
    // The consultation's physician: the one who writes its records.
    const physicianId = crypto.randomUUID();
    beforeAll(async () => {
      pair = await startServicePair(recordsService, 'idem-records', [], (url) => recordsClient(url, asPhysician(physicianId)));
      consultationId = crypto.randomUUID();
      await writeDb(pair).insert(recordsConsultations).values({
        id: consultationId,
        patientId: crypto.randomUUID(),
        physicianId,
        status: 'SCHEDULED',
        version: 2,
        updatedAt: new Date(),
      });
    });
    afterAll(async () => pair?.stop());
    const recordsOf = () => rowCount(pair, records, eq(records.consultationId, consultationId));

    it('creates one record for retried and concurrent POST /records; another body is 422', async () => {
      const send = writingRecord({ consultationId, diagnosis: 'Acute bronchitis' });
      const first = await expectOnce(pair, send, recordsOf, once(201));
      expect(first.headers.get('location')).toBe(`/records/${first.body.id}`);
      await expectConcurrentOnce(pair, send, recordsOf, once(201));
      const headers = { 'Idempotency-Key': key() };
      await send(pair.one, headers);
      expect((await writingRecord({ consultationId, diagnosis: 'Sinusitis' })(pair.two, headers)).status).toBe(422);
    });
  });

  describe('scheduling cancel and complete', () => {
    let pair: ServicePair<SchedulingClient>;
    const started: string[] = [];
    // Temporal stays out of this: the starter only counts; its idempotency is Temporal's (workflow id).
    const sagas = {
      startCancellation: async (input: { consultationId: string }) => (started.push(input.consultationId), { sagaId: 'x', started: true }),
    };
    beforeAll(async () => {
      const definition = schedulingService({ client: {} as Client, check: async () => {} } as unknown as TemporalClient, 'unused');
      pair = await startServicePair(
        { ...definition, checks: [], routes: (context) => consultationRoutes(sagas as unknown as SagaClient, context) },
        'idem-scheduling',
        [],
        // The consultations' physician, who may complete and cancel them.
        (url) => schedulingClient(url, asPhysician(physicianId)),
      );
    });
    afterAll(async () => pair?.stop());

    const physicianId = crypto.randomUUID();
    const scheduled = () => insertScheduledConsultation(writeDb(pair), { physicianId });
    const versionOf = (id: string) => async () =>
      (await writeDb(pair).select({ version: consultations.version }).from(consultations).where(eq(consultations.id, id)))[0]!.version;

    it('completes once (one ConsultationDone) for retried and concurrent POSTs', async () => {
      const id = await scheduled();
      const first = await expectOnce(pair, completing(id), () => outboxCount(pair), once(200));
      expect(first.body).toMatchObject({ id, status: 'DONE' });
      // Without the key the same POST is a new command, and DONE cannot be completed again.
      expect((await completing(id)(pair.one, {})).status).toBe(409);
      const other = await scheduled();
      await expectConcurrentOnce(pair, completing(other), () => outboxCount(pair), once(200));
    });

    it('cancels once for retried and concurrent POSTs: one mark, the saga started after it committed; another reason is 422', async () => {
      const id = await scheduled();
      const first = await expectOnce(pair, cancelling(id, { reason: 'travel' }), versionOf(id), once(202));
      expect(first.body).toEqual({ consultationId: id, sagaId: `cancel-consultation-${id}`, status: 'CANCELLATION_REQUESTED' });
      expect(started.filter((started) => started === id).length).toBeGreaterThanOrEqual(1);
      const headers = { 'Idempotency-Key': key() };
      const other = await scheduled();
      await cancelling(other, { reason: 'travel' })(pair.one, headers);
      expect((await cancelling(other, { reason: 'illness' })(pair.two, headers)).status).toBe(422);

      const burst = await scheduled();
      await expectConcurrentOnce(pair, cancelling(burst, {}), versionOf(burst), {
        status: 202,
        effects: 1,
      });
    });
  });
});
