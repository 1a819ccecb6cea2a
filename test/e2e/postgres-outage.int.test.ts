import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import { expectStatus, gatewayClient, json, physiciansClient, type GatewayClient } from '../support/clients';
import { launchTestSystem, type TestLaunch } from '../support/launched-system';
import { rabbitmqctl } from '../../tools/toolchain/rabbitmqctl';
import { TcpProxy } from '../support/tcp-proxy';

/** Long enough to spend the old retry budget many times over (with the suite's 200/400 ms delays, about a second). */
const outageMs = 20_000;

/**
 * PostgreSQL goes away while bookings are in flight, for every process at
 * once (they all reach it through one proxy), and comes back: every booking
 * ends SCHEDULED or REJECTED, no process exits, nothing is dead-lettered.
 * This used to kill six of eight instances and leave them dead.
 */
describe('the whole system through a PostgreSQL outage with bookings in flight', () => {
  let proxy: TcpProxy;
  let launch: TestLaunch;
  let gateway: GatewayClient;

  beforeAll(async () => {
    let viaProxy: string;
    ({ proxy, url: viaProxy } = await TcpProxy.inFrontOfPostgres());
    launch = await launchTestSystem('pgout', { PG_URL: viaProxy, PG_CONNECT_TIMEOUT_MS: '2000' });
    gateway = gatewayClient(launch.system.process('gateway').spec.url);
  }, 240_000);

  afterAll(async () => {
    await proxy?.open();
    await launch?.remove();
    await proxy?.close();
  });

  it('finishes every booking, keeps every process alive and dead-letters nothing', async () => {
    const physician = await json(gateway.physicians.$post({ json: { name: 'Dr. Rui Sá', specialty: 'cardiology' } }));
    expectStatus(physician, 201);
    const physicianId = physician.body.id;
    const patients = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const patient = await json(gateway.patients.$post({ json: { name: `Patient ${n}`, email: `${crypto.randomUUID()}@example.org` } }));
        expectStatus(patient, 201);
        return patient.body;
      }),
    );
    await eventually(async () => {
      for (const client of [0, 1]) {
        const instance = physiciansClient(launch.system.process(`physicians-${client + 1}`).spec.url);
        expect((await json(instance.physicians[':id'].$get({ param: { id: physicianId } }))).status).toBe(200);
      }
    });
    const bookings = await Promise.all(
      patients.map((patient, n) =>
        json(
          gateway.consultations.$post({
            header: {},
            json: { patientId: patient.id, physicianId, startsAt: new Date(Date.UTC(2027, 8, 1, 9 + n)).toISOString() },
          }),
        ),
      ),
    );
    expect(
      bookings.map((booking) => booking.status),
      JSON.stringify(bookings.map((booking) => booking.body)),
    ).toEqual([202, 202, 202, 202]);

    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    await proxy.open();

    for (const booking of bookings) {
      expectStatus(booking, 202);
      const id = booking.body.consultationId;
      await eventually(
        async () => {
          const answer = await json(gateway.consultations[':id'].$get({ param: { id } }));
          expectStatus(answer, 200);
          expect(answer.body.status).toMatch(/^(SCHEDULED|REJECTED)$/);
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
    }
    const exits = launch.system.processes.flatMap((managed) =>
      managed.unexpectedExits.map((exit) => `${managed.spec.name}: ${exit.reason}`),
    );
    expect(exits).toEqual([]);
    const queues = await rabbitmqctl('list_queues', '-p', launch.vhost.name, '--no-table-headers', 'name', 'messages');
    const deadLetters = queues
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([name, count]) => name?.endsWith('.dlq') && Number(count) > 0);
    expect(deadLetters).toEqual([]);
  }, 180_000);
});
