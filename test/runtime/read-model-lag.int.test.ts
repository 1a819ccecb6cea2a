import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import { ReadModelLag, type ReadModelLagReport } from '../../libraries/runtime/read-model-lag';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { patientsService } from '../../services/patients/service';
import { expectStatus, json, patientsClient } from '../support/clients';
import { startTestInstance } from '../support/instances';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { sampleEvent } from '../support/sample-events';
import { admin, bearer } from '../support/tokens';

const queue = 'patient-service.instance-1.events';

describe("an instance's read-model lag", () => {
  let sandbox: TestSandbox;
  let instance: RunningInstance;

  beforeAll(async () => {
    sandbox = await createSandbox('lag');
    instance = await startTestInstance(patientsService, sandbox.config(), 'instance-1');
  });

  afterAll(async () => {
    await instance?.stop();
    await sandbox?.remove();
  });

  const ready = async () => {
    const response = await fetch(`${instance.url}/ready`);
    return ((await response.json()) as { readModel: ReadModelLagReport }).readModel;
  };

  it('shows in /ready and GET /metrics the last event applied, what waits, and how far behind', async () => {
    const before = await ready();
    expect(before).toMatchObject({ waiting: 0, secondsBehind: 0 });

    const registered = await json(
      patientsClient(instance.url).patients.$post({ json: { name: 'Ana Lima', email: `${crypto.randomUUID()}@example.org` } }),
    );
    expectStatus(registered, 201);
    const after = await eventually(async () => {
      const lag = await ready();
      expect(lag.lastEventType).toBe('PatientRegistered');
      return lag;
    });
    expect(Date.now() - Date.parse(after.lastEventAt!)).toBeLessThan(60_000);
    expect(Date.parse(after.lastAppliedAt!)).toBeGreaterThanOrEqual(Date.parse(after.lastEventAt!));

    const metrics = await (await fetch(`${instance.url}/metrics`, { headers: await bearer(admin) })).text();
    expect(metrics).toMatch(/^hap_read_model_lag_seconds\{service="patient-service",instance="instance-1"\} 0$/m);
    expect(metrics).toMatch(/^hap_read_model_waiting\{service="patient-service",instance="instance-1"\} 0$/m);
  });

  it('counts behind from the newest change shown while events wait, and reads the last one back after a restart', async () => {
    const now = new Date('2030-01-01T12:00:00Z');
    let waiting = 0;
    const lag = new ReadModelLag({ queue, readDb: instance.databases.read.db, waiting: async () => waiting, now: () => now });
    // A new tracker (a restarted instance) starts from the read model's inbox: the registration above.
    const seeded = await lag.report();
    expect(seeded.lastEventType).toBe('PatientRegistered');
    expect(seeded.secondsBehind).toBe(0);

    lag.applied({ ...sampleEvent('PatientUpdated'), occurredAt: new Date(now.getTime() - 120_000).toISOString() });
    expect((await lag.report()).secondsBehind).toBe(0);
    waiting = 3;
    expect(await lag.report()).toMatchObject({ lastEventType: 'PatientUpdated', waiting: 3, secondsBehind: 120 });
  });
});
