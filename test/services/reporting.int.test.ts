import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../libraries/common/eventually';
import type { RunningInstance } from '../../libraries/runtime/service-instance';
import { reportingService } from '../../services/reporting/service';
import { expectStatus, fieldsOf, json, recordsClient, reportingClient, type ReportingClient } from '../support/clients';
import { startTestInstance } from '../support/instances';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { startTestSystem, type TestSystem } from '../support/system';
import { registerPatient, registerPhysician } from '../support/people';
import { admin, asPatient, asPhysician, staff } from '../support/tokens';
import { instanceAdminPaths } from '../support/admin-paths';

let hour = 0;
const nextSlot = () => new Date(Date.UTC(2035, 0, 1, 8) + hour++ * 3_600_000).toISOString();

/**
 * The reporting service against the whole saga path: its counts are what the
 * test did, on an instance that heard it live and on one started afterwards
 * (which has only the history to go by).
 */
describe('reporting', () => {
  let sandbox: TestSandbox;
  let system: TestSystem;
  const instances: RunningInstance[] = [];
  const from = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    sandbox = await createSandbox('reporting');
    system = await startTestSystem(sandbox.sagaConfig('reporting'));
    instances.push(await startTestInstance(reportingService, sandbox.config(), 'instance-1'));
  });

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await system?.stop();
    await sandbox?.remove();
  });

  const patient = (active = true) => registerPatient(system, 'Joana Reis', active);
  const physician = (specialty: string) => registerPhysician(system, 'Dr. Luís Prata', specialty);

  async function book(patientId: string, physicianId: string, startsAt = nextSlot()) {
    const booked = await json(system.scheduling[0].consultations.$post({ header: {}, json: { patientId, physicianId, startsAt } }));
    expectStatus(booked, 202);
    return booked.body.consultationId;
  }

  async function settled(id: string, status: string) {
    await eventually(
      async () => expect((await json(system.scheduling[0].consultations[':id'].$get({ param: { id } }))).body).toMatchObject({ status }),
      { timeoutMs: 30_000 },
    );
  }

  async function report(client: ReportingClient, groupBy?: 'day' | 'physician' | 'specialty') {
    const query = { from, to: new Date(Date.now() + 60_000).toISOString(), ...(groupBy ? { groupBy } : {}) };
    const answer = await json(client.reports.consultations.$get({ query }));
    expectStatus(answer, 200);
    return answer.body;
  }

  it('counts what was booked, rejected, cancelled and written, on a live instance and on one started after it all', async () => {
    const cardiologist = await physician('cardiology');
    const dermatologist = await physician('dermatology');
    const [ana, bia, caio, inactive] = await Promise.all([patient(), patient(), patient(), patient(false)]);

    const taken = nextSlot();
    const first = await book(ana, cardiologist, taken);
    const second = await book(bia, cardiologist);
    const third = await book(caio, dermatologist);
    await settled(first, 'SCHEDULED');
    const slotTaken = await book(bia, cardiologist, taken);
    const patientInactive = await book(inactive, dermatologist);
    await Promise.all([settled(second, 'SCHEDULED'), settled(third, 'SCHEDULED')]);
    await Promise.all([settled(slotTaken, 'REJECTED'), settled(patientInactive, 'REJECTED')]);

    // Two records by the cardiologist, one amended; the second consultation cancelled, which voids its record.
    const records = recordsClient(system.urls.records, asPhysician(cardiologist));
    const write = (consultationId: string) =>
      eventually(async () => {
        const created = await json(records.records.$post({ json: { consultationId, diagnosis: 'Hypertension stage 1' } }));
        expectStatus(created, 201);
        return created.body.id;
      });
    const kept = await write(first);
    await write(second);
    expectStatus(await json(records.records[':id'].$patch({ param: { id: kept }, json: { notes: 'Recheck in 4 weeks.' } })), 200);
    expect((await system.scheduling[0].consultations[':id'].cancel.$post({ param: { id: second }, json: {} })).status).toBe(202);
    await settled(second, 'CANCELLED');

    const expected = {
      consultations: 5,
      byStatus: { SCHEDULED: 2, CANCELLED: 1, REJECTED: 2 },
      rejectionRate: 0.4,
      rejectionReasons: { SLOT_TAKEN: 1, PATIENT_INACTIVE: 1 },
      cancellationRate: 0.3333,
      cancellationReasons: { CANCELLED_BY_REQUEST: 1 },
    };
    const live = reportingClient(instances[0]!.url);
    await eventually(
      async () => {
        expect((await json(live.reports.records.$get({ query: { from } }))).body).toMatchObject({ created: 2, updated: 1, voided: 1 });
        expect((await report(live)).total).toMatchObject(expected);
      },
      { timeoutMs: 20_000 },
    );

    // Started after the traffic: it has only the history, and reports the same once ready.
    instances.push(await startTestInstance(reportingService, sandbox.config(), 'instance-2'));
    const late = reportingClient(instances[1]!.url);
    for (const client of [live, late]) {
      const { body: recordCounts } = await json(client.reports.records.$get({ query: { from } }));
      expect(recordCounts).toMatchObject({ created: 2, updated: 1, voided: 1 });
      const whole = await report(client);
      expect(whole.total).toMatchObject(expected);
      const { median, p95, count } = whole.total.bookingToScheduledMs;
      expect(count).toBe(3);
      expect(median).toBeGreaterThan(0);
      expect(p95).toBeGreaterThanOrEqual(median!);

      const bySpecialty = (await report(client, 'specialty')).groups.map(({ key, consultations, byStatus }) => ({
        key,
        consultations,
        byStatus,
      }));
      expect(bySpecialty).toEqual([
        { key: 'cardiology', consultations: 3, byStatus: { SCHEDULED: 1, CANCELLED: 1, REJECTED: 1 } },
        { key: 'dermatology', consultations: 2, byStatus: { SCHEDULED: 1, REJECTED: 1 } },
      ]);
      const byPhysician = (await report(client, 'physician')).groups;
      expect(Object.fromEntries(byPhysician.map(({ key, consultations }) => [key, consultations]))).toEqual({
        [cardiologist]: 3,
        [dermatologist]: 2,
      });
      const byDay = (await report(client, 'day')).groups;
      expect(byDay.every(({ key }) => /^\d{4}-\d{2}-\d{2}$/.test(key ?? ''))).toBe(true);
      expect(byDay.reduce((sum, group) => sum + group.consultations, 0)).toBe(5);
      // Aggregates only: no name, no diagnosis.
      expect(JSON.stringify(whole)).not.toMatch(/Joana|Prata|Hypertension/);
    }
  });

  it('is for staff and admins, and names the field of a bad range or grouping', async () => {
    const url = instances[0]!.url;
    expect((await reportingClient(url, admin).reports.records.$get({ query: {} })).status).toBe(200);
    expect((await reportingClient(url, asPatient(crypto.randomUUID())).reports.records.$get({ query: {} })).status).toBe(403);
    expect((await reportingClient(url, asPhysician(crypto.randomUUID())).reports.consultations.$get({ query: {} })).status).toBe(403);

    const client = reportingClient(url, staff);
    const backwards = await json(
      client.reports.consultations.$get({ query: { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' } }),
    );
    expect([backwards.status, fieldsOf(backwards)]).toEqual([400, ['to']]);
    const badGrouping = await json(client.reports.consultations.$get({ query: { groupBy: 'patient' as 'day' } }));
    expect([badGrouping.status, fieldsOf(badGrouping)]).toEqual([400, ['groupBy']]);
    const badInstant = await json(client.reports.records.$get({ query: { from: 'yesterday' } }));
    expect([badInstant.status, fieldsOf(badInstant)]).toEqual([400, ['from']]);

    const openApi = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openApi.paths).sort()).toEqual([...instanceAdminPaths, '/reports/consultations', '/reports/records']);
  });
});
