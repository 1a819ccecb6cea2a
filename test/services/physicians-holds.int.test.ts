import type { CatalogPublisher } from '../support/broker-logins';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationSnapshot } from '../../libraries/events/consultations';
import { publishEvent } from '../../libraries/messaging/publish-event';
import { dlqName, sagaQueue } from '../../libraries/messaging/topology';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { physiciansService } from '../../services/physicians/service';
import { consultationAt, sagaEndEvent } from '../support/consultations';
import { eventually } from '../../libraries/common/eventually';
import { expectStatus, json, physiciansClient } from '../support/clients';
import { startTestInstance } from '../support/instances';
import { openProbes, testQueue } from '../support/probes';
import type { QueueProbe } from '../support/queue-probe';
import { catalogEvent } from '../support/sample-events';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { TcpProxy } from '../support/tcp-proxy';

const minutes = 60_000;
const future = (offsetMinutes: number) => new Date(Date.UTC(2031, 5, 2, 9) + offsetMinutes * minutes);
const replies = testQueue('probe.holds-replies', 'hap.physicians', 'physician.availability.*');

/**
 * Held slots never stay blocked: a compensation waits out a database outage
 * far longer than the old retry budget, and a hold nobody confirms or
 * releases expires by itself. One physicians instance reaches PostgreSQL
 * through a proxy the test can cut.
 */
describe('physicians: held time is always given back', () => {
  let sandbox: TestSandbox;
  let proxy: TcpProxy;
  let instance: RunningInstance;
  let broker: CatalogPublisher;
  let probe: QueueProbe;

  beforeAll(async () => {
    sandbox = await createSandbox('holds');
    let viaProxy: string;
    ({ proxy, url: viaProxy } = await TcpProxy.inFrontOfPostgres());
    ({ broker, probe } = await openProbes(sandbox.vhost.url, 'holds-test', [replies]));
    // Retries every 200 ms: the old budget (5 retries) would have been spent in about a second.
    const config = sandbox.config({
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
    await sandbox?.remove();
  });

  const register = async () => {
    const created = await json(
      physiciansClient(instance.url).physicians.$post({ json: { name: 'Dra. Clara Dias', specialty: 'cardiology' } }),
    );
    expectStatus(created, 201);
    return created.body.id;
  };
  const slotStatus = async (consultationId: string) => {
    const { rows } = await instance.databases.write.pool.query('SELECT status FROM physician_slots WHERE consultation_id = $1', [
      consultationId,
    ]);
    return rows[0]?.status as string | undefined;
  };
  const ask = (consultation: ConsultationSnapshot) =>
    publishEvent(broker, catalogEvent('ConsultationSchedulingStarted', consultation), {
      sagaId: `schedule-consultation-${consultation.consultationId}`,
    });
  const tell = (type: 'ConsultationScheduled' | 'ConsultationCancelled', consultation: ConsultationSnapshot) =>
    publishEvent(broker, sagaEndEvent(type, consultation, { status: 'REJECTED', statusReason: 'PATIENT_INACTIVE', version: 2 }));
  /** Asks for the slot and waits until its hold is HELD, or EXPIRED when nobody answers in time; the consultation. */
  const askUntil = async (status: 'HELD' | 'EXPIRED', physicianId: string, startsAt: Date) => {
    const consultation = consultationAt(physicianId, startsAt);
    await ask(consultation);
    await eventually(
      async () => expect(await slotStatus(consultation.consultationId)).toBe(status),
      status === 'EXPIRED' ? { timeoutMs: 10_000 } : {},
    );
    return consultation;
  };

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
    await askUntil('EXPIRED', physicianId, future(600));
    await askUntil('HELD', physicianId, future(600));
  });

  it('takes an expired hold back when its confirmation still comes and the time is free, and never double-books', async () => {
    const physicianId = await register();
    const late = await askUntil('EXPIRED', physicianId, future(1200));
    await tell('ConsultationScheduled', late);
    await eventually(async () => expect(await slotStatus(late.consultationId)).toBe('CONFIRMED'));

    const lost = await askUntil('EXPIRED', physicianId, future(1800));
    const rival = await askUntil('HELD', physicianId, future(1800));
    await tell('ConsultationScheduled', lost);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await slotStatus(lost.consultationId)).toBe('EXPIRED');
    expect(await slotStatus(rival.consultationId)).toBe('HELD');
  });
});
