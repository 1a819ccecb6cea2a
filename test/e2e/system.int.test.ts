import type { CatalogPublisher } from '../support/broker-logins';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetMessage } from 'amqplib';
import type { LaunchedSystem } from '../../tools/launcher/launch';
import { dlqName } from '../../libraries/messaging/topology';
import { eventually } from '../../libraries/common/eventually';
import { admin, asPhysician, bearer, staff, type Caller } from '../support/tokens';
import { expectStatus, gatewayClient, json, patientsClient, physiciansClient, recordsClient, schedulingClient } from '../support/clients';
import type { GatewayClient, PatientsClient, PhysiciansClient, RecordsClient, SchedulingClient } from '../support/clients';
import { launchTestSystem, type TestLaunch } from '../support/launched-system';
import { openProbes, testQueue } from '../support/probes';
import type { QueueProbe } from '../support/queue-probe';
import { rawClient } from '../support/raw-client';
import type { TestVhost } from '../support/vhost';
import { readme, tryItBlock } from '../support/readme';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const patientEvents = testQueue('e2e.patient-events', 'hap.patients', 'patient.*');
const consultationEvents = testQueue('e2e.consultation-events', 'hap.consultations', 'consultation.#');
const recordsVoided = testQueue('e2e.records-voided', 'hap.records', 'record.voided');

/**
 * The whole system as real processes, started the way `npm start` starts it
 * (two instances of every service, worker, bridge, gateway), driven through
 * the gateway: docs/specification.md §8 end to end.
 */
describe('HAP end to end through the gateway (docs/specification.md §8)', () => {
  let launch: TestLaunch;
  let vhost: TestVhost;
  let system: LaunchedSystem;
  let gateway: GatewayClient;
  let instances: {
    patients: [PatientsClient, PatientsClient];
    physicians: [PhysiciansClient, PhysiciansClient];
    scheduling: [SchedulingClient, SchedulingClient];
    records: [(caller: Caller) => RecordsClient, (caller: Caller) => RecordsClient];
  };
  let broker: CatalogPublisher;
  let probe: QueueProbe;
  let slot = 0;

  beforeAll(async () => {
    launch = await launchTestSystem('e2e');
    ({ system, vhost } = launch);
    const url = (name: string) => system.process(name).spec.url!;
    const both = <Client>(family: string, client: (url: string) => Client): [Client, Client] => [
      client(url(`${family}-1`)),
      client(url(`${family}-2`)),
    ];
    gateway = gatewayClient(url('gateway'));
    instances = {
      patients: both('patients', patientsClient),
      physicians: both('physicians', physiciansClient),
      scheduling: both('scheduling', schedulingClient),
      records: both('records', (base) => (caller: Caller) => recordsClient(base, caller)),
    };
    ({ broker, probe } = await openProbes(vhost.url, 'e2e-probe', [patientEvents, consultationEvents, recordsVoided]));
  }, 240_000);

  afterAll(async () => {
    await probe?.close();
    await broker?.close();
    await launch?.remove();
  });

  const startsAt = () => new Date(Date.UTC(2033, 0, 1, 8) + slot++ * 3_600_000).toISOString();

  async function registerPatient(name = 'Ana Lima') {
    const response = await json(gateway.patients.$post({ json: { name, email: `${crypto.randomUUID()}@example.org` } }));
    expectStatus(response, 201);
    return response.body.id;
  }

  async function registerPhysician() {
    const response = await json(gateway.physicians.$post({ json: { name: 'Dr. Rui Sá', specialty: 'cardiology' } }));
    expectStatus(response, 201);
    return response.body.id;
  }

  /** Books through the gateway, expecting its 202; the saga's answer. */
  async function book(patientId: string, physicianId: string, at = startsAt()) {
    const booked = await json(gateway.consultations.$post({ header: {}, json: { patientId, physicianId, startsAt: at } }));
    expectStatus(booked, 202);
    return booked.body;
  }

  const consultationOn = (client: SchedulingClient | GatewayClient, id: string) =>
    json(client.consultations[':id'].$get({ param: { id } }));

  async function settle(consultationId: string, status: string) {
    for (const client of instances.scheduling) {
      await eventually(
        async () => {
          const answer = await consultationOn(client, consultationId);
          expectStatus(answer, 200);
          expect(answer.body.status).toBe(status);
        },
        { timeoutMs: 30_000 },
      );
    }
    const view = await consultationOn(gateway, consultationId);
    expectStatus(view, 200);
    return view.body;
  }

  const events = (messages: GetMessage[]) =>
    messages.map((message) => ({ event: JSON.parse(message.content.toString()), headers: message.properties.headers }));

  // First, while nothing has warmed up: the moment the launcher (as npm start) says the system is ready.
  it("runs the README's Try it block as written: SCHEDULED, the record, CANCELLED with it VOIDED, the time free", async () => {
    const script = tryItBlock(await readme()).replace('G=http://127.0.0.1:3000', `G=${system.process('gateway').spec.url}`);
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, AUTH_DEV_KEY_FILE: launch.config.AUTH_DEV_KEY_FILE },
      timeout: 120_000,
    });
    const lines = stdout.split('\n');
    let at = -1;
    /** The next line after the last one found that holds every fragment: the block's answers, in order. */
    const next = (...fragments: string[]) => {
      const found = lines.findIndex((line, i) => i > at && fragments.every((fragment) => line.includes(fragment)));
      expect(found, `after line ${at} of:\n${stdout}\nno line with ${fragments.join(' and ')}`).toBeGreaterThan(at);
      at = found;
    };
    next('"UNAUTHENTICATED"');
    next('"status":"SCHEDULED"');
    next('"status":"SCHEDULED"', '"patientName":"Ana Lima"');
    next('"diagnosis":"flu"', '"status":"ACTIVE"');
    next('"FORBIDDEN"');
    next('"diagnosis":"flu"');
    next('"name":"Ana Lima"');
    next('"status":"CANCELLED"', '"statusReason":"CANCELLED_BY_REQUEST"');
    next('"diagnosis":"flu"', '"status":"VOIDED"');
    next('{"items":[]}');
    next('"kind":"cancel"');
    next('"operation":"patients.read"');
    next('"operation":"records.read"');
    next('"byStatus"');
    next('"created"');
  });

  it('§8.1: a command through the gateway emits its event, carrying the correlation id', async () => {
    await probe.drain(patientEvents.name);
    const response = await json(
      gateway.patients.$post({ json: { name: 'Bea Costa', email: 'bea@example.org' } }, { headers: { 'X-Correlation-Id': 'e2e-81' } }),
    );
    expectStatus(response, 201);
    expect(response.headers.get('x-correlation-id')).toBe('e2e-81');
    const [message] = events(await probe.take(patientEvents.name, 1));
    expect(message?.event).toMatchObject({ eventType: 'PatientRegistered', payload: { patientId: response.body.id } });
    expect(message?.headers?.['x-correlation-id']).toBe('e2e-81');
  });

  it('§8.2 and §8.3: a consultation is scheduled and reaches the read models of scheduling instance-1 and instance-2', async () => {
    const [patientId, physicianId] = await Promise.all([registerPatient(), registerPhysician()]);
    const booked = await book(patientId, physicianId);
    const view = await settle(booked.consultationId, 'SCHEDULED');
    expect(view).toMatchObject({ patientName: 'Ana Lima', physicianName: 'Dr. Rui Sá' });
  });

  it('answers a booking with its outcome under Prefer: wait, and a GET with its token through the gateway is 200 on every try', async () => {
    const physicianId = await registerPhysician();
    const inactive = await registerPatient();
    await json(gateway.patients[':id'].deactivate.$post({ param: { id: inactive } }));
    const wait = { headers: { Prefer: 'wait=10' } };
    const rejected = await json(
      gateway.consultations.$post({ header: {}, json: { patientId: inactive, physicianId, startsAt: startsAt() } }, wait),
    );
    expectStatus(rejected, 201);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', statusReason: 'PATIENT_INACTIVE' });
    for (let i = 0; i < 6; i++) {
      const booked = await json(
        gateway.consultations.$post({ header: {}, json: { patientId: await registerPatient(), physicianId, startsAt: startsAt() } }, wait),
      );
      expectStatus(booked, 201);
      expect(booked.body.status).toBe('SCHEDULED');
      // Round-robin sends each GET to the next instance, in turn the one whose read model may lag.
      const read = await json(
        gateway.consultations[':id'].$get(
          { param: { id: booked.body.id } },
          { headers: { 'Consistency-Token': booked.headers.get('consistency-token')! } },
        ),
      );
      expectStatus(read, 200);
      expect(read.body.status).toBe('SCHEDULED');
    }
  });

  it('§8.3: scheduling fails for an inactive patient and for an unavailable physician', async () => {
    const inactive = await registerPatient();
    await json(gateway.patients[':id'].deactivate.$post({ param: { id: inactive } }));
    const physicianId = await registerPhysician();
    const first = await book(inactive, physicianId);
    expect((await settle(first.consultationId, 'REJECTED')).statusReason).toBe('PATIENT_INACTIVE');

    const busy = startsAt();
    const taken = await book(await registerPatient(), physicianId, busy);
    await settle(taken.consultationId, 'SCHEDULED');
    const second = await book(await registerPatient(), physicianId, busy);
    expect((await settle(second.consultationId, 'REJECTED')).statusReason).toBe('SLOT_TAKEN');
  });

  it('§8.3: cancelling a consultation with records voids them and ConsultationRecordsVoided is published', async () => {
    const [patientId, physicianId] = await Promise.all([registerPatient(), registerPhysician()]);
    const body = await book(patientId, physicianId);
    await settle(body.consultationId, 'SCHEDULED');
    // Only the consultation's physician writes and reads its records.
    const physician = asPhysician(physicianId);
    const record = await eventually(async () => {
      const response = await json(
        gatewayClient(system.process('gateway').spec.url!, physician).records.$post({
          json: { consultationId: body.consultationId, diagnosis: 'flu', prescriptions: ['rest'] },
        }),
      );
      expectStatus(response, 201);
      return response.body;
    });
    await probe.drain(recordsVoided.name);
    expect((await json(gateway.consultations[':id'].cancel.$post({ param: { id: body.consultationId }, json: {} }))).status).toBe(202);
    const [voided] = events(await probe.take(recordsVoided.name, 1, 30_000));
    expect(voided?.event.payload).toMatchObject({ consultationId: body.consultationId, voidedRecordIds: [record.id] });
    await settle(body.consultationId, 'CANCELLED');
    for (const client of instances.records.map((records) => records(physician))) {
      await eventually(async () =>
        expect((await json(client.records[':id'].$get({ param: { id: record.id } }))).body).toMatchObject({ status: 'VOIDED' }),
      );
    }
    await eventually(async () =>
      expect((await json(gateway.physicians[':id'].slots.$get({ param: { id: physicianId } }))).body).toMatchObject({ items: [] }),
    );
  });

  it('§8.4: the same event delivered twice leaves every read model as it was', async () => {
    const [patientId, physicianId] = await Promise.all([registerPatient('Carla Dias'), registerPhysician()]);
    await probe.drain(consultationEvents.name);
    const body = await book(patientId, physicianId);
    await settle(body.consultationId, 'SCHEDULED');
    const delivered = await probe.take(consultationEvents.name, 2);
    const snapshot = async () =>
      Promise.all(instances.scheduling.map(async (client) => (await consultationOn(client, body.consultationId)).body));
    const before = await snapshot();

    // Every consultation event of this saga, delivered again (same eventId, same body) twice, by its sender (the saga worker).
    for (const message of delivered) {
      for (let copy = 0; copy < 2; copy++) {
        await broker.publish({
          exchange: 'hap.consultations',
          routingKey: message.fields.routingKey,
          content: message.content,
          options: message.properties,
        });
      }
    }
    await eventually(async () => {
      for (const instance of ['instance-1', 'instance-2']) expect(await probe.count(`scheduling-service.${instance}.events`)).toBe(0);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await snapshot()).toEqual(before);
  });

  it('a poison message in an instance queue lands in its DLQ with the reason, and the flow goes on', async () => {
    const queue = 'clinical-records.instance-2.events';
    await probe.publish('', queue, '{"this is": not json');
    const [dead] = await probe.take(dlqName(queue), 1);
    expect(dead?.properties.headers?.['x-dead-letter-reason']).toBe('malformed-json');
    const [patientId, physicianId] = await Promise.all([registerPatient(), registerPhysician()]);
    const body = await book(patientId, physicianId);
    await settle(body.consultationId, 'SCHEDULED');
  });

  it('serves one OpenAPI document with every path of the API', async () => {
    const { body } = await rawClient(system.process('gateway').spec.url!).get('/openapi.json');
    for (const path of ['/patients', '/physicians/{id}/slots', '/consultations/{id}/cancel', '/consultations/{id}/saga', '/records/{id}']) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    expect((await fetch(`${system.process('gateway').spec.url}/docs`)).status).toBe(200);
  });

  it('serves Prometheus metrics that move with the bookings, to the admin only', async () => {
    const scrape = async (name: string, caller = admin) => {
      const response = await fetch(`${system.process(name).spec.url}/metrics`, { headers: await bearer(caller) });
      return { status: response.status, text: await response.text() };
    };
    /** The sum over the series of a metric whose labels include these (undefined: no such series). */
    const sample = (text: string, name: string, labels: Record<string, string> = {}) => {
      const values = text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
        .filter((line) => Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)))
        .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
      return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0);
    };
    expect((await scrape('scheduling-1', staff)).status).toBe(403);

    const before = await scrape('worker');
    const [patientId, physicianId] = await Promise.all([registerPatient(), registerPhysician()]);
    await settle((await book(patientId, physicianId)).consultationId, 'SCHEDULED');

    const worker = await eventually(async () => {
      const after = await scrape('worker');
      const completed = (text: string) => sample(text, 'hap_saga_completed_total', { kind: 'schedule', outcome: 'SCHEDULED' }) ?? 0;
      expect(completed(after.text)).toBeGreaterThan(completed(before.text));
      return after.text;
    });
    expect(sample(worker, 'hap_saga_started_total', { kind: 'schedule' })).toBeGreaterThan(0);
    expect(sample(worker, 'hap_saga_duration_seconds_count', { kind: 'schedule' })).toBeGreaterThan(0);
    expect(sample(worker, 'temporal_workflow_completed')).toBeGreaterThan(0);
    expect(
      sample(worker, 'hap_messages_published_total', { exchange: 'hap.consultations', routing_key: 'consultation.scheduled' }),
    ).toBeGreaterThan(0);

    const schedulings = await Promise.all(['scheduling-1', 'scheduling-2'].map(async (name) => (await scrape(name)).text));
    const posts = schedulings.map(
      (text) => sample(text, 'hap_http_requests_total', { route: '/consultations', method: 'POST', status: '202' }) ?? 0,
    );
    expect(posts[0]! + posts[1]!).toBeGreaterThan(0);
    const [first] = schedulings;
    expect(
      sample(first!, 'hap_messages_consumed_total', { queue: 'scheduling-service.instance-1.events', outcome: 'acked' }),
    ).toBeGreaterThan(0);
    expect(sample(first!, 'hap_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(sample(first!, 'hap_dlq_messages', { queue: 'scheduling-service.instance-1.events.dlq' })).toBe(0);
    // Route labels are templates: no id is ever a label.
    expect(first).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('keeps answering through the other instance when one instance of a service is stopped', async () => {
    const patientId = await registerPatient('Duarte Faria');
    const patientOn = (client: PatientsClient | GatewayClient) => json(client.patients[':id'].$get({ param: { id: patientId } }));
    await eventually(async () => expect((await patientOn(instances.patients[1])).status).toBe(200));
    await system.process('patients-1').stop();
    for (let i = 0; i < 6; i++) {
      expect((await patientOn(gateway)).status).toBe(200);
      const email = `${crypto.randomUUID()}@example.org`;
      expect((await json(gateway.patients.$post({ json: { name: 'Eva Gomes', email } }))).status).toBe(201);
    }
    expect((await json(gateway.ready.$get())).status).toBe(200);
  });

  it('no process died on its own during the run', () => {
    expect(system.processes.flatMap((managed) => managed.unexpectedExits.map((exit) => `${managed.spec.name}: ${exit.reason}`))).toEqual(
      [],
    );
  });
});
