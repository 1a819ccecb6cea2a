import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultationMigrations } from '../../services/scheduling/consultations';
import { createPending, grantConsultationAccess, InvalidTransitionError, transition } from '../../services/scheduling/consultations';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/database';

const newConsultation = () => ({
  consultationId: crypto.randomUUID(),
  patientId: crypto.randomUUID(),
  physicianId: crypto.randomUUID(),
  startsAt: '2030-05-06T10:00:00.000Z',
  durationMinutes: 30,
  reason: null,
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof InvalidTransitionError ? { from: error.from, to: error.to } : Promise.reject(error)),
  );

describe('scheduling write model: the consultation state machine against PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('scheduling-write', [consultationMigrations]);
  });

  afterAll(async () => {
    await database?.remove();
  });

  it('grants the worker\'s rights from several instances at once: none fails ("tuple concurrently updated")', async () => {
    const role = `${database.name}_grantee`;
    await database.db.execute(sql`CREATE ROLE ${sql.identifier(role)}`);
    try {
      // Two scheduling instances starting together did this, and one of them failed and had to retry.
      await Promise.all(Array.from({ length: 8 }, () => grantConsultationAccess(database.db, role)));
      const granted = await database.db.execute(sql`SELECT has_table_privilege(${role}, 'consultations', 'SELECT, INSERT, UPDATE') AS ok`);
      expect(granted.rows[0]).toEqual({ ok: true });
    } finally {
      await database.db.execute(sql`REVOKE ALL ON consultations FROM ${sql.identifier(role)}`);
      await database.db.execute(sql`DROP ROLE ${sql.identifier(role)}`);
    }
  });

  it('records PENDING once: a repeated call returns the first row', async () => {
    const input = newConsultation();
    const first = await createPending(database.db, input);
    const again = await createPending(database.db, { ...input, durationMinutes: 60 });
    expect(first).toMatchObject({ id: input.consultationId, status: 'PENDING', version: 1, durationMinutes: 30 });
    expect(again).toEqual(first);
  });

  it('moves along the allowed edges, bumping the version, and repeats a move without changing anything', async () => {
    const { consultationId } = newConsultation();
    await createPending(database.db, { ...newConsultation(), consultationId });
    const scheduled = await transition(database.db, consultationId, 'SCHEDULED');
    expect(scheduled).toMatchObject({ changed: true, row: { status: 'SCHEDULED', version: 2 } });
    expect(await transition(database.db, consultationId, 'SCHEDULED')).toMatchObject({
      changed: false,
      row: { status: 'SCHEDULED', version: 2 },
    });
    const requested = await transition(database.db, consultationId, 'CANCELLATION_REQUESTED');
    const cancelled = await transition(database.db, consultationId, 'CANCELLED', 'CANCELLED_BY_REQUEST');
    expect(requested.row.version).toBe(3);
    expect(cancelled.row).toMatchObject({ status: 'CANCELLED', statusReason: 'CANCELLED_BY_REQUEST', version: 4 });
  });

  it('refuses a move the state machine forbids, and one for a consultation it does not know', async () => {
    const { consultationId } = newConsultation();
    await createPending(database.db, { ...newConsultation(), consultationId });
    expect(await refusal(transition(database.db, consultationId, 'DONE'))).toEqual({ from: 'PENDING', to: 'DONE' });
    expect(await refusal(transition(database.db, crypto.randomUUID(), 'SCHEDULED'))).toEqual({ from: 'MISSING', to: 'SCHEDULED' });
  });

  it('lets exactly one of two racing outcomes win: SCHEDULED or REJECTED, never both', async () => {
    for (let round = 0; round < 10; round++) {
      const { consultationId } = newConsultation();
      await createPending(database.db, { ...newConsultation(), consultationId });
      const outcomes = await Promise.all([
        ...Array.from({ length: 3 }, () => refusal(transition(database.db, consultationId, 'SCHEDULED')).then((r) => r ?? 'SCHEDULED')),
        ...Array.from({ length: 3 }, () =>
          refusal(transition(database.db, consultationId, 'REJECTED', 'SLOT_TAKEN')).then((r) => r ?? 'REJECTED'),
        ),
      ]);
      const winners = new Set(outcomes.filter((outcome) => typeof outcome === 'string'));
      expect(winners.size).toBe(1);
      const [winner] = winners;
      // Every loser was refused from the winner's state: the move it lost to had already happened.
      expect(outcomes.filter((outcome) => typeof outcome !== 'string').every((outcome) => outcome.from === winner)).toBe(true);
      const { rows } = await database.pool.query('SELECT status, version FROM consultations WHERE id = $1', [consultationId]);
      expect(rows).toEqual([{ status: winner, version: 2 }]);
    }
  });
});
