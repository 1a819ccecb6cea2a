import { asPrincipal, CatalogPublisher } from '../support/broker-logins';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { toEnv, type Config } from '../../libraries/config/env';
import { databaseName, databaseUrl } from '../../libraries/db/database';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { dlqName } from '../../libraries/messaging/topology';
import { eventually } from '../../libraries/common/eventually';
import { expectStatus, json } from '../support/clients';
import { spawnService, type ChildService } from '../support/processes';
import { QueueProbe } from '../support/queue-probe';
import { sampleEvent } from '../support/sample-events';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { TcpProxy } from '../support/tcp-proxy';
import { connectTestBroker } from '../support/test-broker';
import { startTestSystem, type TestSystem } from '../support/system';

const replies = 'scheduling-service.saga';

describe('sagas survive SIGKILL of the worker and of the bridge', () => {
  let sandbox: TestSandbox;
  let config: Config;
  let system: TestSystem;
  let probe: QueueProbe;
  const children = new Set<ChildService>();

  beforeAll(async () => {
    sandbox = await createSandbox('crash');
    config = sandbox.sagaConfig('crash', { LOG_LEVEL: 'info' });
    // The worker and the bridge run as processes of their own, so that they can be killed.
    system = await startTestSystem(config, { worker: false, bridge: false });
    probe = await QueueProbe.open(sandbox.vhost.url);
  });

  afterEach(async () => {
    for (const child of children) await child.kill('SIGTERM');
    children.clear();
  });

  afterAll(async () => {
    await system?.stop();
    await probe?.close();
    await sandbox?.remove();
  });

  async function start(part: 'worker' | 'bridge', overrides: Partial<Config> = {}): Promise<ChildService> {
    const child = spawnService(`${part}/main.ts`, toEnv({ ...asPrincipal(config, part), PORT: 0, ...overrides }));
    children.add(child);
    await child.waitForLog(part === 'worker' ? /saga worker started/ : /bridge started/);
    return child;
  }

  async function kill(child: ChildService): Promise<void> {
    await child.kill('SIGKILL');
    children.delete(child);
  }

  async function book(): Promise<string> {
    const [patient, physician] = await Promise.all([
      json(system.patients.patients.$post({ json: { name: 'Ana Lima', email: `ana.${crypto.randomUUID()}@example.org` } })),
      json(system.physicians.physicians.$post({ json: { name: 'Dr. Rui Sá', specialty: 'cardiology' } })),
    ]);
    expectStatus(patient, 201);
    expectStatus(physician, 201);
    const startsAt = new Date(Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 1e6) * 3_600_000).toISOString();
    const booking = { patientId: patient.body.id, physicianId: physician.body.id, startsAt };
    const booked = await json(system.scheduling[0].consultations.$post({ header: {}, json: booking }));
    expectStatus(booked, 202);
    return booked.body.consultationId;
  }

  /** The consultation's status as scheduling instance-1 shows it; undefined while it answers anything but 200. */
  const status = async (consultationId: string) => {
    const answer = await json(system.scheduling[0].consultations[':id'].$get({ param: { id: consultationId } }));
    return answer.status === 200 ? answer.body.status : undefined;
  };

  it('a worker killed mid-saga is replaced and the saga completes', async () => {
    const worker = await start('worker');
    const consultationId = await book();
    // With no bridge, the saga waits for its answers: the worker has recorded PENDING and asked.
    await eventually(async () => expect(await status(consultationId)).toBe('PENDING'), { timeoutMs: 30_000 });
    await eventually(async () => expect(await probe.count(replies)).toBe(2), { timeoutMs: 30_000 });

    await kill(worker);
    await start('bridge'); // the answers become signals while no worker runs
    await eventually(async () => expect(await probe.count(replies)).toBe(0), { timeoutMs: 30_000 });
    await start('worker');
    await eventually(async () => expect(await status(consultationId)).toBe('SCHEDULED'), { timeoutMs: 60_000 });
  });

  it('a worker killed in the middle of an activity is replaced, and the activity is retried to completion', async () => {
    // The first worker reaches RabbitMQ through a proxy we cut: its publish activity hangs mid-flight.
    const { proxy, url: viaProxy } = await TcpProxy.inFrontOf(sandbox.vhost.url, 5672);
    try {
      await start('bridge');
      const stuck = await start('worker', { AMQP_URL: viaProxy });
      await proxy.cut();
      const consultationId = await book();
      // The consultation is recorded, so the next step, its publish, is the one hanging.
      const scheduling = new pg.Client({ connectionString: databaseUrl(inject('pgUrl'), databaseName(sandbox.prefix, 'scheduling')) });
      await scheduling.connect();
      try {
        await eventually(
          async () => {
            const { rows } = await scheduling.query('SELECT status FROM consultations WHERE id = $1', [consultationId]);
            expect(rows[0]?.status).toBe('PENDING');
          },
          { timeoutMs: 30_000 },
        );
      } finally {
        await scheduling.end();
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await status(consultationId)).toBeUndefined(); // ConsultationSchedulingStarted never got out

      await kill(stuck);
      await start('worker');
      await eventually(async () => expect(await status(consultationId)).toBe('SCHEDULED'), { timeoutMs: 60_000 });
    } finally {
      await proxy.close();
    }
  });

  it('a bridge killed with answers waiting is replaced and the saga completes', async () => {
    await start('worker');
    const bridge = await start('bridge');
    await kill(bridge);
    const consultationId = await book();
    await eventually(async () => expect(await probe.count(replies)).toBe(2), { timeoutMs: 30_000 });
    expect(await status(consultationId)).toBe('PENDING');

    await start('bridge');
    await eventually(async () => expect(await status(consultationId)).toBe('SCHEDULED'), { timeoutMs: 60_000 });
  });

  it('the bridge acknowledges a late reply for a finished saga instead of retrying it', async () => {
    await start('worker');
    const bridge = await start('bridge');
    const consultationId = await book();
    await eventually(async () => expect(await status(consultationId)).toBe('SCHEDULED'), { timeoutMs: 60_000 });

    // Sent by physicians, as a real late reply is: the bridge takes replies from their participant only.
    const broker = new CatalogPublisher(sandbox.vhost.url, await connectTestBroker(sandbox.vhost.url, 'late-reply'));
    try {
      const late = sampleEvent('PhysicianAvailabilityRejected', { consultationId });
      await publishEvent(broker, late, { sagaId: `schedule-consultation-${consultationId}` });
      await bridge.waitForLog(new RegExp(`late reply acknowledged.*${late.eventId}|${late.eventId}.*late reply acknowledged`), 20_000);
      expect(await probe.count(replies)).toBe(0);
      expect(await probe.count(dlqName(replies))).toBe(0);
      expect(await status(consultationId)).toBe('SCHEDULED');
    } finally {
      await broker.close();
    }
  });
});
