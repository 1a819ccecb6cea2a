import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayUrlsKey } from '../../libraries/config/services';
import { createGatewayApp } from '../../gateway/app';
import { serveHttp, type HttpServer } from '../../libraries/http/serve';
import { eventually } from '../../libraries/common/eventually';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { dlqName } from '../../libraries/messaging/topology';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { recordsService } from '../../services/records/service';
import { noTelemetry } from '../../libraries/observability/telemetry';
import { startTestInstance } from '../support/instances';
import { openProbes, type Probes } from '../support/probes';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { sampleEvent } from '../support/sample-events';
import { admin, bearer, staff, testVerifier, type Caller } from '../support/tokens';

const queue = 'clinical-records.instance-2.events';
const dlq = dlqName(queue);
/** Nothing listens there: the services left out of this test are unreachable. */
const nowhere = 'http://127.0.0.1:9';

/**
 * The dead-letter API as an operator uses it through the gateway: each
 * records instance manages the DLQs of its own queues with its own login;
 * the gateway lists them all and takes one queue to the instance that holds it.
 */
describe('GET /admin/dlq… through the gateway', () => {
  let sandbox: TestSandbox;
  let records: RunningInstance[];
  let gateway: HttpServer;
  let probes: Probes;

  beforeAll(async () => {
    sandbox = await createSandbox('dlq-api');
    const config = sandbox.config();
    records = [
      await startTestInstance(recordsService, config, 'instance-1'),
      await startTestInstance(recordsService, config, 'instance-2'),
    ];
    const gatewayConfig = sandbox.config({
      [gatewayUrlsKey('records')]: records.map((instance) => instance.url).join(','),
      [gatewayUrlsKey('patients')]: nowhere,
      [gatewayUrlsKey('physicians')]: nowhere,
      [gatewayUrlsKey('scheduling')]: nowhere,
    });
    gateway = await serveHttp(
      createGatewayApp(gatewayConfig, silentLogger, await testVerifier(), noTelemetry('gateway')),
      0,
      '127.0.0.1',
      100,
    );
    probes = await openProbes(sandbox.vhost.url, 'dlq-api-probe', []);
  });

  afterAll(async () => {
    await gateway?.close();
    for (const instance of records ?? []) await instance.stop();
    await probes?.probe.close();
    await probes?.broker.close();
    await sandbox?.remove();
  });

  const call = async (caller: Caller, method: string, path: string, body?: unknown, base = `http://127.0.0.1:${gateway.port}`) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(await bearer(caller)), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists, shows, replays (a forged event goes back to its DLQ) and purges, for the admin only', async () => {
    // Parked by the instance-2 consumer: a body that is not JSON, and an event from a user that does not send it.
    const forged = sampleEvent('PatientRegistered');
    await probes.probe.publish('', queue, '{"not": json');
    await probes.probe.publish('', queue, JSON.stringify(forged));
    await eventually(async () => expect(await probes.probe.count(dlq)).toBe(2));

    expect((await call(staff, 'GET', '/admin/dlq')).status).toBe(403);
    expect((await call(staff, 'GET', '/admin/dlq', undefined, records[1]!.url)).status).toBe(403);
    expect((await call(staff, 'POST', `/admin/dlq/${queue}/purge`, { all: true })).status).toBe(403);

    const listed = await call(admin, 'GET', '/admin/dlq');
    expect(listed.status).toBe(200);
    const items = listed.body.items as { queue: string; messages: number }[];
    expect(items.map((item) => item.queue)).toEqual([
      'clinical-records.instance-1.events.dlq',
      'clinical-records.instance-2.events.dlq',
      'clinical-records.saga.dlq',
    ]);
    expect(items.find((item) => item.queue === dlq)?.messages).toBe(2);
    expect((listed.body.unanswered as string[]).map((entry) => entry.split(' ')[0]).sort()).toEqual([
      'patients',
      'physicians',
      'reporting',
      'reporting',
      'scheduling',
    ]);

    // Instance-1 does not hold instance-2's queue: the gateway asks the next one.
    const shown = await call(admin, 'GET', `/admin/dlq/${queue}`);
    expect(shown.status).toBe(200);
    const parked = shown.body.items as { reason: string; messageId: string | null; publishedBy: string | null }[];
    expect(parked.map((message) => message.reason).sort()).toEqual(['malformed-json', 'unauthorized-publisher']);
    // Who sent them is the probe's login, or nobody named: never the consumer that parked the copy.
    for (const { publishedBy } of parked) expect(publishedBy ?? '').not.toMatch(/-records$/);

    const dry = await call(admin, 'POST', `/admin/dlq/${queue}/replay`, { all: true, dryRun: true });
    expect(dry.body).toMatchObject({ replayed: [forged.eventId], kept: [{ why: expect.stringMatching(/^still invalid: /) }] });

    // Replayed as the queue's consumer, it still says who sent it first: the sender check parks it again.
    const replayed = await call(admin, 'POST', `/admin/dlq/${queue}/replay`, { id: forged.eventId });
    expect(replayed.body).toEqual({ replayed: [forged.eventId], kept: [] });
    await eventually(async () => {
      const again = await call(admin, 'GET', `/admin/dlq/${queue}`);
      const back = (again.body.items as { messageId: string; reason: string }[]).find((message) => message.messageId === forged.eventId);
      expect(back?.reason).toBe('unauthorized-publisher');
    });

    const neither = await call(admin, 'POST', `/admin/dlq/${queue}/purge`, {});
    expect(neither.status).toBe(400);
    expect(JSON.stringify(neither.body)).toContain('"field":"id"');
    await eventually(async () => expect(await probes.probe.count(dlq)).toBe(2));
    expect((await call(admin, 'POST', `/admin/dlq/${queue}/purge`, { all: true })).body).toEqual({ purged: 2 });
    await eventually(async () => expect(await probes.probe.count(dlq)).toBe(0));
  });

  it('says which queue is nobody’s, and when the instances that might hold it cannot be asked', async () => {
    const unknown = await call(admin, 'GET', '/admin/dlq/nobody.instance-1.events');
    expect(unknown.status).toBe(404);
    expect((await call(admin, 'GET', '/admin/dlq/clinical-records.instance-9.events')).status).toBe(404);
    expect((await call(admin, 'GET', '/admin/dlq/patient-service.instance-1.events')).status).toBe(503);
  });
});
