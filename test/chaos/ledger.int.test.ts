import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkJournal } from '../../tools/chaos/journal-check';
import { isClean, takeLedger } from '../../tools/chaos/ledger';
import { databaseName, databaseUrl } from '../../libraries/db/database';
import { eventually } from '../../libraries/common/eventually';
import { expectStatus, json } from '../support/clients';
import { createSandbox, type TestSandbox } from '../support/sandbox';
import { startTestSystem, type TestSystem } from '../support/system';
import { asPhysician } from '../support/tokens';

let slotHour = 0;
const nextSlot = () => new Date(Date.UTC(2033, 0, 1, 8) + slotHour++ * 3_600_000).toISOString();

// The end-of-run accounting of the fault matrix, held against a system it can see is whole, then against broken ones.
describe('the ledger of a run', () => {
  let sandbox: TestSandbox;
  let system: TestSystem;
  const ledger = () =>
    takeLedger({
      pgUrl: inject('pgUrl'),
      prefix: sandbox.prefix,
      // The in-process system runs no reporting instance; the fault matrix's launched system does.
      instancesOf: (service) => ({ scheduling: ['instance-1', 'instance-2'], reporting: [] })[service as string] ?? ['instance-1'],
    });
  const sql = async (database: string, text: string) => {
    const client = new pg.Client({ connectionString: databaseUrl(inject('pgUrl'), database) });
    await client.connect();
    try {
      return (await client.query(text)).rowCount;
    } finally {
      await client.end();
    }
  };
  let scheduled: string;
  let cancelledId: string;
  let twinEmail: string;

  beforeAll(async () => {
    sandbox = await createSandbox('ledger');
    system = await startTestSystem(sandbox.sagaConfig('ledger'));
    const patient = async (active = true) => {
      const answer = await json(
        system.patients.patients.$post({ json: { name: 'Ledger Patient', email: `${crypto.randomUUID()}@example.org` } }),
      );
      expectStatus(answer, 201);
      if (!active) await system.patients.patients[':id'].deactivate.$post({ param: { id: answer.body.id } });
      return answer.body.id;
    };
    const physician = await json(system.physicians.physicians.$post({ json: { name: 'Dr. Ledger', specialty: 'general practice' } }));
    expectStatus(physician, 201);
    const physicianId = physician.body.id;
    const book = async (patientId: string) => {
      const answer = await json(
        system.scheduling[0].consultations.$post({ json: { patientId, physicianId, startsAt: nextSlot() }, header: {} }),
      );
      expectStatus(answer, 202);
      return answer.body.consultationId;
    };
    const statusOf = async (id: string) => (await json(system.scheduling[1].consultations[':id'].$get({ param: { id } }))).body;
    const inactive = await patient(false);
    await eventually(async () => expect((await system.patients.patients[':id'].$get({ param: { id: inactive } })).status).toBe(200));
    const [rejected, kept, cancelled] = [await book(inactive), await book(await patient()), await book(await patient())];
    for (const [id, status] of [
      [rejected, 'REJECTED'],
      [kept, 'SCHEDULED'],
      [cancelled, 'SCHEDULED'],
    ] as const) {
      await eventually(async () => expect(await statusOf(id)).toMatchObject({ status }), { timeoutMs: 30_000 });
    }
    await eventually(async () => {
      const record = await json(
        system.as(asPhysician(physicianId)).records.records.$post({ json: { consultationId: cancelled, diagnosis: 'flu' } }),
      );
      expectStatus(record, 201);
    });
    expectStatus(await json(system.scheduling[0].consultations[':id'].cancel.$post({ param: { id: cancelled }, json: {} })), 202);
    await eventually(async () => expect(await statusOf(cancelled)).toMatchObject({ status: 'CANCELLED' }), { timeoutMs: 30_000 });
    scheduled = kept;
    cancelledId = cancelled;
    twinEmail = `${crypto.randomUUID()}@example.org`;
    await json(system.patients.patients.$post({ json: { name: 'Twin', email: twinEmail } }));
  });

  afterAll(async () => {
    await system?.stop();
    await sandbox?.remove();
  });

  it('finds nothing wrong with a system whose sagas all ended and whose read models caught up', async () => {
    await eventually(
      async () => expect(await ledger()).toEqual({ unfinished: [], doubleBookings: [], lostEffects: [], readModelMismatches: [] }),
      {
        timeoutMs: 20_000,
      },
    );
  });

  it('counts a lost effect and a read model that went wrong', async () => {
    await sql(
      databaseName(sandbox.prefix, 'physicians'),
      `UPDATE physician_slots SET status = 'RELEASED' WHERE consultation_id = '${scheduled}'`,
    );
    await sql(
      databaseName(sandbox.prefix, 'scheduling', 'read', 'instance-2'),
      `UPDATE consultation_view SET status = 'PENDING' WHERE id = '${scheduled}'`,
    );
    const found = await ledger();
    expect(isClean(found)).toBe(false);
    expect(found.lostEffects).toEqual([{ consultationId: scheduled, why: 'SCHEDULED with 0 CONFIRMED of 0 taken slots' }]);
    expect(found.readModelMismatches).toEqual([
      { service: 'scheduling', instance: 'instance-2', id: scheduled, why: 'PENDING instead of SCHEDULED' },
    ]);
  });

  it("holds the write models to the driver's journal: what was accepted and did not happen, what happened twice", async () => {
    const missing = crypto.randomUUID();
    const journal = {
      bookings: [
        { consultationId: scheduled, mustBeRejected: false },
        { consultationId: missing, mustBeRejected: false },
        { consultationId: scheduled, mustBeRejected: true },
      ],
      cancellations: [cancelledId, scheduled],
      registrations: [{ email: twinEmail, id: 'twin' }],
      records: [{ id: 'nowhere', consultationId: cancelledId, diagnosis: 'never written' }],
    };
    const clean = await checkJournal(
      { ...journal, bookings: journal.bookings.slice(0, 1), cancellations: [cancelledId], records: [] },
      {
        pgUrl: inject('pgUrl'),
        prefix: sandbox.prefix,
      },
    );
    expect(clean).toEqual({ lost: [], doubled: [] });
    // A second patient with the same e-mail: what a registration applied twice would leave.
    await sql(
      databaseName(sandbox.prefix, 'patients'),
      `INSERT INTO patients SELECT gen_random_uuid(), name, email, birth_date, phone, status, version, created_at, updated_at FROM patients WHERE email = '${twinEmail}'`,
    );
    const found = await checkJournal(journal, { pgUrl: inject('pgUrl'), prefix: sandbox.prefix });
    expect(found.lost).toEqual([
      { what: `booking ${missing}`, why: 'accepted (202) but not in the write model' },
      { what: `booking ${scheduled}`, why: 'for an inactive patient, yet SCHEDULED' },
      { what: `cancellation of ${scheduled}`, why: 'accepted (202) but the consultation is SCHEDULED' },
      { what: 'record nowhere', why: 'created (201) but not in the write model' },
    ]);
    expect(found.doubled).toEqual([{ what: `patient ${twinEmail}`, why: '2 patients for one registration' }]);
  });
});
