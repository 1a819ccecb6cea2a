import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEvent } from '../../events/catalog';
import type { ConsultationSnapshot } from '../../events/consultations';
import { silentLogger } from '../../logging/logger';
import { Broker } from '../../messaging/broker';
import { publishEvent } from '../../messaging/publish-event';
import { dlqName, sagaQueue } from '../../messaging/topology';
import type { RunningInstance } from '../../services/runtime/instance';
import { physiciansService } from '../../services/physicians/service';
import { consultationAt } from '../support/consultations';
import { declareQueues } from '../support/declare';
import { eventually } from '../support/eventually';
import { jsonClient } from '../support/http';
import { dropDatabases, startTestInstance, testConfig, testDbPrefix } from '../support/instances';
import { QueueProbe } from '../support/queue-probe';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestVhost, type TestVhost } from '../support/vhost';

const minutes = 60_000;
const future = (offsetMinutes: number) => new Date(Date.UTC(2031, 5, 2, 9) + offsetMinutes * minutes);
const replies = { name: 'probe.holds-replies', bindings: [{ exchange: 'hap.physicians' as const, pattern: 'physician.availability.*' }] };

/**
 * Held slots never stay blocked: a compensation waits out a database outage
 * far longer than the old retry budget, and a hold nobody confirms or
 * releases expires by itself. One physicians instance reaches PostgreSQL
 * through a proxy the test can cut.
 */
describe('physicians: held time is always given back', () => {
  let vhost: TestVhost;
  let prefix: string;
  let proxy: TcpProxy;
  let instance: RunningInstance;
  let broker: Broker;
  let probe: QueueProbe;

  beforeAll(async () => {
    vhost = await createTestVhost('holds');
    prefix = testDbPrefix('holds');
    let viaProxy: string;
    ({ proxy, url: viaProxy } = await TcpProxy.inFrontOf(inject('pgUrl'), 5432));
    broker = await Broker.connect({
      url: vhost.url,
      connectionName: 'holds-test',
      topology: { queues: [], retryDelaysMs: [] },
      logger: silentLogger,
    });
    await declareQueues(broker, [replies], []);
    probe = await QueueProbe.open(vhost.url);
    // Retries every 200 ms: the old budget (5 retries) would have been spent in about a second.
    const config = testConfig(vhost.url, prefix, {
      PG_URL: viaProxy,
      AMQP_RETRY_DELAYS_MS: '200',
      PG_CONNECT_TIMEOUT_MS: '1000',
      SLOT_HOLD_TIMEOUT_MS: '1500',
      SLOT_EXPIRY_INTERVAL_MS: '300',
    });
    instance = await startTestInstance(physiciansService, config, 'instance-1');
  });

  afterAll(async () => {
    await instance?.stop();
    await proxy?.close();
    await probe?.close();
    await broker?.close();
    await vhost?.remove();
    await dropDatabases(prefix);
  });

  const client = () => jsonClient(instance.url);
  const register = async () => (await client().post('/physicians', { name: 'Dra. Clara Dias', specialty: 'cardiology' })).body.id as string;
  const slotStatus = async (consultationId: string) => {
    const { rows } = await instance.databases.write.pool.query('SELECT status FROM physician_slots WHERE consultation_id = $1', [
      consultationId,
    ]);
    return rows[0]?.status as string | undefined;
  };
  const ask = (consultation: ConsultationSnapshot) =>
    publishEvent(broker, createEvent('ConsultationSchedulingStarted', consultation, { sourceService: 'scheduling-service' }), {
      sagaId: `schedule-consultation-${consultation.consultationId}`,
    });
  const tell = (type: 'ConsultationScheduled' | 'ConsultationCancelled', consultation: ConsultationSnapshot) =>
    publishEvent(
      broker,
      createEvent(
        type,
        type === 'ConsultationScheduled'
          ? { ...consultation, status: 'SCHEDULED', version: 2 }
          : { ...consultation, status: 'REJECTED', statusReason: 'PATIENT_INACTIVE', version: 2 },
        { sourceService: 'scheduling-service' },
      ),
    );

  it('releases a held slot when its compensation arrives after an outage longer than the old retry budget', async () => {
    const consultation = consultationAt(await register(), future(0));
    await ask(consultation);
    await eventually(async () => expect(await slotStatus(consultation.consultationId)).toBe('HELD'));

    await proxy.cut();
    await tell('ConsultationCancelled', consultation);
    // Ten times the old budget of five 200 ms retries, and more than the hold timeout: the message must wait it out.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await probe.count(dlqName(sagaQueue('physician-service').name))).toBe(0);
    await proxy.open();

    await eventually(async () => expect(await slotStatus(consultation.consultationId)).toMatch(/^(RELEASED|EXPIRED)$/), {
      timeoutMs: 20_000,
    });
    expect(await probe.count(dlqName(sagaQueue('physician-service').name))).toBe(0);
  });

  it('expires a hold that is neither confirmed nor released in time, freeing the time for another booking', async () => {
    const physicianId = await register();
    const abandoned = consultationAt(physicianId, future(600));
    await ask(abandoned);
    await eventually(async () => expect(await slotStatus(abandoned.consultationId)).toBe('EXPIRED'), { timeoutMs: 10_000 });
    const next = consultationAt(physicianId, future(600));
    await ask(next);
    await eventually(async () => expect(await slotStatus(next.consultationId)).toBe('HELD'));
  });

  it('takes an expired hold back when its confirmation still comes and the time is free, and never double-books', async () => {
    const physicianId = await register();
    const late = consultationAt(physicianId, future(1200));
    await ask(late);
    await eventually(async () => expect(await slotStatus(late.consultationId)).toBe('EXPIRED'), { timeoutMs: 10_000 });
    await tell('ConsultationScheduled', late);
    await eventually(async () => expect(await slotStatus(late.consultationId)).toBe('CONFIRMED'));

    const lost = consultationAt(physicianId, future(1800));
    await ask(lost);
    await eventually(async () => expect(await slotStatus(lost.consultationId)).toBe('EXPIRED'), { timeoutMs: 10_000 });
    const rival = consultationAt(physicianId, future(1800));
    await ask(rival);
    await eventually(async () => expect(await slotStatus(rival.consultationId)).toBe('HELD'));
    await tell('ConsultationScheduled', lost);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await slotStatus(lost.consultationId)).toBe('EXPIRED');
    expect(await slotStatus(rival.consultationId)).toBe('HELD');
  });
});
